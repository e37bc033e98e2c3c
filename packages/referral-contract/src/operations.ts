import * as z from 'zod/mini';
import type { Action, KeyKind } from './permissions.js';
import type { ProblemSlug } from './problem.js';
import { listEnvelope } from './list.js';
import { ReportListQuerySchema, ReportSchema } from './report.js';
import { REPORTS_CREATE_OPERATION } from './reports-create-operation.js';
import { CaseListQuerySchema, CaseOpenSchema, CaseSchema, CaseTransitionSchema } from './case.js';
import { ConsentCreateSchema, ConsentListQuerySchema, ConsentSchema, ConsentWithdrawSchema } from './consent.js';
import { OrganizationCreateSchema, OrganizationSchema, OrganizationSearchQuerySchema } from './organization.js';
import { ServiceCapacityUpdateSchema, ServiceCreateSchema, ServiceSchema, ServiceSearchQuerySchema } from './service.js';
import { ReferralCreateSchema, ReferralListQuerySchema, ReferralSchema, ReferralTransitionSchema } from './referral.js';
import { ReferralCaseSummarySchema } from './referral-case-summary.js';
import { AuditEventSchema, AuditListQuerySchema, HistoryQuerySchema } from './audit-event.js';
import { EventListQuerySchema, EventSchema } from './event.js';
import {
  WebhookDeliveryListQuerySchema,
  WebhookDeliverySchema,
  WebhookSubscriptionCreatedSchema,
  WebhookSubscriptionCreateSchema,
  WebhookSubscriptionListQuerySchema,
  WebhookSubscriptionSchema,
} from './webhook.js';
import { HotspotQuerySchema, HotspotStatsSchema } from './hotspot-stats.js';
import { IdSchema } from './primitives.js';
import { RoutingTableSchema, RoutingTableUpdateSchema } from './routing.js';
import { ApiKeyCreatedSchema, ApiKeyCreateSchema, ApiKeyListQuerySchema, ApiKeySchema } from './api-key.js';
import { ErasureCreateSchema, ErasureSchema } from './erasure.js';

/** The HTTP methods the API uses. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** One endpoint of the API, as data: the server routes and authorises from it, the client and the OpenAPI document are built from it. */
export interface OperationSpec {
  /** `namespace.method`, the same names as the client's (`reports.create`). */
  readonly id: string;
  readonly method: HttpMethod;
  /** The path under `/v1/`, with `{id}` for the one path parameter (always a UUID; `matchOperation` matches nothing else). */
  readonly path: string;
  /** The action the caller's role must be allowed (`can(role, action)`). */
  readonly action: Action;
  /** Which kinds of key may call it; publishable keys only ever create reports. */
  readonly keys: readonly KeyKind[];
  /** The JSON body, for POST and PUT. */
  readonly request?: z.core.$ZodType;
  /** The query parameters. */
  readonly query?: z.core.$ZodType;
  /** The body of a success response; absent for 204. */
  readonly response?: z.core.$ZodType;
  /** The success status. */
  readonly status: 200 | 201 | 204;
  /** The problem types this operation answers besides the ones every operation may. */
  readonly problems: readonly ProblemSlug[];
  /** One line for people. */
  readonly summary: string;
  /** More for people, where the summary cannot say enough (the OpenAPI operation's `description`). */
  readonly description?: string;
  /** The group in the OpenAPI document (and the client namespace). */
  readonly tag: string;
  /**
   * For transitions: the target state needs a further action on top of `action`
   * (`referralTransitionAction(to)` or `caseTransitionAction(to)`).
   */
  readonly actionByTarget?: 'referral' | 'case';
}

const SECRET = ['secret'] as const satisfies readonly KeyKind[];

const ReportPageSchema = /* @__PURE__ */ listEnvelope(ReportSchema);
const CasePageSchema = /* @__PURE__ */ listEnvelope(CaseSchema);
const ConsentPageSchema = /* @__PURE__ */ listEnvelope(ConsentSchema);
const OrganizationPageSchema = /* @__PURE__ */ listEnvelope(OrganizationSchema);
const ServicePageSchema = /* @__PURE__ */ listEnvelope(ServiceSchema);
const ReferralPageSchema = /* @__PURE__ */ listEnvelope(ReferralSchema);
const AuditEventPageSchema = /* @__PURE__ */ listEnvelope(AuditEventSchema);
const EventPageSchema = /* @__PURE__ */ listEnvelope(EventSchema);
const WebhookSubscriptionPageSchema = /* @__PURE__ */ listEnvelope(WebhookSubscriptionSchema);
const WebhookDeliveryPageSchema = /* @__PURE__ */ listEnvelope(WebhookDeliverySchema);
const ApiKeyPageSchema = /* @__PURE__ */ listEnvelope(ApiKeySchema);

