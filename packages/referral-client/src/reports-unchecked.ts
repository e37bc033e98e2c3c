/**
 * `@tahaffuz/referral-client/reports-unchecked`: `createReportSender`, a client that only submits
 * reports and bundles without zod — the transport, retries, idempotency and errors of
 * `@tahaffuz/referral-client/reports`, but the report is not checked against the contract's schema
 * before sending (the server checks it and answers 400 with `invalid_params`), and the receipt is
 * checked by a small hand-written guard (its id, its reference's pattern, an RFC 3339
 * `received_at`) instead of the contract's schema. For pages whose reports are already checked,
 * like the report form's script-tag file; anything else should use `/reports`.
 *
 * @example
 * ```ts
 * import { createReportSender } from '@tahaffuz/referral-client/reports-unchecked';
 *
 * const tz = createReportSender({ baseUrl: 'https://referrals.example.org', apiKey: 'tz_pk_live_…' });
 * const receipt = await tz.reports.create(report, { idempotencyKey: report.id });
 * ```
 * @module
 */

/** The report sender and its options. */
export { createReportSender, type ReportSenderOptions } from './client/create-report-sender.js';
export type { ReportSubmitter } from './client/report-route.js';
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
