import { REPORTS_CREATE_OPERATION, type ReportReceipt } from '@tahaffuz/referral-contract';
import { createTransport } from '../http/transport.js';
import { reportCreate, type ReportsResource } from '../resources/reports.js';
import { callOperation } from './call-operation.js';
import { resolveTransportOptions, type ReferralClientOptions } from './client-options.js';

/** Options of `createReportSubmitter()`: the same as a full client's. */
export type ReportSubmitterOptions = ReferralClientOptions;

/**
 * A client that can only submit reports: `reports.create` of the full client and nothing else. A
 * `ReferralClient` is also a `ReportSubmitter`, so code written against this type takes either.
 */
export interface ReportSubmitter {
  readonly reports: Pick<ReportsResource, 'create'>;
}

/**
 * Creates a client that only submits reports, for pages and forms that bundle it: the same
 * `reports.create` as `createReferralClient()` — the report's id generated once and one
 * `Idempotency-Key` for every retry, the same retries, timeouts and `Retry-After` handling, the
 * input checked against the contract's report schema before sending, the receipt checked after,
 * the same `ReferralApiError` classes — without the other operations and their schemas.
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
  const transport = createTransport(resolveTransportOptions('createReportSubmitter', options));
  const publishable = options.apiKey.startsWith('tz_pk_');
  return {
    reports: {
      create: reportCreate(
        (body, callOptions) =>
          callOperation(transport, publishable, REPORTS_CREATE_OPERATION, { body }, callOptions) as Promise<ReportReceipt>,
      ),
    },
  };
}
