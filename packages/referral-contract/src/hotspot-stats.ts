import * as z from 'zod/mini';
import { AdminAreaCodeSchema, TimestampSchema } from './primitives.js';
import { ReportCategorySchema } from './report.js';

/** The fixed calendar buckets stats are counted over (no arbitrary ranges: counts cannot be differenced). */
export const HOTSPOT_BUCKETS = ['month', 'quarter', 'year'] as const;
/** A bucket. */
export const HotspotBucketSchema = /* @__PURE__ */ z.enum(HOTSPOT_BUCKETS);
/** A bucket. */
export type HotspotBucket = z.infer<typeof HotspotBucketSchema>;

/** What is counted. */
export const HOTSPOT_KINDS = ['reports', 'cases'] as const;
/** What is counted. */
export const HotspotKindSchema = /* @__PURE__ */ z.enum(HOTSPOT_KINDS);
/** What is counted. */
export type HotspotKind = z.infer<typeof HotspotKindSchema>;

/** The period pattern of each bucket: `2026-11`, `2026-Q4`, `2026`. */
export const HOTSPOT_PERIOD_PATTERNS = {
  month: /^\d{4}-(0[1-9]|1[0-2])$/,
  quarter: /^\d{4}-Q[1-4]$/,
  year: /^\d{4}$/,
} as const satisfies Record<HotspotBucket, RegExp>;

/** Counts below this are suppressed unless a deployment sets another threshold. */
export const DEFAULT_SUPPRESSION_THRESHOLD = 5;

/** The query of `GET /v1/stats/hotspots`; `period` must match `bucket` and must have ended (the server checks that against its clock). */
export const HotspotQuerySchema = /* @__PURE__ */ (() =>
  z
    .strictObject({
      bucket: HotspotBucketSchema,
      period: z.string().check(z.regex(/^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$/)),
      kind: z._default(HotspotKindSchema, 'reports'),
      admin_area: z.optional(AdminAreaCodeSchema),
      category: z.optional(ReportCategorySchema),
    })
    .check(
      z.refine((q) => HOTSPOT_PERIOD_PATTERNS[q.bucket].test(q.period), {
        message: 'period does not match bucket (month 2026-11, quarter 2026-Q4, year 2026)',
        path: ['period'],
      }),
    ))();
/** The query of `GET /v1/stats/hotspots`. */
export type HotspotQuery = z.infer<typeof HotspotQuerySchema>;

/** One row: a count, or `null` with `suppressed: true` when below the threshold. */
export const HotspotRowSchema = /* @__PURE__ */ (() =>
  z.discriminatedUnion('suppressed', [
    z.object({
      admin_area: AdminAreaCodeSchema,
      category: ReportCategorySchema,
      count: z.int().check(z.gte(0)),
      suppressed: z.literal(false),
    }),
    z.object({
      admin_area: AdminAreaCodeSchema,
      category: ReportCategorySchema,
      count: z.null(),
      suppressed: z.literal(true),
    }),
  ]))();
/** One row of hotspot stats. */
export type HotspotRow = z.infer<typeof HotspotRowSchema>;

/** What `GET /v1/stats/hotspots` answers. */
export const HotspotStatsSchema = /* @__PURE__ */ (() =>
  z.object({
    bucket: HotspotBucketSchema,
    period: z.string(),
    kind: HotspotKindSchema,
    threshold: z.int().check(z.gte(1)),
    generated_at: TimestampSchema,
    rows: z.array(HotspotRowSchema),
  }))();
/** Hotspot stats. */
export type HotspotStats = z.infer<typeof HotspotStatsSchema>;