/**
 * Every endpoint of the referral API v1. Every POST also takes an `Idempotency-Key` header.
 *
 * @example
 * ```ts
 * const op = getOperation('referrals.transition');
 * op.method; // 'POST'
 * op.path; // '/v1/referrals/{id}/transitions'
 * ```
 */
export const OPERATIONS = [
  // Reports
  REPORTS_CREATE_OPERATION,
  {
    id: 'reports.list',
    method: 'GET',
    path: '/v1/reports',
    action: 'reports:read',
    keys: SECRET,
    query: ReportListQuerySchema,
    response: ReportPageSchema,
    status: 200,
    problems: [],
    summary: 'List the reports routed to your organisation',
    tag: 'reports',
  },
  {
    id: 'reports.get',
    method: 'GET',
    path: '/v1/reports/{id}',
    action: 'reports:read',
    keys: SECRET,
    response: ReportSchema,
    status: 200,
    problems: ['not-found'],
    summary: 'Read a report',
    tag: 'reports',
  },
  {
    id: 'reports.history',
    method: 'GET',
    path: '/v1/reports/{id}/history',
    action: 'reports:read',
    keys: SECRET,
    query: HistoryQuerySchema,
    response: AuditEventPageSchema,
    status: 200,
    problems: ['not-found'],
    summary: "A report's audit trail",
    tag: 'reports',
  },
  // Cases
  {
    id: 'cases.open',
    method: 'POST',
    path: '/v1/cases',
    action: 'cases:open',
    keys: SECRET,
    request: CaseOpenSchema,
    response: CaseSchema,
    status: 201,
    problems: ['not-found'],
    summary: 'Open a case from one or more screened reports',
    tag: 'cases',
  },
  {
    id: 'cases.list',
    method: 'GET',
    path: '/v1/cases',
    action: 'cases:read',
    keys: SECRET,
    query: CaseListQuerySchema,
    response: CasePageSchema,
    status: 200,
    problems: [],
    summary: "List your organisation's cases",
    tag: 'cases',
  },
  {
    id: 'cases.get',
    method: 'GET',
    path: '/v1/cases/{id}',
    action: 'cases:read',
    keys: SECRET,
    response: CaseSchema,
    status: 200,
    problems: ['not-found'],
    summary: 'Read a case',
    tag: 'cases',
  },
  {
    id: 'cases.transition',
    method: 'POST',
    path: '/v1/cases/{id}/transitions',
    action: 'cases:transition',
    keys: SECRET,
    request: CaseTransitionSchema,
    response: CaseSchema,
    status: 200,
    problems: ['not-found', 'invalid-transition'],
    summary: 'Change a case stage, close it (supervisor) or reopen it (supervisor)',
    tag: 'cases',
    actionByTarget: 'case',
  },
  {
    id: 'cases.history',
    method: 'GET',
    path: '/v1/cases/{id}/history',
    action: 'cases:read',
    keys: SECRET,
    query: HistoryQuerySchema,
    response: AuditEventPageSchema,
    status: 200,
    problems: ['not-found'],
    summary: "A case's audit trail",
    tag: 'cases',
  },
  // Consents
  {
    id: 'consents.create',
    method: 'POST',
    path: '/v1/consents',
    action: 'consents:create',
    keys: SECRET,
    request: ConsentCreateSchema,
    response: ConsentSchema,
    status: 201,
    problems: ['not-found'],
    summary: 'Record a consent for a case',
    tag: 'consents',
  },
  {
    id: 'consents.withdraw',
    method: 'POST',
    path: '/v1/consents/{id}/withdraw',
    action: 'consents:withdraw',
    keys: SECRET,
    request: ConsentWithdrawSchema,
    response: ConsentSchema,
    status: 200,
    problems: ['not-found', 'conflict'],
    summary: 'Withdraw a consent',
    tag: 'consents',
  },
  {
    id: 'consents.list',
    method: 'GET',
    path: '/v1/consents',
    action: 'consents:read',
    keys: SECRET,
    query: ConsentListQuerySchema,
    response: ConsentPageSchema,
    status: 200,
    problems: [],
    summary: 'List consents, by case',
    tag: 'consents',
  },
  // Organizations
  {
    id: 'organizations.list',
    method: 'GET',
    path: '/v1/organizations',
    action: 'directory:read',
    keys: SECRET,
    query: OrganizationSearchQuerySchema,
    response: OrganizationPageSchema,
    status: 200,
    problems: [],
    summary: 'Search the directory of organisations',
    tag: 'organizations',
  },
  {
    id: 'organizations.get',
    method: 'GET',
    path: '/v1/organizations/{id}',
    action: 'directory:read',
    keys: SECRET,
    response: OrganizationSchema,
    status: 200,
    problems: ['not-found'],
    summary: 'Read an organisation',
    tag: 'organizations',
  },
  {
    id: 'organizations.create',
    method: 'POST',
    path: '/v1/organizations',
    action: 'directory:manage',
    keys: SECRET,
    request: OrganizationCreateSchema,
    response: OrganizationSchema,
    status: 201,
    problems: [],
    summary: 'Add an organisation to the directory (operator)',
    tag: 'organizations',
  },
  // Services
  {
    id: 'services.list',
    method: 'GET',
    path: '/v1/services',
    action: 'directory:read',
    keys: SECRET,
    query: ServiceSearchQuerySchema,
    response: ServicePageSchema,
    status: 200,
    problems: [],
    summary: 'Search services by admin area, service type and capacity',
    tag: 'services',
  },
  {
    id: 'services.get',
    method: 'GET',
    path: '/v1/services/{id}',
    action: 'directory:read',
    keys: SECRET,
    response: ServiceSchema,
    status: 200,
    problems: ['not-found'],
    summary: 'Read a service',
    tag: 'services',
  },
  {
    id: 'services.create',
    method: 'POST',
    path: '/v1/services',
    action: 'services:manage',
    keys: SECRET,
    request: ServiceCreateSchema,
    response: ServiceSchema,
    status: 201,
    problems: ['not-found'],
    summary: 'Add a service to the directory: an admin for its own organisation, the operator for any',
    tag: 'services',
  },
  {
    id: 'services.updateCapacity',
    method: 'POST',
    path: '/v1/services/{id}/capacity',
    action: 'services:update_capacity',
    keys: SECRET,
    request: ServiceCapacityUpdateSchema,
    response: ServiceSchema,
    status: 200,
    problems: ['not-found'],
    summary: "Update a service's capacity: provider or admin of its organisation, or the operator",
    tag: 'services',
  },
  // Referrals
  {
    id: 'referrals.create',
    method: 'POST',
    path: '/v1/referrals',
    action: 'referrals:create',
    keys: SECRET,
    request: ReferralCreateSchema,
    response: ReferralSchema,
    status: 201,
    problems: ['not-found'],
    summary: 'Create a draft referral of a case to a service',
    tag: 'referrals',
  },
  {
    id: 'referrals.list',
    method: 'GET',
    path: '/v1/referrals',
    action: 'referrals:read',
    keys: SECRET,
    query: ReferralListQuerySchema,
    response: ReferralPageSchema,
    status: 200,
    problems: [],
    summary: 'List referrals made by or addressed to your organisation',
    tag: 'referrals',
  },
  {
    id: 'referrals.get',
    method: 'GET',
    path: '/v1/referrals/{id}',
    action: 'referrals:read',
    keys: SECRET,
    response: ReferralSchema,
    status: 200,
    problems: ['not-found'],
    summary: 'Read a referral',
    tag: 'referrals',
  },
  {
    id: 'referrals.transition',
    method: 'POST',
    path: '/v1/referrals/{id}/transitions',
    action: 'referrals:read',
    keys: SECRET,
    request: ReferralTransitionSchema,
    response: ReferralSchema,
    status: 200,
    problems: ['not-found', 'invalid-transition', 'consent-required'],
    summary: 'Move a referral to another state: request and cancel (caseworker), accept, reject, start, hold, complete, fail (provider)',
    tag: 'referrals',
    actionByTarget: 'referral',
  },
  {
    id: 'referrals.case',
    method: 'GET',
    path: '/v1/referrals/{id}/case',
    action: 'referrals:read',
    keys: SECRET,
    response: ReferralCaseSummarySchema,
    status: 200,
    problems: ['not-found', 'consent-required'],
    summary: 'Read the case data a referral shares with the organisation it is addressed to (provider)',
    tag: 'referrals',
  },
  {
    id: 'referrals.history',
    method: 'GET',
    path: '/v1/referrals/{id}/history',
    action: 'referrals:read',
    keys: SECRET,
    query: HistoryQuerySchema,
    response: AuditEventPageSchema,
    status: 200,
    problems: ['not-found'],
    summary: "A referral's audit trail",
    tag: 'referrals',
  },
  // Events
  {
    id: 'events.list',
    method: 'GET',
    path: '/v1/events',
    action: 'events:read',
    keys: SECRET,
    query: EventListQuerySchema,
    response: EventPageSchema,
    status: 200,
    problems: [],
    summary: 'Every state change after an event id, oldest first',
    tag: 'events',
  },
  // Webhooks
  {
    id: 'webhooks.create',
    method: 'POST',
    path: '/v1/webhooks',
    action: 'webhooks:manage',
    keys: SECRET,
    request: WebhookSubscriptionCreateSchema,
    response: WebhookSubscriptionCreatedSchema,
    status: 201,
    problems: ['webhook-subscription-limit'],
    summary: 'Subscribe to events; the signing secret is answered this once',
    tag: 'webhooks',
  },
  {
    id: 'webhooks.list',
    method: 'GET',
    path: '/v1/webhooks',
    action: 'webhooks:manage',
    keys: SECRET,
    query: WebhookSubscriptionListQuerySchema,
    response: WebhookSubscriptionPageSchema,
    status: 200,
    problems: [],
    summary: "List your organisation's webhook subscriptions",
    tag: 'webhooks',
  },
  {
    id: 'webhooks.delete',
    method: 'DELETE',
    path: '/v1/webhooks/{id}',
    action: 'webhooks:manage',
    keys: SECRET,
    status: 204,
    problems: ['not-found'],
    summary: 'Delete a webhook subscription',
    tag: 'webhooks',
  },
  {
    id: 'webhooks.rotateSecret',
    method: 'POST',
    path: '/v1/webhooks/{id}/rotate-secret',
    action: 'webhooks:manage',
    keys: SECRET,
    response: WebhookSubscriptionCreatedSchema,
    status: 200,
    problems: ['not-found'],
    summary: 'Rotate the signing secret (the old one keeps signing for a grace period)',
    tag: 'webhooks',
  },
  {
    id: 'webhooks.deliveries',
    method: 'GET',
    path: '/v1/webhooks/{id}/deliveries',
    action: 'webhooks:manage',
    keys: SECRET,
    query: WebhookDeliveryListQuerySchema,
    response: WebhookDeliveryPageSchema,
    status: 200,
    problems: ['not-found'],
    summary: "A subscription's delivery log",
    tag: 'webhooks',
  },
  // Stats
  {
    id: 'stats.hotspots',
    method: 'GET',
    path: '/v1/stats/hotspots',
    action: 'stats:read',
    keys: SECRET,
    query: HotspotQuerySchema,
    response: HotspotStatsSchema,
    status: 200,
    problems: [],
    summary: 'Report or case counts by admin area and category over a closed calendar bucket, small counts suppressed',
    description:
      'Counts are published for closed periods only: a month, quarter or year that has ended (UTC). A period still running answers 400 naming `period`, since a count that moves while a period is open lets whoever knows of one report see it arrive. Counts below the threshold are suppressed, and buckets are fixed so that counts cannot be differenced across overlapping ranges.',
    tag: 'stats',
  },
  // Routing
  {
    id: 'routing.get',
    method: 'GET',
    path: '/v1/routing',
    action: 'routing:manage',
    keys: SECRET,
    response: RoutingTableSchema,
    status: 200,
    problems: [],
    summary: 'Read the routing table (operator)',
    tag: 'routing',
  },
  {
    id: 'routing.update',
    method: 'PUT',
    path: '/v1/routing',
    action: 'routing:manage',
    keys: SECRET,
    request: RoutingTableUpdateSchema,
    response: RoutingTableSchema,
    status: 200,
    problems: ['not-found'],
    summary: 'Replace the routing table (operator); each organisation whose areas change gets a routing.changed event',
    tag: 'routing',
  },
  // Keys
  {
    id: 'keys.create',
    method: 'POST',
    path: '/v1/keys',
    action: 'keys:manage',
    keys: SECRET,
    request: ApiKeyCreateSchema,
    response: ApiKeyCreatedSchema,
    status: 201,
    problems: ['not-found'],
    summary: 'Create an API key, answered this once: an admin for its own organisation (never an operator key), the operator for any',
    tag: 'keys',
  },
  {
    id: 'keys.list',
    method: 'GET',
    path: '/v1/keys',
    action: 'keys:manage',
    keys: SECRET,
    query: ApiKeyListQuerySchema,
    response: ApiKeyPageSchema,
    status: 200,
    problems: [],
    summary: "List API keys: your organisation's, or (operator) another's by organization_id",
    tag: 'keys',
  },
  {
    id: 'keys.revoke',
    method: 'POST',
    path: '/v1/keys/{id}/revoke',
    action: 'keys:manage',
    keys: SECRET,
    response: ApiKeySchema,
    status: 200,
    problems: ['not-found'],
    summary: "Revoke an API key: an admin its own organisation's, the operator any organisation's",
    tag: 'keys',
  },
  // Audit
  {
    id: 'audit.list',
    method: 'GET',
    path: '/v1/audit',
    action: 'audit:read',
    keys: SECRET,
    query: AuditListQuerySchema,
    response: AuditEventPageSchema,
    status: 200,
    problems: [],
    summary: 'The audit of platform changes (routing, organisations, services, keys), oldest first (operator)',
    tag: 'audit',
  },
  // Erasure
  {
    id: 'erasures.create',
    method: 'POST',
    path: '/v1/erasures',
    action: 'erasure',
    keys: SECRET,
    request: ErasureCreateSchema,
    response: ErasureSchema,
    status: 201,
    problems: ['not-found'],
    summary: "Erase a report or a case's personal data (admin)",
    tag: 'erasures',
  },
] as const satisfies readonly OperationSpec[];

