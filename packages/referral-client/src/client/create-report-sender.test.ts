import { REPORT_REFERENCE_PATTERN, REPORTS_CREATE_OPERATION, ReportReceiptSchema } from '@tahaffuz/referral-contract';
import { build } from 'esbuild';
import fc from 'fast-check';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rejection } from '@tahaffuz/test-kit';
import { problem, startHttpFixture, type HttpFixture } from '../../test/http-fixture.js';
import * as sample from '../../test/samples.js';
import { isReferralApiError } from '../errors/is-referral-api-error.js';
import { ValidationError } from '../errors/status-errors.js';
import { createReportSender, type ReportSenderOptions } from './create-report-sender.js';
import { isRfc3339DateTime, receiptIssues } from './receipt-guard.js';
import { REPORTS_CREATE_ROUTE } from './report-route.js';

const PUBLISHABLE = 'tz_pk_test_0123456789abcdef';
const ID = sample.IDS.report;
const receipt = { ...sample.receipt, id: ID };
const clientDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

let fixture: HttpFixture;
beforeAll(async () => {
  fixture = await startHttpFixture();
});
afterAll(() => fixture.close());
beforeEach(() => fixture.reset());

const sender = (options: Partial<ReportSenderOptions> = {}) =>
  createReportSender({ baseUrl: fixture.url, apiKey: PUBLISHABLE, retry: { backoffBase: 2, backoffCap: 10 }, ...options });

const bodyOf = (index: number) => JSON.parse(fixture.requests[index]?.body ?? '') as { id: string };

describe('createReportSender', () => {
  it('posts the report where the contract says, with one id and Idempotency-Key across retries', async () => {
    expect(REPORTS_CREATE_ROUTE).toEqual({
      id: REPORTS_CREATE_OPERATION.id,
      method: REPORTS_CREATE_OPERATION.method,
      path: REPORTS_CREATE_OPERATION.path,
    });
    fixture.reply({ status: 503, body: problem('unavailable', 503) }, { action: 'destroy' }, { status: 201, body: receipt });
    const result = await sender().reports.create({ ...sample.reportInput, id: ID }, { idempotencyKey: ID });
    expect(result).toEqual(receipt);
    expect(fixture.requests).toHaveLength(3);
    for (const [index, request] of fixture.requests.entries()) {
      expect(request.method).toBe('POST');
      expect(request.path).toBe('/v1/reports');
      expect(request.headers['idempotency-key']).toBe(ID);
      expect(request.headers['authorization']).toBe(`Bearer ${PUBLISHABLE}`);
      expect(bodyOf(index)).toEqual({ ...sample.reportInput, id: ID });
    }
  });

  it('generates the id once when the caller gives none, and keeps it for a resubmission', async () => {
    const input = { ...sample.reportInput };
    const tz = sender({ retry: false });
    fixture.reply({ status: 503, body: problem('unavailable', 503) });
    await rejection(tz.reports.create(input));
    const id = bodyOf(0).id;
    fixture.reply({ status: 201, body: { ...receipt, id } });
    expect((await tz.reports.create(input)).id).toBe(id);
    expect(bodyOf(1).id).toBe(id);
    expect(input).not.toHaveProperty('id');
  });

  it('sends a report the contract refuses, and surfaces the server’s 400 with its invalid_params, without retrying', async () => {
    const invalid = { ...sample.reportInput, id: ID, categories: [] };
    fixture.reply({
      status: 400,
      body: problem('validation', 400, { invalid_params: [{ name: 'categories', reason: 'Too small: expected array to have >=1 items' }] }),
    });
    const error = await rejection(sender().reports.create(invalid));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).status).toBe(400);
    expect((error as ValidationError).invalidParams.map((param) => param.name)).toEqual(['categories']);
    expect(fixture.requests).toHaveLength(1);
  });

  it('refuses a receipt for another report, with a malformed reference or time, without retrying', async () => {
    for (const [body, path] of [
      [{ ...receipt, id: sample.IDS.organization }, 'id'],
      [{ ...receipt, reference: 'TZ-7K3M-Q9XI' }, 'reference'],
      [{ ...receipt, received_at: '2026-02-30T10:00:00Z' }, 'received_at'],
      [[receipt], ''],
    ] as const) {
      fixture.reset();
      fixture.reply({ status: 201, body }, { status: 201, body: receipt });
      const error = await rejection(sender().reports.create({ ...sample.reportInput, id: ID }));
      expect(isReferralApiError(error, 'ResponseValidationError')).toBe(true);
      if (!isReferralApiError(error, 'ResponseValidationError')) return;
      expect(error.issues.map((issue) => issue.path.join('.'))).toEqual([path]);
      expect(error.status).toBe(201);
      expect(fixture.requests).toHaveLength(1);
    }
  });

  it('refuses bad options at creation, naming itself', () => {
    expect(() => sender({ baseUrl: 'ftp://example.org' })).toThrow(/^createReportSender: baseUrl must be an http\(s\) URL/u);
    expect(() => sender({ apiKey: '' })).toThrow(/^createReportSender: apiKey is required/u);
  });

  it('bundles without zod or the report schemas', async () => {
    const result = await build({
      stdin: {
        contents: `import { createReportSender } from '@tahaffuz/referral-client/reports-unchecked'; globalThis.kept = createReportSender;`,
        resolveDir: clientDir,
        loader: 'js',
      },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      conditions: ['@tahaffuz/source'],
      metafile: true,
      write: false,
      logLevel: 'silent',
    });
    // Modules a bundler looked at but dropped weigh 0 bytes in the output.
    const output = Object.values(result.metafile.outputs)[0];
    const kept = Object.entries(output?.inputs ?? {})
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([path]) => path);
    expect(kept.some((path) => path.includes('create-report-sender'))).toBe(true);
    expect(kept.filter((path) => /(^|\/)zod\//u.test(path))).toEqual([]);
    const text = result.outputFiles[0]?.text ?? '';
    expect(text).not.toMatch(/ReportCreateSchema|safeParse|\$ZodType/u);
  });
});

