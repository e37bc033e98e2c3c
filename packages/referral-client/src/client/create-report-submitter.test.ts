import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rejection } from '@tahaffuz/test-kit';
import { problem, startHttpFixture, type HttpFixture } from '../../test/http-fixture.js';
import * as sample from '../../test/samples.js';
import { isReferralApiError } from '../errors/is-referral-api-error.js';
import { ReferralApiError } from '../errors/referral-api-error.js';
import { RateLimitError, ValidationError } from '../errors/status-errors.js';
import { createReferralClient } from './create-referral-client.js';
import { createReportSubmitter, type ReportSubmitter, type ReportSubmitterOptions } from './create-report-submitter.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/u;
const PUBLISHABLE = 'tz_pk_test_0123456789abcdef';

let fixture: HttpFixture;
beforeAll(async () => {
  fixture = await startHttpFixture();
});
afterAll(() => fixture.close());
beforeEach(() => fixture.reset());

function submitter(options: Partial<ReportSubmitterOptions> = {}): ReportSubmitter {
  return createReportSubmitter({
    baseUrl: fixture.url,
    apiKey: PUBLISHABLE,
    retry: { backoffBase: 2, backoffCap: 10 },
    ...options,
  });
}

const bodyOf = (index: number) => JSON.parse(fixture.requests[index]?.body ?? '') as { id: string };

