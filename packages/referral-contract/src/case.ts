import * as z from 'zod/mini';
import {
  AgeBandSchema,
  GenderSchema,
  IdSchema,
  LocaleSchema,
  ReasonSchema,
  ServiceTypeSchema,
  TimestampSchema,
  uniqueItems,
} from './primitives.js';
import { PageQueryShape } from './list.js';

/** The stages a case moves through, in order. */
export const CASE_STAGES = ['screening', 'assessment', 'case_plan', 'services', 'closure'] as const;
/** A case stage. */
export const CaseStageSchema = /* @__PURE__ */ z.enum(CASE_STAGES);
/** A case stage. */
export type CaseStage = z.infer<typeof CaseStageSchema>;

/** A case's status, separate from its stage. */
export const CASE_STATUSES = ['open', 'closed'] as const;
/** A case status. */
export const CaseStatusSchema = /* @__PURE__ */ z.enum(CASE_STATUSES);
/** A case status. */
export type CaseStatus = z.infer<typeof CaseStatusSchema>;

/** What screening decided about the reports a case is opened from. */
export const SCREENING_OUTCOMES = ['screened_in', 'screened_out', 'duplicate', 'referred_elsewhere'] as const;
/** A screening outcome. */
export const ScreeningOutcomeSchema = /* @__PURE__ */ z.enum(SCREENING_OUTCOMES);
/** A screening outcome. */
export type ScreeningOutcome = z.infer<typeof ScreeningOutcomeSchema>;

/** The protection concerns a case records. */
export const PROTECTION_CONCERNS = [
  'trafficking',
  'bonded_labour',
  'child_labour',
  'worst_forms_of_child_labour',
  'domestic_servitude',
  'sexual_exploitation',
  'online_exploitation',
  'forced_begging',
  'forced_marriage',
  'physical_abuse',
  'neglect',
  'separated_child',
  'unaccompanied_child',
  'other',
] as const;
/** A protection concern. */
export const ProtectionConcernSchema = /* @__PURE__ */ z.enum(PROTECTION_CONCERNS);
/** A protection concern. */
export type ProtectionConcern = z.infer<typeof ProtectionConcernSchema>;

/** How urgent a case is, as screening assessed it. */
export const RISK_LEVELS = ['low', 'medium', 'high', 'critical'] as const;
/** A risk level. */
export const RiskLevelSchema = /* @__PURE__ */ z.enum(RISK_LEVELS);
/** A risk level. */
export type RiskLevel = z.infer<typeof RiskLevelSchema>;

/**
 * What the contract carries about the child: only what routing a referral needs. Names and
 * identity documents stay in the case-management system that owns the case.
 */
export const CaseChildSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    age_band: z.optional(AgeBandSchema),
    gender: z.optional(GenderSchema),
    languages: z.optional(z.array(LocaleSchema).check(z.maxLength(10), uniqueItems())),
    needs: z.optional(z.array(ServiceTypeSchema).check(z.maxLength(9), uniqueItems())),
  }))();
/** What the contract carries about the child. */
export type CaseChild = z.infer<typeof CaseChildSchema>;

/** The body of `POST /v1/cases`: open a case from one or more reports after screening. */
export const CaseOpenSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    report_ids: z.array(IdSchema).check(z.minLength(1), z.maxLength(50), uniqueItems()),
    screening_outcome: ScreeningOutcomeSchema,
    screening_reason: ReasonSchema,
    protection_concerns: z.array(ProtectionConcernSchema).check(z.maxLength(14), uniqueItems()),
    risk_level: z.optional(RiskLevelSchema),
    child: z.optional(CaseChildSchema),
  }))();
/** The body of `POST /v1/cases`. */
export type CaseOpen = z.infer<typeof CaseOpenSchema>;

/** A case. */
export const CaseSchema = /* @__PURE__ */ (() =>
  z.object({
    id: IdSchema,
    organization_id: IdSchema,
    status: CaseStatusSchema,
    stage: CaseStageSchema,
    report_ids: z.array(IdSchema),
    screening_outcome: ScreeningOutcomeSchema,
    screening_reason: z.string(),
    protection_concerns: z.array(ProtectionConcernSchema),
    risk_level: z.nullable(RiskLevelSchema),
    child: z.nullable(CaseChildSchema),
    closure_reason: z.nullable(z.string()),
    created_at: TimestampSchema,
    updated_at: TimestampSchema,
    closed_at: z.nullable(TimestampSchema),
  }))();
/** A case. */
export type Case = z.infer<typeof CaseSchema>;

/** Where a case transition can lead: a stage, `closed` (close the case) or `open` (reopen it). */
export const CASE_TRANSITION_TARGETS = /* @__PURE__ */ (() => [...CASE_STAGES, 'closed', 'open'] as const)();
/** A case transition target. */
export const CaseTransitionTargetSchema = /* @__PURE__ */ z.enum(CASE_TRANSITION_TARGETS);
/** A case transition target. */
export type CaseTransitionTarget = z.infer<typeof CaseTransitionTargetSchema>;

/** The body of `POST /v1/cases/{id}/transitions`: a stage change, closure or reopening. */
export const CaseTransitionSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    to: CaseTransitionTargetSchema,
    reason: z.optional(ReasonSchema),
  }))();
/** The body of `POST /v1/cases/{id}/transitions`. */
export type CaseTransition = z.infer<typeof CaseTransitionSchema>;

/** The filters of `GET /v1/cases`. */
export const CaseListQuerySchema = /* @__PURE__ */ (() =>
  z.strictObject({
    ...PageQueryShape,
    status: z.optional(CaseStatusSchema),
    stage: z.optional(CaseStageSchema),
    updated_since: z.optional(TimestampSchema),
  }))();
/** The filters of `GET /v1/cases`. */
export type CaseListQuery = z.infer<typeof CaseListQuerySchema>;