describe('the receipt guard', () => {
  const reference = fc.stringMatching(REPORT_REFERENCE_PATTERN);
  const instant = fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true });

  it('accepts every receipt of the sent report that the contract accepts', () => {
    fc.assert(
      fc.property(fc.uuid(), reference, instant, (id, ref, at) => {
        const body = { id, reference: ref, received_at: at.toISOString() };
        expect(ReportReceiptSchema.safeParse(body).success).toBe(true);
        expect(receiptIssues(body, id)).toEqual([]);
      }),
    );
  });

  it('refuses what the contract refuses in the reference and the time', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }), (id, ref, at) => {
        const body = { id, reference: ref, received_at: at };
        const contract = ReportReceiptSchema.safeParse(body).success;
        if (!contract) expect(receiptIssues(body, id)).not.toEqual([]);
      }),
    );
  });

  it('reads RFC 3339 date-times, offsets included, and no impossible dates or times', () => {
    expect(isRfc3339DateTime('2026-11-28T08:34:11Z')).toBe(true);
    expect(isRfc3339DateTime('2026-11-28T08:34:11.123456Z')).toBe(true);
    expect(isRfc3339DateTime('2026-11-28T13:34:11+05:00')).toBe(true);
    expect(isRfc3339DateTime('2024-02-29T00:00:00Z')).toBe(true);
    for (const bad of [
      '2026-11-28',
      '2026-11-28 08:34:11Z',
      '2026-11-28T08:34:11',
      '2025-02-29T00:00:00Z',
      '2026-04-31T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-11-28T24:00:00Z',
      '2026-11-28T08:60:00Z',
      1_764_318_851_000,
    ]) {
      expect(isRfc3339DateTime(bad), String(bad)).toBe(false);
    }
  });
});
