import * as z from 'zod/mini';
import { IdSchema, ReasonSchema, TimestampSchema } from './primitives.js';

/** What an admin can erase. */
export const ERASURE_TARGET_TYPES = ['report', 'case'] as const;
/** An erasure target type. */
export const ErasureTargetTypeSchema = /* @__PURE__ */ z.enum(ERASURE_TARGET_TYPES);
/** An erasure target type. */
export type ErasureTargetType = z.infer<typeof ErasureTargetTypeSchema>;

/** The body of `POST /v1/erasures` (admin): erase a report or a case's personal data. */
export const ErasureCreateSchema = /* @__PURE__ */ z.strictObject({
  target_type: ErasureTargetTypeSchema,
  target_id: IdSchema,
  reason: ReasonSchema,
});
/** The body of `POST /v1/erasures`. */
export type ErasureCreate = z.infer<typeof ErasureCreateSchema>;

/** The record of an erasure (ids only). */
export const ErasureSchema = /* @__PURE__ */ z.object({
  id: IdSchema,
  target_type: ErasureTargetTypeSchema,
  target_id: IdSchema,
  erased_at: TimestampSchema,
});
/** The record of an erasure. */
export type Erasure = z.infer<typeof ErasureSchema>;
