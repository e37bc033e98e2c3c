import type { ReferralClientOptions } from './client-options.js';
import { receiptIssues, receiptOf } from './receipt-guard.js';
import { createReportClient, REPORTS_CREATE_ROUTE, type ReportSubmitter } from './report-route.js';
import { responseValidationError } from '../errors/validation-errors.js';

/** Options of `createReportSender()`: the same as a full client's. */
export type ReportSenderOptions = ReferralClientOptions;

/**
 * Creates a client that only submits reports and does not check them against the contract's
 * schemas, so that it bundles without zod: for a page whose reports are already checked (the
 * report form builds them from its own checked draft, and its tests hold every report it can build
 * to the contract) and whose server checks every report again. The same transport as
 * `createReportSubmitter()` — the report's id generated once and one `Idempotency-Key` for every
 * retry, retries, timeouts, `Retry-After`, the same `ReferralApiError` classes. The report is sent
 * as given: a report the contract does not allow is refused by the server with a
 * `ValidationError` (400, `invalidParams`) rather than before sending. The receipt is checked by
 * hand: its `id` must be the report's, its `reference` must match the contract's pattern and its
 * `received_at` must be an RFC 3339 date-time, else a `ResponseValidationError`.
 *
 * @example
 * ```ts
 * import { createReportSender, isReferralApiError } from '@tahaffuz/referral-client/reports-unchecked';
 *
 * const tz = createReportSender({ baseUrl: 'https://referrals.example.org', apiKey: 'tz_pk_live_…' });
 * try {
 *   const receipt = await tz.reports.create(report, { idempotencyKey: report.id });
 *   console.log(receipt.reference);
 * } catch (error) {
 *   if (isReferralApiError(error, 'ValidationError')) console.warn(error.invalidParams);
 *   else throw error;
 * }
 * ```
 */
export function createReportSender(options: ReportSenderOptions): ReportSubmitter {
  return createReportClient('createReportSender', options, {
    receipt(response, sent) {
      const issues = receiptIssues(response.body, sent.id);
      if (issues.length === 0) return receiptOf(response.body as Record<string, unknown>);
      const invalidParams = issues.map((issue) => ({ name: issue.path.length === 0 ? '$' : issue.path.join('.'), reason: issue.message }));
      throw responseValidationError(response, REPORTS_CREATE_ROUTE.id, issues, invalidParams);
    },
  });
}
