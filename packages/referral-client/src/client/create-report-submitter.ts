import { ReportCreateSchema, ReportReceiptSchema, toInvalidParams } from '@tahaffuz/referral-contract';
import { safeParse } from 'zod/mini';
import { describeInvalidParams } from '../errors/referral-api-error.js';
import { RequestValidationError, responseValidationError } from '../errors/validation-errors.js';
import type { ReferralClientOptions } from './client-options.js';
import { createReportClient, REPORTS_CREATE_ROUTE, type ReportSubmitter } from './report-route.js';

export type { ReportSubmitter } from './report-route.js';

/** Options of `createReportSubmitter()`: the same as a full client's. */
export type ReportSubmitterOptions = ReferralClientOptions;

/**
 * Creates a client that only submits reports, for pages and forms that bundle it: the same
 * `reports.create` as `createReferralClient()` — the report's id generated once and one
 * `Idempotency-Key` for every retry, the same retries, timeouts and `Retry-After` handling, the
 * input checked against the contract's report schema before sending, the receipt checked after,
 * the same `ReferralApiError` classes — without the other operations and their schemas. It is
 * `createReportSender()` (`@tahaffuz/referral-client/reports-unchecked`) with the contract's
 * schemas around the request.
 *
 * @example
 * ```ts
 * import { createReportSubmitter, isReferralApiError } from '@tahaffuz/referral-client/reports';
 *
 * const tz = createReportSubmitter({ baseUrl: 'https://referrals.example.org', apiKey: 'tz_pk_live_…' });
 * try {
 *   const receipt = await tz.reports.create({
 *     categories: ['bonded_labour'],
 *     happening_now: true,
 *     location: { admin_area: 'PK-PB-LHR', place_type: 'brick_kiln' },
 *     reporter: { mode: 'anonymous' },
 *     locale: 'en',
 *   });
 *   console.log(receipt.reference);
 * } catch (error) {
 *   if (isReferralApiError(error, 'RequestValidationError')) console.warn(error.path);
 *   else throw error;
 * }
 * ```
 */
export function createReportSubmitter(options: ReportSubmitterOptions): ReportSubmitter {
  return createReportClient('createReportSubmitter', options, {
    request(body) {
      const checked = safeParse(ReportCreateSchema, body);
      if (checked.success) return;
      const invalidParams = toInvalidParams(checked.error.issues);
      throw new RequestValidationError(
        `${REPORTS_CREATE_ROUTE.id}: invalid body — ${describeInvalidParams(invalidParams)}. Nothing was sent.`,
        {
          operation: REPORTS_CREATE_ROUTE.id,
          method: REPORTS_CREATE_ROUTE.method,
          issues: checked.error.issues,
          invalidParams,
        },
      );
    },
    receipt(response) {
      const checked = safeParse(ReportReceiptSchema, response.body);
      if (checked.success) return checked.data;
      throw responseValidationError(response, REPORTS_CREATE_ROUTE.id, checked.error.issues, toInvalidParams(checked.error.issues));
    },
  });
}
