/**
 * The referral API contract of Tahaffuz, v1: the zod schemas of every resource, request and
 * response (wire names, snake_case), the referral and case state machines, the role permission
 * table, consent coverage, problem types, admin areas, the table of operations and the OpenAPI
 * 3.1 document built from them. Pure: no I/O; depends on zod only.
 *
 * @example
 * ```ts
 * import { ReportCreateSchema, toInvalidParams } from '@tahaffuz/referral-contract';
 *
 * const result = ReportCreateSchema.safeParse(body);
 * if (!result.success) console.log(toInvalidParams(result.error));
 * ```
 * @module
 */

/** Shared building blocks: ids, timestamps, locales, service types, age bands, genders, text limits. */
export {
  AgeBandSchema,
  AGE_BANDS,
  DateSchema,
  GenderSchema,
  GENDERS,
  IdSchema,
  LocaleSchema,
  LongTextSchema,
  PhoneSchema,
  ReasonSchema,
  SERVICE_TYPES,
  ServiceTypeSchema,
  ShortTextSchema,
  TimestampSchema,
  type AdminAreaCode,
  type AgeBand,
  type Gender,
  type Id,
  type Locale,
  type ServiceType,
  type Timestamp,
} from './primitives.js';

/** Lists: paging parameters and the `{ data, next_page_token }` envelope. */
export {
  DEFAULT_PAGE_SIZE,
  listEnvelope,
  MAX_PAGE_SIZE,
  PageQuerySchema,
  type ListPage,
  type PageQuery,
} from './list.js';

/** Reports: what the public or a partner submits, its three reporter modes and its receipt. */
export {
  AnonymousReporterSchema,
  CoarseCoordinatesSchema,
  ConfidentialReporterSchema,
  FIRST_SEEN,
  FirstSeenSchema,
  PLACE_TYPES,
  PlaceTypeSchema,
  REPORT_CATEGORIES,
  REPORT_CHANNELS,
  REPORT_REFERENCE_PATTERN,
  REPORTER_MODES,
  REPORTER_RELATIONSHIPS,
  ReportCategorySchema,
  ReportChannelSchema,
  ReportCreateSchema,
  ReporterContactSchema,
  ReporterModeSchema,
  ReporterRelationshipSchema,
  ReporterSchema,
  ReportListQuerySchema,
  ReportLocationSchema,
  ReportReceiptSchema,
  ReportReferenceSchema,
  ReportSchema,
  ReportSuspectsSchema,
  ReportVictimsSchema,
  ReportWhenSchema,
  ShareReporterSchema,
  VICTIM_INDICATORS,
  VictimIndicatorSchema,
  type CoarseCoordinates,
  type FirstSeen,
  type PlaceType,
  type Report,
  type ReportCategory,
  type ReportChannel,
  type ReportCreate,
  type Reporter,
  type ReporterContact,
  type ReporterMode,
  type ReporterRelationship,
  type ReportListQuery,
  type ReportLocation,
  type ReportReceipt,
  type ReportSuspects,
  type ReportVictims,
  type ReportWhen,
  type VictimIndicator,
} from './report.js';

/** Cases: opened from reports by screening; status separate from stage. */
export {
  CASE_STAGES,
  CASE_STATUSES,
  CASE_TRANSITION_TARGETS,
  CaseChildSchema,
  CaseListQuerySchema,
  CaseOpenSchema,
  CaseSchema,
  CaseStageSchema,
  CaseStatusSchema,
  CaseTransitionSchema,
  CaseTransitionTargetSchema,
  PROTECTION_CONCERNS,
  ProtectionConcernSchema,
  RISK_LEVELS,
  RiskLevelSchema,
  SCREENING_OUTCOMES,
  ScreeningOutcomeSchema,
  type Case,
  type CaseChild,
  type CaseListQuery,
  type CaseOpen,
  type CaseStage,
  type CaseStatus,
  type CaseTransition,
  type CaseTransitionTarget,
  type ProtectionConcern,
  type RiskLevel,
  type ScreeningOutcome,
} from './case.js';

/** The case transition table and its helpers. */
export {
  CASE_TRANSITIONS,
  canTransitionCase,
  caseState,
  caseTransitionAction,
  caseTransitionNeedsReason,
  type CaseState,
} from './case-transitions.js';

