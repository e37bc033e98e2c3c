import {
  createReportSender,
  NetworkError,
  RateLimitError,
  ReferralApiError,
  ValidationError,
} from '@tahaffuz/referral-client/reports-unchecked';
import type { ReportCreate } from '@tahaffuz/referral-contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type Api } from '../../test/support/servers.js';
import { buildReport } from '../model/build-report.js';
import { emptyDraft } from '../model/draft.js';
import { isRetryable, reportSender } from './send-report.js';

// The reference server on a SQLite file; the publishable key is allowed from this page origin.
const ORIGIN = 'http://partner.localhost:8080';
let api: Api;
beforeAll(async () => {
  api = await startApi(ORIGIN);
}, 60_000);
afterAll(() => api?.dispose());

const fromPage: typeof fetch = (input, init = {}) => {
  const headers = new Headers(init.headers);
  headers.set('origin', ORIGIN);
  return fetch(input, { ...init, headers });
};
const send = () =>
  reportSender(
    createReportSender({ baseUrl: api.url, apiKey: api.keys.publishableKey, fetch: fromPage, retry: { limit: 1, backoffBase: 1 } }),
  );

const report = (): ReportCreate =>
  buildReport(
    { ...emptyDraft(), categories: ['bonded_labour'], happening_now: 'yes', province: 'PK-PB' },
    { id: crypto.randomUUID(), locale: 'en', country: 'PK' },
  );

describe('reportSender over createReportSender (no zod in the page)', () => {
  it('sends a report the form built and returns the receipt; sending it again returns the same receipt', async () => {
    const built = report();
    const first = await send()(built);
    expect(first).toMatchObject({ kind: 'sent', receipt: { id: built.id, reference: expect.stringMatching(/^TZ-/u) } });
    expect(await send()(built)).toEqual(first);
  });

  it('turns the server’s 400 for a report the contract refuses into a refusal, not a retry', async () => {
    // A report only an older or broken form could build: the page no longer checks it, the server does.
    const refused = { ...report(), categories: [], victims: { count: 0 } } as unknown as ReportCreate;
    const result = await send()(refused);
    expect(result).toEqual({ kind: 'rejected', status: 400, requestId: expect.any(String) });
  });

  it('retries only what may succeed later: no answer, 408, 429, 5xx, a 409 in flight — never another 4xx', () => {
    const status = (code: number, slug = 'x') =>
      new ValidationError('x', { status: code, problem: { type: `https://errors.tahaffuz.org/${slug}` } });
    expect(isRetryable(new NetworkError('x'))).toBe(true);
    expect(isRetryable(new RateLimitError('x', { status: 429 }))).toBe(true);
    for (const code of [408, 500, 502, 503, 504]) expect(isRetryable(status(code)), String(code)).toBe(true);
    for (const code of [400, 401, 403, 404, 410, 413, 422]) expect(isRetryable(status(code)), String(code)).toBe(false);
    expect(
      isRetryable(new ReferralApiError('x', { status: 409, problem: { type: 'https://errors.tahaffuz.org/idempotency-in-flight' } })),
    ).toBe(true);
    expect(isRetryable(new ReferralApiError('x', { status: 409, problem: { type: 'https://errors.tahaffuz.org/id-conflict' } }))).toBe(
      false,
    );
  });
});
