import * as z from 'zod/mini';
import {
  AdminAreaCodeSchema,
  AgeBandSchema,
  GenderSchema,
  IdSchema,
  LocaleSchema,
  LongTextSchema,
  PhoneSchema,
  ShortTextSchema,
  TimestampSchema,
  uniqueItems,
} from './primitives.js';
import { PageQueryShape } from './list.js';

/** What a report can be about; a report names one or more. */
export const REPORT_CATEGORIES = [
  'child_trafficking',
  'bonded_labour',
  'child_labour',
  'domestic_servitude',
  'commercial_sexual_exploitation',
  'online_exploitation',
  'forced_begging',
  'forced_marriage',
  'other',
  'not_sure',
] as const;
/** A report category. */
export const ReportCategorySchema = /* @__PURE__ */ z.enum(REPORT_CATEGORIES);
/** A report category. */
export type ReportCategory = z.infer<typeof ReportCategorySchema>;

/** The kinds of place where exploitation is seen. */
export const PLACE_TYPES = [
  'brick_kiln',
  'farm',
  'home',
  'factory',
  'workshop',
  'shop',
  'hotel',
  'restaurant',
  'street',
  'transport',
  'mine',
  'fishing',
  'religious_school',
  'online',
  'other',
  'not_sure',
] as const;
/** A place type. */
export const PlaceTypeSchema = /* @__PURE__ */ z.enum(PLACE_TYPES);
/** A place type. */
export type PlaceType = z.infer<typeof PlaceTypeSchema>;

/** Signs of exploitation a reporter may have seen. */
export const VICTIM_INDICATORS = [
  'documents_taken',
  'debt',
  'cannot_leave',
  'unpaid',
  'injuries',
  'threats',
  'locked_in',
  'long_hours',
  'not_in_school',
  'sexual_abuse',
  'other',
] as const;
/** A victim indicator. */
export const VictimIndicatorSchema = /* @__PURE__ */ z.enum(VICTIM_INDICATORS);
/** A victim indicator. */
export type VictimIndicator = z.infer<typeof VictimIndicatorSchema>;

/** When the reporter first saw what they report. */
export const FIRST_SEEN = ['today', 'past_week', 'past_month', 'past_year', 'over_a_year', 'not_sure'] as const;
/** When the situation was first seen. */
export const FirstSeenSchema = /* @__PURE__ */ z.enum(FIRST_SEEN);
/** When the situation was first seen. */
export type FirstSeen = z.infer<typeof FirstSeenSchema>;

/** How a report reached the system. */
export const REPORT_CHANNELS = ['web_form', 'api', 'helpline', 'sms', 'whatsapp', 'in_person', 'partner_referral', 'other'] as const;
/** A report channel. */
export const ReportChannelSchema = /* @__PURE__ */ z.enum(REPORT_CHANNELS);
/** A report channel. */
export type ReportChannel = z.infer<typeof ReportChannelSchema>;

/** The three reporter modes: who may see the reporter's identity. */
export const REPORTER_MODES = ['anonymous', 'confidential', 'share'] as const;
/** A reporter mode. */
export const ReporterModeSchema = /* @__PURE__ */ z.enum(REPORTER_MODES);
/** A reporter mode. */
export type ReporterMode = z.infer<typeof ReporterModeSchema>;

/** How the reporter relates to the situation (optional, never required). */
export const REPORTER_RELATIONSHIPS = [
  'victim',
  'family',
  'neighbour',
  'teacher',
  'employer',
  'professional',
  'passer_by',
  'other',
] as const;
/** A reporter relationship. */
export const ReporterRelationshipSchema = /* @__PURE__ */ z.enum(REPORTER_RELATIONSHIPS);
/** A reporter relationship. */
export type ReporterRelationship = z.infer<typeof ReporterRelationshipSchema>;

/** How to reach a reporter who gave contact details. At least one of name, phone or email. */
export const ReporterContactSchema = /* @__PURE__ */ (() =>
  z
    .strictObject({
      name: z.optional(ShortTextSchema),
      phone: z.optional(PhoneSchema),
      email: z.optional(z.email()),
      safe_to_contact: z.boolean(),
      preferred_language: z.optional(LocaleSchema),
      safe_times: z.optional(ShortTextSchema),
    })
    .check(
      z.refine((contact) => contact.name !== undefined || contact.phone !== undefined || contact.email !== undefined, {
        message: 'give at least one of name, phone or email',
      }),
    ))();
/** A reporter's contact details. */
export type ReporterContact = z.infer<typeof ReporterContactSchema>;

/** An anonymous reporter: no identity or contact is accepted (any other key is rejected). */
export const AnonymousReporterSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    mode: z.literal('anonymous'),
  }))();
/** A reporter whose contact is visible only to the receiving intake organisation, never to providers. */
export const ConfidentialReporterSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    mode: z.literal('confidential'),
    contact: ReporterContactSchema,
    relationship: z.optional(ReporterRelationshipSchema),
  }))();
/** A reporter whose contact may be shared with the organisations a referral goes to. */
export const ShareReporterSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    mode: z.literal('share'),
    contact: ReporterContactSchema,
    relationship: z.optional(ReporterRelationshipSchema),
  }))();