/** Every operation. */
export type Operation = (typeof OPERATIONS)[number];
/** An operation id such as `reports.create`. */
export type OperationId = Operation['id'];
/** The operation with the given id. */
export type OperationById<I extends OperationId> = Extract<Operation, { id: I }>;

/** The operation with the given id. */
export function getOperation<I extends OperationId>(id: I): OperationById<I> {
  const operation = OPERATIONS.find((op) => op.id === id);
  if (operation === undefined) throw new RangeError(`Unknown operation id: ${id}`);
  return operation as OperationById<I>;
}

/** Whether an operation takes an `Idempotency-Key` (every POST does; the server answers 400 without one). */
export function needsIdempotencyKey(operation: Pick<OperationSpec, 'method'>): boolean {
  return operation.method === 'POST';
}

/** Whether a publishable key may call the operation. */
export function allowsPublishableKey(operation: Pick<OperationSpec, 'keys'>): boolean {
  return (operation.keys as readonly KeyKind[]).includes('publishable');
}

/** The path of an operation with its `{id}` filled in (URL-encoded). */
export function operationPath(operation: Pick<OperationSpec, 'path'>, params: { readonly id?: string } = {}): string {
  return operation.path.replace('{id}', () => {
    if (params.id === undefined) throw new RangeError(`${operation.path} needs an id`);
    return encodeURIComponent(params.id);
  });
}

