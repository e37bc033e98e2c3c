import {
  createReferralClient,
  DEFAULT_RETRY,
  DEFAULT_TIMEOUT,
  isReferralApiError,
  PagePromise,
  ReferralApiError,
  signWebhook,
  verifyWebhook,
  type Report,
} from '@tahaffuz/referral-client';
import {
  createReportSubmitter,
  isReferralApiError as isReferralApiErrorFromReports,
  ReferralApiError as ReferralApiErrorFromReports,
  type ReportSubmitter,
} from '@tahaffuz/referral-client/reports';
import {
  createReportSender,
  ReferralApiError as ReferralApiErrorFromUnchecked,
  type ReportSubmitter as UncheckedReportSubmitter,
} from '@tahaffuz/referral-client/reports-unchecked';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpFixture, type HttpFixture } from './http-fixture.js';
import * as sample from './samples.js';

let fixture: HttpFixture;
beforeAll(async () => {
  fixture = await startHttpFixture();
});
afterAll(() => fixture.close());

describe('@tahaffuz/referral-client, imported by its public name', () => {
  it('creates a report and lists reports the way the README shows', async () => {
    const tz = createReferralClient({ baseUrl: fixture.url, apiKey: 'tz_sk_test_0123456789abcdef' });
    fixture.reply({ status: 201, body: sample.receipt }, { status: 200, body: sample.page([sample.report]) });
    const receipt = await tz.reports.create(sample.reportInput);
    expect(receipt.reference).toBe('TZ-7K3M-Q9XD');
    const list = tz.reports.list({ category: 'bonded_labour' });
    expect(list).toBeInstanceOf(PagePromise);
    const reports: Report[] = [];
    for await (const report of list) reports.push(report);
    expect(reports.map((report) => report.id)).toEqual([sample.IDS.report]);
  });

  it('exports the documented defaults, errors and webhook helpers', async () => {
    expect(DEFAULT_RETRY).toEqual({ limit: 8, backoffBase: 250, backoffCap: 5000, maxRetryAfter: 30_000 });
    expect(DEFAULT_TIMEOUT).toEqual({ attempt: 10_000, total: 60_000 });
    expect(isReferralApiError(new ReferralApiError('x'))).toBe(true);
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const body = JSON.stringify({ type: 'case.opened', timestamp: '2026-11-20T10:15:00Z', data: { case_id: sample.IDS.case } });
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = new Headers({
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(timestamp),
      'webhook-signature': await signWebhook({ id: 'msg_1', timestamp, body, secret }),
    });
    expect((await verifyWebhook({ body, headers, secret })).type).toBe('case.opened');
  });
});

describe('@tahaffuz/referral-client/reports, imported by its public name', () => {
  it('submits a report the way the README shows, with the error classes of the main entry', async () => {
    const tz: ReportSubmitter = createReportSubmitter({ baseUrl: fixture.url, apiKey: 'tz_pk_test_0123456789abcdef' });
    fixture.reply({ status: 201, body: sample.receipt });
    const receipt = await tz.reports.create(sample.reportInput);
    expect(receipt.reference).toBe('TZ-7K3M-Q9XD');
    expect(ReferralApiErrorFromReports).toBe(ReferralApiError);
    expect(isReferralApiErrorFromReports(new ReferralApiError('x'))).toBe(true);
  });
});

describe('@tahaffuz/referral-client/reports-unchecked, imported by its public name', () => {
  it('sends a report the way the README shows, and checks the receipt by hand', async () => {
    const tz: UncheckedReportSubmitter = createReportSender({ baseUrl: fixture.url, apiKey: 'tz_pk_test_0123456789abcdef' });
    const report = { ...sample.reportInput, id: sample.IDS.report };
    fixture.reply({ status: 201, body: sample.receipt });
    const receipt = await tz.reports.create(report, { idempotencyKey: report.id });
    expect(receipt).toEqual(sample.receipt);
    expect(ReferralApiErrorFromUnchecked).toBe(ReferralApiError);
    fixture.reply({ status: 201, body: { ...sample.receipt, received_at: 'yesterday' } });
    await expect(tz.reports.create(report)).rejects.toMatchObject({ name: 'ResponseValidationError' });
  });
});