/** Consent records and what they cover. */
export {
  CONSENT_BASES,
  CONSENT_GRANTORS,
  CONSENT_STATUSES,
  ConsentBasisSchema,
  ConsentCreateSchema,
  ConsentGrantorSchema,
  ConsentListQuerySchema,
  ConsentSchema,
  ConsentScopeSchema,
  ConsentStatusSchema,
  ConsentWithdrawSchema,
  type Consent,
  type ConsentBasis,
  type ConsentCreate,
  type ConsentGrantor,
  type ConsentListQuery,
  type ConsentScope,
  type ConsentStatus,
  type ConsentWithdraw,
} from './consent.js';

/** Whether a consent covers a referral. */
export { consentCovers, type ConsentForCoverage, type ReferralForCoverage } from './consent-coverage.js';

/** The directory: organisations (HSDS `organization`). */
export {
  ORGANIZATION_KINDS,
  OrganizationCreateSchema,
  OrganizationKindSchema,
  OrganizationSchema,
  OrganizationSearchQuerySchema,
  type Organization,
  type OrganizationCreate,
  type OrganizationKind,
  type OrganizationSearchQuery,
} from './organization.js';

/** The directory: services (HSDS `service`) with capacity and the confidential address flag. */
export {
  AddressSchema,
  SERVICE_CAPACITIES,
  SERVICE_STATUSES,
  ServiceCapacitySchema,
  ServiceCapacityUpdateSchema,
  ServiceCreateSchema,
  ServiceSchema,
  ServiceSearchQuerySchema,
  ServiceStatusSchema,
  type Address,
  type Service,
  type ServiceCapacity,
  type ServiceCapacityUpdate,
  type ServiceCreate,
  type ServiceSearchQuery,
  type ServiceStatus,
} from './service.js';

/** Referrals: a case sent to a service. */
export {
  ConsentOverrideSchema,
  REFERRAL_STATUSES,
  REFERRAL_URGENCIES,
  ReferralCreateSchema,
  ReferralListQuerySchema,
  ReferralSchema,
  ReferralStatusSchema,
  ReferralTransitionSchema,
  ReferralUrgencySchema,
  type ConsentOverride,
  type Referral,
  type ReferralCreate,
  type ReferralListQuery,
  type ReferralStatus,
  type ReferralTransition,
  type ReferralUrgency,
} from './referral.js';

/** The case data a referral shares with the organisation it is addressed to, and who reads it when. */
export {
  CASE_SUMMARY_STATUSES,
  PRECISE_LOCATION_SERVICE_TYPES,
  ReferralCaseLocationSchema,
  ReferralCaseReportSchema,
  ReferralCaseSummarySchema,
  receiverSeesCaseSummary,
  sharesPreciseLocation,
  type ReferralCaseLocation,
  type ReferralCaseReport,
  type ReferralCaseSummary,
} from './referral-case-summary.js';

/** Who reads a shelter's confidential address, and when. */
export {
  CONFIDENTIAL_ADDRESS_ROLES,
  CONFIDENTIAL_ADDRESS_STATUSES,
  referrerSeesConfidentialAddress,
} from './confidential-address.js';

/** The referral transition table and its helpers. */
export {
  canTransition,
  FINAL_REFERRAL_STATUSES,
  isFinalReferralStatus,
  REFERRAL_TRANSITIONS,
  referralTransitionAction,
  transitionNeedsReason,
} from './referral-transitions.js';

/** Roles, actions, key kinds and the permission table. */
export {
  ACTIONS,
  ActionSchema,
  can,
  KEY_KINDS,
  KeyKindSchema,
  PERMISSIONS,
  PUBLISHABLE_ACTIONS,
  ROLES,
  RoleSchema,
  type Action,
  type KeyKind,
  type Role,
} from './permissions.js';

/** API keys (admin): create, list, revoke. */
export {
  API_KEY_PATTERN,
  ApiKeyCreatedSchema,
  ApiKeyCreateSchema,
  ApiKeyListQuerySchema,
  ApiKeySchema,
  KEY_MODES,
  KeyModeSchema,
  OriginSchema,
  parseApiKey,
  type ApiKey,
  type ApiKeyCreate,
  type ApiKeyCreated,
  type ApiKeyListQuery,
  type KeyMode,
} from './api-key.js';

/** The audit trail: who did or read what, ids and field names only. */
export {
  AuditActorSchema,
  AuditEventSchema,
  AuditListQuerySchema,
  HistoryQuerySchema,
  PLATFORM_TARGET_TYPES,
  PlatformTargetTypeSchema,
  TARGET_TYPES,
  TargetTypeSchema,
  type AuditActor,
  type AuditEvent,
  type AuditListQuery,
  type HistoryQuery,
  type TargetType,
} from './audit-event.js';