/** The reporter, discriminated by `mode`. */
export const ReporterSchema = /* @__PURE__ */ z.discriminatedUnion('mode', [
  AnonymousReporterSchema,
  ConfidentialReporterSchema,
  ShareReporterSchema,
]);
/** The reporter, discriminated by `mode`. */
export type Reporter = z.infer<typeof ReporterSchema>;

/** Whether a coordinate has at most two decimals (about 1 km): locations are coarse on purpose. */
function isCoarse(value: number): boolean {
  const scaled = value * 100;
  return Math.abs(scaled - Math.round(scaled)) < 1e-6;
}

/** Optional coarse coordinates, at most two decimals (about 1 km). */
export const CoarseCoordinatesSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    latitude: z.number().check(z.gte(-90), z.lte(90), z.refine(isCoarse, { message: 'at most two decimals (coarse location only)' })),
    longitude: z.number().check(z.gte(-180), z.lte(180), z.refine(isCoarse, { message: 'at most two decimals (coarse location only)' })),
  }))();
/** Coarse coordinates. */
export type CoarseCoordinates = z.infer<typeof CoarseCoordinatesSchema>;

/** Where it happens. `admin_area` is the most precise code known; a country code (`PK`) when unknown. */
export const ReportLocationSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    admin_area: AdminAreaCodeSchema,
    place_type: z.optional(PlaceTypeSchema),
    landmark: z.optional(ShortTextSchema),
    coordinates: z.optional(CoarseCoordinatesSchema),
  }))();
/** Where it happens. */
export type ReportLocation = z.infer<typeof ReportLocationSchema>;

/** When it happens. */
export const ReportWhenSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    first_seen: FirstSeenSchema,
    ongoing: z.optional(z.boolean()),
  }))();
/** When it happens. */
export type ReportWhen = z.infer<typeof ReportWhenSchema>;

/** Who is affected. Every field is optional: reporters often know little. */
export const ReportVictimsSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    count: z.optional(z.int().check(z.gte(1), z.lte(10_000))),
    age_band: z.optional(AgeBandSchema),
    genders: z.optional(z.array(GenderSchema).check(z.maxLength(4), uniqueItems())),
    indicators: z.optional(z.array(VictimIndicatorSchema).check(z.maxLength(11), uniqueItems())),
  }))();
/** Who is affected. */
export type ReportVictims = z.infer<typeof ReportVictimsSchema>;

/** Who exploits them, as the reporter describes it. */
export const ReportSuspectsSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    description: z.optional(LongTextSchema),
  }))();
/** Who exploits them. */
export type ReportSuspects = z.infer<typeof ReportSuspectsSchema>;

const reportInputShape = /* @__PURE__ */ (() => ({
  id: IdSchema,
  categories: z.array(ReportCategorySchema).check(z.minLength(1), z.maxLength(10), uniqueItems()),
  happening_now: z.boolean(),
  location: ReportLocationSchema,
  when: z.optional(ReportWhenSchema),
  victims: z.optional(ReportVictimsSchema),
  suspects: z.optional(ReportSuspectsSchema),
  narrative: z.optional(LongTextSchema),
  reporter: ReporterSchema,
  locale: LocaleSchema,
}))();

/**
 * The body of `POST /v1/reports`. `id` is generated by the client (a UUID) so a retried or
 * re-queued report is the same report; resubmitting it returns the original receipt.
 */
export const ReportCreateSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    ...reportInputShape,
    channel: z.optional(ReportChannelSchema),
  }))();
/** The body of `POST /v1/reports`. */
export type ReportCreate = z.infer<typeof ReportCreateSchema>;

/** The pattern of a report reference: `TZ-` and two groups of four Crockford base32 characters. */
export const REPORT_REFERENCE_PATTERN = /^TZ-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;
/** A report reference such as `TZ-7K3M-Q9XD`; it reveals nothing about the report. */
export const ReportReferenceSchema = /* @__PURE__ */ (() => z.string().check(z.regex(REPORT_REFERENCE_PATTERN)))();

/** What `POST /v1/reports` answers: the same receipt every time the same report is resubmitted. */
export const ReportReceiptSchema = /* @__PURE__ */ z.object({
  id: IdSchema,
  reference: ReportReferenceSchema,
  received_at: TimestampSchema,
});
/** The receipt of a report. */
export type ReportReceipt = z.infer<typeof ReportReceiptSchema>;

/** A report as an intake organisation reads it. */
export const ReportSchema = /* @__PURE__ */ (() =>
  z.object({
    ...reportInputShape,
    channel: ReportChannelSchema,
    reference: ReportReferenceSchema,
    received_at: TimestampSchema,
    updated_at: TimestampSchema,
    organization_id: IdSchema,
    case_ids: z.array(IdSchema),
  }))();
/** A report. */
export type Report = z.infer<typeof ReportSchema>;

/** The filters of `GET /v1/reports`. */
export const ReportListQuerySchema = /* @__PURE__ */ (() =>
  z.strictObject({
    ...PageQueryShape,
    admin_area: z.optional(AdminAreaCodeSchema),
    category: z.optional(ReportCategorySchema),
    updated_since: z.optional(TimestampSchema),
  }))();
/** The filters of `GET /v1/reports`. */
export type ReportListQuery = z.infer<typeof ReportListQuerySchema>;
