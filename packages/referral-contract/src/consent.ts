import * as z from 'zod/mini';
import { IdSchema, ReasonSchema, ServiceTypeSchema, TimestampSchema, uniqueItems } from './primitives.js';
import { PageQueryShape } from './list.js';

/** Who grants a consent. */
export const CONSENT_GRANTORS = ['child', 'guardian', 'authority'] as const;
/** A consent grantor. */
export const ConsentGrantorSchema = /* @__PURE__ */ z.enum(CONSENT_GRANTORS);
/** A consent grantor. */
export type ConsentGrantor = z.infer<typeof ConsentGrantorSchema>;

/** The legal basis of a consent record. */
export const CONSENT_BASES = ['consent', 'legal_mandate', 'best_interest_override'] as const;
/** A consent basis. */
export const ConsentBasisSchema = /* @__PURE__ */ z.enum(CONSENT_BASES);
/** A consent basis. */
export type ConsentBasis = z.infer<typeof ConsentBasisSchema>;

/** A consent's status as the server reports it at read time. */
export const CONSENT_STATUSES = ['active', 'withdrawn', 'expired'] as const;
/** A consent status. */
export const ConsentStatusSchema = /* @__PURE__ */ z.enum(CONSENT_STATUSES);
/** A consent status. */
export type ConsentStatus = z.infer<typeof ConsentStatusSchema>;

/** What a consent covers: service types, and organisations by id or `'any'`. */
export const ConsentScopeSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    service_types: z.array(ServiceTypeSchema).check(z.minLength(1), z.maxLength(9), uniqueItems()),
    organization_ids: z.union([z.literal('any'), z.array(IdSchema).check(z.minLength(1), z.maxLength(100), uniqueItems())]),
  }))();
/** What a consent covers. */
export type ConsentScope = z.infer<typeof ConsentScopeSchema>;

/** The body of `POST /v1/consents`: record a consent for a case. */
export const ConsentCreateSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    case_id: IdSchema,
    grantor: ConsentGrantorSchema,
    basis: ConsentBasisSchema,
    scope: ConsentScopeSchema,
    obtained_at: TimestampSchema,
    expires_at: z.optional(TimestampSchema),
  }))();
/** The body of `POST /v1/consents`. */
export type ConsentCreate = z.infer<typeof ConsentCreateSchema>;

/** The body of `POST /v1/consents/{id}/withdraw`. */
export const ConsentWithdrawSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    reason: z.optional(ReasonSchema),
  }))();
/** The body of `POST /v1/consents/{id}/withdraw`. */
export type ConsentWithdraw = z.infer<typeof ConsentWithdrawSchema>;

/** A consent record. */
export const ConsentSchema = /* @__PURE__ */ (() =>
  z.object({
    id: IdSchema,
    case_id: IdSchema,
    organization_id: IdSchema,
    grantor: ConsentGrantorSchema,
    basis: ConsentBasisSchema,
    scope: ConsentScopeSchema,
    status: ConsentStatusSchema,
    obtained_at: TimestampSchema,
    expires_at: z.nullable(TimestampSchema),
    withdrawn_at: z.nullable(TimestampSchema),
    withdrawal_reason: z.nullable(z.string()),
    created_at: TimestampSchema,
  }))();
/** A consent record. */
export type Consent = z.infer<typeof ConsentSchema>;

/** The filters of `GET /v1/consents`. */
export const ConsentListQuerySchema = /* @__PURE__ */ (() =>
  z.strictObject({
    ...PageQueryShape,
    case_id: z.optional(IdSchema),
    status: z.optional(ConsentStatusSchema),
  }))();
/** The filters of `GET /v1/consents`. */
export type ConsentListQuery = z.infer<typeof ConsentListQuerySchema>;