/** Events: every state change, listed and delivered by webhooks. */
export {
  EVENT_TYPES,
  EventDataSchema,
  EventListQuerySchema,
  EventSchema,
  EventTypeSchema,
  type Event,
  type EventData,
  type EventListQuery,
  type EventType,
} from './event.js';

/** Webhook subscriptions, deliveries and the Standard Webhooks payload. */
export {
  WEBHOOK_DELIVERY_STATUSES,
  WEBHOOK_FAILURE_CATEGORIES,
  WEBHOOK_SECRET_PATTERN,
  WEBHOOK_SUBSCRIPTION_STATUSES,
  WebhookDeliveryListQuerySchema,
  WebhookDeliverySchema,
  WebhookDeliveryStatusSchema,
  WebhookEventPayloadSchema,
  WebhookFailureCategorySchema,
  WebhookSubscriptionCreatedSchema,
  WebhookSubscriptionCreateSchema,
  WebhookSubscriptionListQuerySchema,
  WebhookSubscriptionSchema,
  WebhookSubscriptionStatusSchema,
  type WebhookDelivery,
  type WebhookDeliveryListQuery,
  type WebhookDeliveryStatus,
  type WebhookEventPayload,
  type WebhookFailureCategory,
  type WebhookSubscription,
  type WebhookSubscriptionCreate,
  type WebhookSubscriptionCreated,
  type WebhookSubscriptionListQuery,
  type WebhookSubscriptionStatus,
} from './webhook.js';
export { WEBHOOK_PAUSE_REASONS, WebhookPauseReasonSchema, type WebhookPauseReason } from './webhook-pause.js';

/** Hotspot stats over fixed calendar buckets, with small counts suppressed. */
export {
  DEFAULT_SUPPRESSION_THRESHOLD,
  HOTSPOT_BUCKETS,
  HOTSPOT_KINDS,
  HOTSPOT_PERIOD_PATTERNS,
  HotspotBucketSchema,
  HotspotKindSchema,
  HotspotQuerySchema,
  HotspotRowSchema,
  HotspotStatsSchema,
  type HotspotBucket,
  type HotspotKind,
  type HotspotQuery,
  type HotspotRow,
  type HotspotStats,
} from './hotspot-stats.js';

/** The routing table: which intake organisation receives reports from which admin area. */
export {
  resolveIntakeOrganization,
  RoutingRuleSchema,
  RoutingTableSchema,
  RoutingTableUpdateSchema,
  type RoutingRule,
  type RoutingTable,
  type RoutingTableUpdate,
} from './routing.js';

/** Erasure of a report or case (admin). */
export {
  ERASURE_TARGET_TYPES,
  ErasureCreateSchema,
  ErasureSchema,
  ErasureTargetTypeSchema,
  type Erasure,
  type ErasureCreate,
  type ErasureTargetType,
} from './erasure.js';

/** Problem details (RFC 9457) and the problem types. */
export {
  InvalidParamSchema,
  MAX_INVALID_PARAMS,
  PROBLEM_DEFINITIONS,
  PROBLEM_MEDIA_TYPE,
  PROBLEM_SLUGS,
  PROBLEM_TYPE_BASE,
  PROBLEM_TYPES,
  problemSlug,
  ProblemSchema,
  type InvalidParam,
  type Problem,
  type ProblemSlug,
} from './problem.js';

/** From zod issues to `invalid_params` with JSON paths. */
export { formatIssuePath, formatPath, issueReason, toInvalidParams } from './invalid-params.js';

/** Every endpoint as data: method, path, action, allowed keys, schemas, success status. */
export {
  allowsPublishableKey,
  getOperation,
  matchOperation,
  needsIdempotencyKey,
  OPERATIONS,
  operationPath,
  type HttpMethod,
  type Operation,
  type OperationById,
  type OperationId,
  type OperationMatch,
  type OperationSpec,
} from './operations.js';

/** `reports.create` on its own, for a page that only submits reports (no other operation's schemas). */
export { REPORTS_CREATE_OPERATION } from './reports-create-operation.js';

/** A realistic request body for every operation that takes one. */
export { REQUEST_EXAMPLES } from './examples.js';

/** The OpenAPI 3.1 document built from the operations and schemas. */
export { buildOpenApiDocument, CONTRACT_VERSION } from './openapi.js';

/** Admin areas: the Pakistan preset and a deployment's own list. */
export * from './admin-areas/index.js';