describe('createReportSubmitter', () => {
  it('posts the report with a generated id and returns the validated receipt', async () => {
    fixture.reply({ status: 201, body: sample.receipt });
    const receipt = await submitter().reports.create(sample.reportInput);
    expect(receipt).toEqual(sample.receipt);
    expect(fixture.requests).toHaveLength(1);
    const [request] = fixture.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/v1/reports');
    expect(request?.headers['authorization']).toBe(`Bearer ${PUBLISHABLE}`);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['idempotency-key']).toMatch(UUID);
    expect(bodyOf(0)).toEqual({ ...sample.reportInput, id: bodyOf(0).id });
    expect(bodyOf(0).id).toMatch(UUID);
  });

  it('keeps one report id and one Idempotency-Key across every retry', async () => {
    fixture.reply(
      { status: 503, body: problem('unavailable', 503) },
      { action: 'destroy' },
      { status: 409, body: problem('idempotency-in-flight', 409) },
      { status: 201, body: sample.receipt },
    );
    await submitter().reports.create(sample.reportInput);
    expect(fixture.requests).toHaveLength(4);
    expect(new Set(fixture.requests.map((_, index) => bodyOf(index).id)).size).toBe(1);
    expect(new Set(fixture.requests.map((request) => request.headers['idempotency-key'])).size).toBe(1);
  });

  it("uses the caller's id and Idempotency-Key, and resubmits the same report after a failure", async () => {
    fixture.reply({ status: 201, body: sample.receipt });
    await submitter().reports.create({ ...sample.reportInput, id: sample.IDS.report }, { idempotencyKey: sample.IDS.report });
    expect(bodyOf(0).id).toBe(sample.IDS.report);
    expect(fixture.requests[0]?.headers['idempotency-key']).toBe(sample.IDS.report);

    fixture.reset();
    const tz = submitter({ retry: false });
    const input = { ...sample.reportInput };
    fixture.reply({ status: 503, body: problem('unavailable', 503) }, { status: 201, body: sample.receipt });
    await rejection(tz.reports.create(input));
    await tz.reports.create(input);
    expect(bodyOf(0).id).toBe(bodyOf(1).id);
    expect(input).not.toHaveProperty('id');
  });

  it('waits as long as Retry-After says, and gives up at once when it asks for more than maxRetryAfter', async () => {
    fixture.reply(
      { status: 503, body: problem('unavailable', 503), headers: { 'retry-after': '0.3' } },
      { status: 201, body: sample.receipt },
    );
    await submitter().reports.create(sample.reportInput);
    const [first, second] = fixture.requests;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(280);

    fixture.reset();
    fixture.reply({ status: 429, body: problem('rate-limited', 429), headers: { 'retry-after': '120' } });
    const error = await rejection(submitter().reports.create(sample.reportInput));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfter).toBe(120);
    expect(fixture.requests).toHaveLength(1);
  });

  it('abandons an attempt that outlasts the per-attempt timeout and retries it with the same key', async () => {
    fixture.reply({ action: 'stall' }, { status: 201, body: sample.receipt });
    const receipt = await submitter({ timeout: { attempt: 150, total: 5_000 } }).reports.create(sample.reportInput);
    expect(receipt.reference).toBe(sample.receipt.reference);
    expect(fixture.requests).toHaveLength(2);
    expect(fixture.requests[0]?.headers['idempotency-key']).toBe(fixture.requests[1]?.headers['idempotency-key']);

    fixture.reset();
    fixture.reply({ action: 'stall' });
    const error = await rejection(submitter({ retry: false, timeout: 100 }).reports.create(sample.reportInput));
    expect(isReferralApiError(error, 'TimeoutError')).toBe(true);
  });

  it('refuses an invalid report before sending, naming the field', async () => {
    const error = await rejection(
      submitter().reports.create({
        ...sample.reportInput,
        reporter: { mode: 'anonymous', contact: { phone: '+92 300 1234567' } },
      } as never),
    );
    expect(isReferralApiError(error, 'RequestValidationError')).toBe(true);
    if (!isReferralApiError(error, 'RequestValidationError')) return;
    expect(error.path).toMatch(/^reporter/u);
    expect(error.message).toMatch(/^reports\.create: invalid body — .+Nothing was sent\.$/u);
    expect(error.message).not.toContain('1234567');
    expect(fixture.requests).toHaveLength(0);
  });

  it('refuses a receipt that breaks the contract, without retrying', async () => {
    const { reference: _dropped, ...incomplete } = sample.receipt;
    fixture.reply({ status: 201, body: incomplete }, { status: 201, body: sample.receipt });
    const error = await rejection(submitter().reports.create(sample.reportInput));
    expect(isReferralApiError(error, 'ResponseValidationError')).toBe(true);
    if (!isReferralApiError(error, 'ResponseValidationError')) return;
    expect(error.issues.map((issue) => issue.path.join('.'))).toEqual(['reference']);
    expect(fixture.requests).toHaveLength(1);
  });

  it('throws the error classes of the full client, with the problem it was given', async () => {
    fixture.reply({
      status: 422,
      body: problem('validation', 422, { invalid_params: [{ name: 'location.admin_area', reason: 'unknown area' }] }),
    });
    const error = await rejection(submitter().reports.create(sample.reportInput));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toBeInstanceOf(ReferralApiError);
    expect((error as ValidationError).invalidParams).toEqual([{ name: 'location.admin_area', reason: 'unknown area' }]);
    expect((error as ValidationError).requestId).toBe('req_fixture_1');
    expect(fixture.requests).toHaveLength(1);
  });

  it('refuses bad options at creation, naming itself', () => {
    expect(() => submitter({ baseUrl: 'ftp://example.org' })).toThrow(/^createReportSubmitter: baseUrl must be an http\(s\) URL/u);
    expect(() => submitter({ apiKey: ' ' })).toThrow(/^createReportSubmitter: apiKey is required/u);
    expect(() => submitter({ retry: { backoffCap: Number.NaN } })).toThrow(/retry.backoffCap/u);
  });

  it('is a subset of the full client: a ReferralClient is a ReportSubmitter', async () => {
    const full: ReportSubmitter = createReferralClient({ baseUrl: fixture.url, apiKey: PUBLISHABLE });
    fixture.reply({ status: 201, body: sample.receipt });
    expect((await full.reports.create(sample.reportInput)).reference).toBe(sample.receipt.reference);
  });
});
