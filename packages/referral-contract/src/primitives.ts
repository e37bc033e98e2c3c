import * as z from 'zod/mini';
import { AdminAreaCodeSchema } from './admin-areas/admin-areas.js';

/** A server or client id: an RFC 9562 UUID string. */
export const IdSchema = /* @__PURE__ */ z.uuid();
/** A UUID string. */
export type Id = z.infer<typeof IdSchema>;

/** An RFC 3339 timestamp in UTC (`Z`), e.g. `2026-11-28T09:30:00Z`. */
export const TimestampSchema = /* @__PURE__ */ z.iso.datetime();
/** An RFC 3339 UTC timestamp string. */
export type Timestamp = z.infer<typeof TimestampSchema>;

/** A calendar date `YYYY-MM-DD`. */
export const DateSchema = /* @__PURE__ */ z.iso.date();

/** An admin area code: a country (`PK`), a province (`PK-PB`, ISO 3166-2) or a district (`PK-PB-LHR`). */
export type AdminAreaCode = z.infer<typeof AdminAreaCodeSchema>;
export { AdminAreaCodeSchema };

/** A BCP 47 language tag as used on the wire (`en`, `ur`, `ur-PK`, `pa-Arab`). */
export const LocaleSchema = /* @__PURE__ */ (() => z.string().check(z.regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/)))();
/** A BCP 47 language tag. */
export type Locale = z.infer<typeof LocaleSchema>;

/** The types of service in the directory; a referral is always for one of them. */
export const SERVICE_TYPES = [
  'shelter',
  'medical',
  'psychosocial',
  'legal_aid',
  'police',
  'rehabilitation',
  'education',
  'livelihoods',
  'family_tracing',
] as const;
/** A service type. */
export const ServiceTypeSchema = /* @__PURE__ */ z.enum(SERVICE_TYPES);
/** A service type. */
export type ServiceType = z.infer<typeof ServiceTypeSchema>;

/** The age bands used instead of exact ages (a child's exact age is rarely known to a reporter). */
export const AGE_BANDS = ['under_5', '5_to_11', '12_to_14', '15_to_17', '18_plus', 'mixed', 'not_sure'] as const;
/** An age band. */
export const AgeBandSchema = /* @__PURE__ */ z.enum(AGE_BANDS);
/** An age band. */
export type AgeBand = z.infer<typeof AgeBandSchema>;

/** Genders as a reporter or caseworker records them. */
export const GENDERS = ['female', 'male', 'other', 'not_sure'] as const;
/** A gender. */
export const GenderSchema = /* @__PURE__ */ z.enum(GENDERS);
/** A gender. */
export type Gender = z.infer<typeof GenderSchema>;

/** A phone number: digits with an optional leading `+` and common separators, 6 to 26 characters. */
export const PhoneSchema = /* @__PURE__ */ (() => z.string().check(z.regex(/^\+?[0-9][0-9 ()-]{4,24}[0-9]$/)))();

/** Short free text (a name, a landmark, a reason): 1 to 500 characters. */
export const ShortTextSchema = /* @__PURE__ */ (() => z.string().check(z.minLength(1), z.maxLength(500)))();
/** Long free text (a narrative, a description): 1 to 10,000 characters. */
export const LongTextSchema = /* @__PURE__ */ (() => z.string().check(z.minLength(1), z.maxLength(10_000)))();
/** A reason given for a change (transition, withdrawal, override): 1 to 1,000 characters. */
export const ReasonSchema = /* @__PURE__ */ (() => z.string().check(z.minLength(1), z.maxLength(1_000)))();

/** Rejects arrays that hold the same value twice, naming the index of the repeat. */
export function uniqueItems<T>(): z.core.$ZodCheck<readonly T[]> {
  return z.superRefine<readonly T[]>((items, ctx) => {
    const seen = new Set<T>();
    items.forEach((item, index) => {
      if (seen.has(item)) {
        ctx.addIssue({ code: 'custom', message: 'duplicate value', path: [index], input: item });
      }
      seen.add(item);
    });
  });
}
