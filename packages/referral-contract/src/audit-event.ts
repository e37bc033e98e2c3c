import * as z from 'zod/mini';
import { IdSchema, TimestampSchema } from './primitives.js';
import { RoleSchema } from './permissions.js';
import { PageQueryShape } from './list.js';

/** The kinds of object an audit event or event can be about. */
export const TARGET_TYPES = [
  'report',
  'case',
  'consent',
  'referral',
  'organization',
  'service',
  'webhook_subscription',
  'api_key',
  'routing_table',
  'erasure',
] as const;
/** A target type. */
export const TargetTypeSchema = /* @__PURE__ */ z.enum(TARGET_TYPES);
/** A target type. */
export type TargetType = z.infer<typeof TargetTypeSchema>;

/** Who acted: the key, its organisation and its role (`null` role for a publishable key). */
export const AuditActorSchema = /* @__PURE__ */ (() =>
  z.object({
    key_id: z.nullable(IdSchema),
    organization_id: z.nullable(IdSchema),
    role: z.nullable(RoleSchema),
  }))();
/** Who acted. */
export type AuditActor = z.infer<typeof AuditActorSchema>;

/**
 * One append-only audit record: every change and every read of case or report data. `action`
 * is the operation id (`cases.get`, `referrals.transition`) or a `system.*` action.
 * `changed_fields` names fields, never values.
 */
export const AuditEventSchema = /* @__PURE__ */ (() =>
  z.object({
    id: IdSchema,
    occurred_at: TimestampSchema,
    actor: AuditActorSchema,
    action: z.string().check(z.regex(/^[a-z_]+(\.[A-Za-z_]+)+$/)),
    target: z.object({ type: TargetTypeSchema, id: IdSchema }),
    changed_fields: z.array(z.string()),
    request_id: z.nullable(z.string()),
  }))();
/** One audit record. */
export type AuditEvent = z.infer<typeof AuditEventSchema>;

/** The query of the history endpoints (`GET /v1/{reports|cases|referrals}/{id}/history`). */
export const HistoryQuerySchema = /* @__PURE__ */ (() => z.strictObject({ ...PageQueryShape }))();
/** The query of the history endpoints. */
export type HistoryQuery = z.infer<typeof HistoryQuerySchema>;

/**
 * The target types of platform changes, which the operator reads through `GET /v1/audit`: the
 * routing table, organisations, services and API keys (never reads of report or case data).
 */
export const PLATFORM_TARGET_TYPES = ['routing_table', 'organization', 'service', 'api_key'] as const satisfies readonly TargetType[];
/** A platform target type. */
export const PlatformTargetTypeSchema = /* @__PURE__ */ z.enum(PLATFORM_TARGET_TYPES);

/** The query of `GET /v1/audit` (operator): platform changes, oldest first, optionally of one target type or object. */
export const AuditListQuerySchema = /* @__PURE__ */ (() =>
  z.strictObject({
    ...PageQueryShape,
    target_type: z.optional(PlatformTargetTypeSchema),
    target_id: z.optional(IdSchema),
  }))();
/** The query of `GET /v1/audit`. */
export type AuditListQuery = z.infer<typeof AuditListQuerySchema>;
