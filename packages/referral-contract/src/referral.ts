import * as z from 'zod/mini';
import { IdSchema, LongTextSchema, ReasonSchema, ServiceTypeSchema, TimestampSchema } from './primitives.js';
import { PageQueryShape } from './list.js';

/** Every state a referral can be in (after HL7 FHIR Task). */
export const REFERRAL_STATUSES = [
  'draft',
  'requested',
  'accepted',
  'in_progress',
  'on_hold',
  'completed',
  'rejected',
  'failed',
  'cancelled',
  'entered_in_error',
] as const;
/** A referral status. */
export const ReferralStatusSchema = /* @__PURE__ */ z.enum(REFERRAL_STATUSES);
/** A referral status. */
export type ReferralStatus = z.infer<typeof ReferralStatusSchema>;

/** How soon the receiving service must act. */
export const REFERRAL_URGENCIES = ['routine', 'urgent', 'emergency'] as const;
/** A referral urgency. */
export const ReferralUrgencySchema = /* @__PURE__ */ z.enum(REFERRAL_URGENCIES);
/** A referral urgency. */
export type ReferralUrgency = z.infer<typeof ReferralUrgencySchema>;

/** The body of `POST /v1/referrals`: a draft referral of a case to a service. */
export const ReferralCreateSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    case_id: IdSchema,
    service_id: IdSchema,
    urgency: z.optional(ReferralUrgencySchema),
    note: z.optional(LongTextSchema),
    consent_id: z.optional(IdSchema),
  }))();
/** The body of `POST /v1/referrals`. */
export type ReferralCreate = z.infer<typeof ReferralCreateSchema>;

/** A consent override: requesting a referral without a covering consent, by a role allowed to. */
export const ConsentOverrideSchema = /* @__PURE__ */ z.strictObject({
  reason: ReasonSchema,
});
/** A consent override. */
export type ConsentOverride = z.infer<typeof ConsentOverrideSchema>;

/**
 * The body of `POST /v1/referrals/{id}/transitions`. `reason` is required for `rejected` and
 * `failed`; `override` only applies to `requested`.
 */
export const ReferralTransitionSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    to: ReferralStatusSchema,
    reason: z.optional(ReasonSchema),
    override: z.optional(ConsentOverrideSchema),
  }))();
/** The body of `POST /v1/referrals/{id}/transitions`. */
export type ReferralTransition = z.infer<typeof ReferralTransitionSchema>;

/** A referral: a case sent to a service at an organisation. */
export const ReferralSchema = /* @__PURE__ */ (() =>
  z.object({
    id: IdSchema,
    case_id: IdSchema,
    service_id: IdSchema,
    service_type: ServiceTypeSchema,
    organization_id: IdSchema,
    referring_organization_id: IdSchema,
    status: ReferralStatusSchema,
    status_reason: z.nullable(z.string()),
    urgency: ReferralUrgencySchema,
    note: z.nullable(z.string()),
    consent_id: z.nullable(IdSchema),
    /**
     * Set when a supervisor requested the referral without a covering consent. The reason is
     * answered to the referring organisation only; the organisation the referral is addressed to
     * sees that consent was overridden, by which key and when, and `reason: null`.
     */
    consent_override: z.nullable(
      z.object({
        reason: z.nullable(z.string()),
        key_id: IdSchema,
        at: TimestampSchema,
      }),
    ),
    created_at: TimestampSchema,
    updated_at: TimestampSchema,
    requested_at: z.nullable(TimestampSchema),
  }))();
/** A referral. */
export type Referral = z.infer<typeof ReferralSchema>;

/** The filters of `GET /v1/referrals`. */
export const ReferralListQuerySchema = /* @__PURE__ */ (() =>
  z.strictObject({
    ...PageQueryShape,
    status: z.optional(ReferralStatusSchema),
    case_id: z.optional(IdSchema),
    service_type: z.optional(ServiceTypeSchema),
    organization_id: z.optional(IdSchema),
    updated_since: z.optional(TimestampSchema),
  }))();
/** The filters of `GET /v1/referrals`. */
export type ReferralListQuery = z.infer<typeof ReferralListQuerySchema>;