/** The result of matching a request line against the operations. */
export type OperationMatch =
  | { readonly kind: 'match'; readonly operation: Operation; readonly params: { readonly id?: string } }
  | { readonly kind: 'method-not-allowed'; readonly allow: readonly HttpMethod[] }
  | { readonly kind: 'not-found' };

function matchPath(template: string, pathname: string): { id?: string } | undefined {
  const want = template.split('/');
  const have = pathname.split('/');
  if (want.length !== have.length) return undefined;
  const params: { id?: string } = {};
  for (let i = 0; i < want.length; i += 1) {
    const w = want[i] ?? '';
    const h = have[i] ?? '';
    if (w === '{id}') {
      if (h === '') return undefined;
      let id: string;
      try {
        id = decodeURIComponent(h);
      } catch {
        return undefined;
      }
      // Every `{id}` is a UUID: anything else names no object, so the path names no operation.
      if (!z.safeParse(IdSchema, id).success) return undefined;
      params.id = id;
    } else if (w !== h) {
      return undefined;
    }
  }
  return params;
}

/**
 * Which operation a method and path (without query string) name: the operation with its `id`
 * parameter, `method-not-allowed` with the methods the path allows, or `not-found`. An `{id}`
 * segment that is not a UUID (`IdSchema`) matches no operation, so it is `not-found`.
 */
export function matchOperation(method: string, pathname: string): OperationMatch {
  const allow: HttpMethod[] = [];
  for (const operation of OPERATIONS) {
    const params = matchPath(operation.path, pathname);
    if (params === undefined) continue;
    if (operation.method === method.toUpperCase()) return { kind: 'match', operation, params };
    allow.push(operation.method);
  }
  return allow.length > 0 ? { kind: 'method-not-allowed', allow } : { kind: 'not-found' };
}
