/**
 * The typed client of the Tahaffuz referral API: one namespace per resource, inputs and responses
 * checked against `@tahaffuz/referral-contract`, retries that never duplicate a report, automatic
 * pagination and Standard Webhooks verification. ESM, `fetch` and WebCrypto only: Node 20+,
 * Bun, Deno, browsers and edge runtimes.
 *
 * @example
 * ```ts
 * import { createReferralClient, isReferralApiError } from '@tahaffuz/referral-client';
 *
 * const tz = createReferralClient({ baseUrl: 'https://referrals.example.org', apiKey: 'tz_sk_test_…' });
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
 *   if (isReferralApiError(error, 'ValidationError')) console.warn(error.invalidParams);
 *   else throw error;
 * }
 * ```
 * @module
 */

/** The client and its options. */
export {
  createReferralClient,
  type ReferralClient,
  type ReferralClientOptions,
} from './client/create-referral-client.js';

/** A client that only submits reports (also at `@tahaffuz/referral-client/reports`, which bundles nothing else). */
export {
  createReportSubmitter,
  type ReportSubmitter,
  type ReportSubmitterOptions,
} from './client/create-report-submitter.js';

/** Per-call options and the types derived from the contract's operations. */
export type {
  CallOptions,
  ListQuery,
  OperationBody,
  OperationItem,
  OperationQuery,
  OperationResult,
  OperationSchema,
  ReadonlyDeep,
} from './client/operation-types.js';

/** The namespaces of a client. */
export type { ReportInput, ReportsResource } from './resources/reports.js';
export type { CasesResource } from './resources/cases.js';
export type { ConsentsResource } from './resources/consents.js';
export type { OrganizationsResource } from './resources/organizations.js';
export type { ServicesResource } from './resources/services.js';
export type { ReferralsResource } from './resources/referrals.js';
export type { EventsResource } from './resources/events.js';
export type { WebhooksResource } from './resources/webhooks.js';
export type { StatsResource } from './resources/stats.js';
export type { AuditResource, ErasuresResource, KeysResource, RoutingResource } from './resources/admin.js';

/** Pagination: a list call, awaited for one page or iterated for every item. */
export { PagePromise, type Page, type PageFetcher } from './pagination/page-promise.js';

/** Retries, timeouts and hooks. */
export {
  DEFAULT_RETRY,
  DEFAULT_TIMEOUT,
  RETRYABLE_STATUSES,
  type RetryOptions,
  type TimeoutOptions,
} from './http/retry-policy.js';
export type { ClientHooks, RequestInfo, ResponseInfo, RetryInfo } from './http/hooks.js';
export type { FetchFunction } from './http/transport.js';

/** Errors: one base class, subclasses where a caller branches, a guard that works across realms. */
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
export { KeyScopeError } from './errors/key-scope-error.js';
export { WebhookVerificationError, type WebhookVerificationFailure } from './errors/webhook-verification-error.js';
export { isReferralApiError, type ReferralApiErrorByName } from './errors/is-referral-api-error.js';

/** Webhooks: Standard Webhooks verification and signing. */
export { verifyWebhook, type VerifyWebhookInput, type WebhookHeaders } from './webhooks/verify-webhook.js';
export { signWebhook, type SignWebhookInput } from './webhooks/webhook-signature.js';

/** The contract's resource types, for convenience (the contract package owns them). */
export type {
  AuditEvent,
  Case,
  CaseOpen,
  CaseTransition,
  Consent,
  ConsentCreate,
  Event,
  EventType,
  HotspotQuery,
  HotspotStats,
  Organization,
  Problem,
  Referral,
  ReferralCaseReport,
  ReferralCaseSummary,
  ReferralCreate,
  ReferralStatus,
  ReferralTransition,
  Report,
  ReportCreate,
  ReportReceipt,
  Service,
  WebhookDelivery,
  WebhookEventPayload,
  WebhookFailureCategory,
  WebhookPauseReason,
  WebhookSubscription,
  WebhookSubscriptionCreate,
  WebhookSubscriptionCreated,
} from '@tahaffuz/referral-contract';
