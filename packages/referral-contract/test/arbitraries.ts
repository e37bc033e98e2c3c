import fc from 'fast-check';
import {
  REPORT_CATEGORIES,
  PLACE_TYPES,
  FIRST_SEEN,
  VICTIM_INDICATORS,
  REPORT_CHANNELS,
  REPORTER_RELATIONSHIPS,
  type ReportCreate,
} from '../src/report.js';
import { AGE_BANDS, GENDERS, SERVICE_TYPES } from '../src/primitives.js';
import { PROTECTION_CONCERNS, RISK_LEVELS, SCREENING_OUTCOMES } from '../src/case.js';
import { CONSENT_BASES, CONSENT_GRANTORS } from '../src/consent.js';
import { REFERRAL_STATUSES } from '../src/referral.js';

/** Generators of valid wire values, shared by the property tests (not part of the package). */
export const uuid = fc.uuid({ version: 4 });
export const adminArea = fc.stringMatching(/^[A-Z]{2}(-[A-Z0-9]{1,8}){0,3}$/);
export const locale = fc.constantFrom('en', 'ur', 'ur-PK', 'pa-Arab', 'sd', 'ps');
export const shortText = fc.string({ minLength: 1, maxLength: 40 });
export const timestamp = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 11, 31) }).map((ms) => new Date(ms).toISOString());
export const email = fc
  .tuple(fc.stringMatching(/^[a-z][a-z0-9]{0,9}$/), fc.constantFrom('example.org', 'example.pk', 'mail.example.com'))
  .map(([local, domain]) => `${local}@${domain}`);
export const phone = fc.stringMatching(/^\+?[0-9][0-9 ]{6,12}[0-9]$/);

const subset = <T>(values: readonly T[], minLength = 0) =>
  fc.uniqueArray(fc.constantFrom(...values), { minLength, maxLength: values.length });

const contact = fc
  .record(
    {
      name: shortText,
      phone,
      email,
      safe_to_contact: fc.boolean(),
      preferred_language: locale,
      safe_times: shortText,
    },
    { requiredKeys: ['safe_to_contact'] },
  )
  .filter((c) => c.name !== undefined || c.phone !== undefined || c.email !== undefined);

export const reporter = fc.oneof(
  fc.constant({ mode: 'anonymous' as const }),
  fc.record(
    { mode: fc.constant('confidential' as const), contact, relationship: fc.constantFrom(...REPORTER_RELATIONSHIPS) },
    { requiredKeys: ['mode', 'contact'] },
  ),
  fc.record(
    { mode: fc.constant('share' as const), contact, relationship: fc.constantFrom(...REPORTER_RELATIONSHIPS) },
    { requiredKeys: ['mode', 'contact'] },
  ),
);

const coarse = (max: number) => fc.integer({ min: -max * 100, max: max * 100 }).map((n) => n / 100);

/** Any valid `ReportCreate`. */
export const reportCreate: fc.Arbitrary<ReportCreate> = fc.record(
  {
    id: uuid,
    categories: subset(REPORT_CATEGORIES, 1),
    happening_now: fc.boolean(),
    location: fc.record(
      {
        admin_area: adminArea,
        place_type: fc.constantFrom(...PLACE_TYPES),
        landmark: shortText,
        coordinates: fc.record({ latitude: coarse(90), longitude: coarse(180) }),
      },
      { requiredKeys: ['admin_area'] },
    ),
    when: fc.record({ first_seen: fc.constantFrom(...FIRST_SEEN), ongoing: fc.boolean() }, { requiredKeys: ['first_seen'] }),
    victims: fc.record(
      {
        count: fc.integer({ min: 1, max: 10_000 }),
        age_band: fc.constantFrom(...AGE_BANDS),
        genders: subset(GENDERS),
        indicators: subset(VICTIM_INDICATORS),
      },
      { requiredKeys: [] },
    ),
    suspects: fc.record({ description: shortText }, { requiredKeys: [] }),
    narrative: fc.string({ minLength: 1, maxLength: 200 }),
    reporter,
    locale,
    channel: fc.constantFrom(...REPORT_CHANNELS),
  },
  { requiredKeys: ['id', 'categories', 'happening_now', 'location', 'reporter', 'locale'] },
);

