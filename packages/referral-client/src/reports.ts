/**
 * `@tahaffuz/referral-client/reports`: a client that only submits reports, for a page or a form
 * that bundles it (the report form's script-tag file does). The same `reports.create` as the full
 * client — generated report id, one `Idempotency-Key` across retries, timeouts, `Retry-After`,
 * validation of the report and of the receipt, the same error classes — without the rest of the
 * API: none of the other operations, their schemas, pagination or webhook verification.
 *
 * @example
 * ```ts
 * import { createReportSubmitter } from '@tahaffuz/referral-client/reports';
 *
 * const tz = createReportSubmitter({ baseUrl: 'https://referrals.example.org', apiKey: 'tz_pk_live_…' });
 * const receipt = await tz.reports.create({
 *   categories: ['bonded_labour'],
 *   happening_now: true,
 *   location: { admin_area: 'PK-PB-LHR', place_type: 'brick_kiln' },
 *   reporter: { mode: 'anonymous' },
 *   locale: 'en',
 * });
 * ```
 * @module
 */

/** The report submitter and its options. */
export {
  createReportSubmitter,
  type ReportSubmitter,
  type ReportSubmitterOptions,
} from './client/create-report-submitter.js';
export type { ReportInput } from './resources/reports.js';
export type { CallOptions } from './client/operation-types.js';

/** Retries, timeouts and hooks: the full client's. */
export { DEFAULT_RETRY, DEFAULT_TIMEOUT, type RetryOptions, type TimeoutOptions } from './http/retry-policy.js';
export type { ClientHooks, RequestInfo, ResponseInfo, RetryInfo } from './http/hooks.js';
export type { FetchFunction } from './http/transport.js';

/** Errors: the same classes as the main entry (one set, shared), and the cross-realm guard. */
export {
  ReferralApiError,
  type InvalidParam,
  type ProblemDetails,
  type ReferralApiErrorContext,
  type ReferralApiErrorName,
} from './errors/referral-api-error.js';
export {
  AuthenticationError,
  ConflictError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  ValidationError,
} from './errors/status-errors.js';
export { NetworkError, TimeoutError } from './errors/transport-errors.js';
export { RequestValidationError, ResponseValidationError, type SchemaIssue } from './errors/validation-errors.js';
export { isReferralApiError, type ReferralApiErrorByName } from './errors/is-referral-api-error.js';

/** The contract's report types, for convenience (the contract package owns them). */
export type { ReportCreate, ReportReceipt } from '@tahaffuz/referral-contract';