/** Every path to a leaf (a non-object, non-array value) of a JSON value. */
export function leafPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((item, index) => leafPaths(item, [...prefix, index]));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => leafPaths(item, [...prefix, key]));
  }
  return [prefix];
}

/** Every path to an object (the root included) of a JSON value. */
export function objectPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((item, index) => objectPaths(item, [...prefix, index]));
  if (value !== null && typeof value === 'object') {
    return [prefix, ...Object.entries(value).flatMap(([key, item]) => objectPaths(item, [...prefix, key]))];
  }
  return [];
}

/** A deep copy of a JSON value with the value at `path` replaced. */
export function withAt(value: unknown, path: readonly (string | number)[], replace: (old: unknown) => unknown): unknown {
  const copy: unknown = JSON.parse(JSON.stringify(value));
  if (path.length === 0) return replace(copy);
  let parent = copy as Record<string | number, unknown>;
  for (const segment of path.slice(0, -1)) parent = parent[segment] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  parent[last] = replace(parent[last]);
  return copy;
}

/** A value of another JSON type than `old`. */
export function wrongType(old: unknown, pick: number): unknown {
  // null is left out: some fields are nullable; required-field nulls have their own test.
  const candidates: unknown[] = [42.5, 'text', true, [], { unexpected: 1 }].filter(
    (candidate) => typeof candidate !== typeof old || Array.isArray(candidate) !== Array.isArray(old),
  );
  return candidates[pick % candidates.length];
}

/** A deep copy of a JSON value with an own property `key` (even `__proto__`) added to the object at `path`. */
export function withKeyAt(value: unknown, path: readonly (string | number)[], key: string, added: unknown): unknown {
  return withAt(value, path, (old) => {
    Object.defineProperty(old, key, { value: added, enumerable: true, configurable: true, writable: true });
    return old;
  });
}

/** Any valid `CaseOpen`. */
export const caseOpen = fc.record(
  {
    report_ids: fc.uniqueArray(uuid, { minLength: 1, maxLength: 5 }),
    screening_outcome: fc.constantFrom(...SCREENING_OUTCOMES),
    screening_reason: shortText,
    protection_concerns: subset(PROTECTION_CONCERNS),
    risk_level: fc.constantFrom(...RISK_LEVELS),
    child: fc.record(
      {
        age_band: fc.constantFrom(...AGE_BANDS),
        gender: fc.constantFrom(...GENDERS),
        languages: fc.uniqueArray(locale, { maxLength: 3 }),
        needs: subset(SERVICE_TYPES),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ['report_ids', 'screening_outcome', 'screening_reason', 'protection_concerns'] },
);

/** Any valid `ConsentCreate`. */
export const consentCreate = fc.record(
  {
    case_id: uuid,
    grantor: fc.constantFrom(...CONSENT_GRANTORS),
    basis: fc.constantFrom(...CONSENT_BASES),
    scope: fc.record({
      service_types: subset(SERVICE_TYPES, 1),
      organization_ids: fc.oneof(fc.constant('any' as const), fc.uniqueArray(uuid, { minLength: 1, maxLength: 4 })),
    }),
    obtained_at: timestamp,
    expires_at: timestamp,
  },
  { requiredKeys: ['case_id', 'grantor', 'basis', 'scope', 'obtained_at'] },
);

/** Any valid `ReferralTransition` (the schema does not know the state it starts from). */
export const referralTransition = fc.record(
  { to: fc.constantFrom(...REFERRAL_STATUSES), reason: shortText, override: fc.record({ reason: shortText }) },
  { requiredKeys: ['to'] },
);
