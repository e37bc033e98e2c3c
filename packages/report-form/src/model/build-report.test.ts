import {
  AGE_BANDS,
  FIRST_SEEN,
  GENDERS,
  PLACE_TYPES,
  REPORT_CATEGORIES,
  REPORTER_MODES,
  REPORTER_RELATIONSHIPS,
  ReportCreateSchema,
  VICTIM_INDICATORS,
} from '@tahaffuz/referral-contract';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildReport } from './build-report.js';
import { emptyDraft, type ReportDraft } from './draft.js';
import { STEPS } from './steps.js';
import { validateStep } from './validate-step.js';

const ID = '0b8f2f6e-5a8e-4c1f-9d57-2f1f7d0e8a11';
const options = { id: ID, locale: 'ur', country: 'PK' };

const subset = <T>(values: readonly T[]) => fc.uniqueArray(fc.constantFrom(...values), { maxLength: values.length });
const maybe = <T extends string>(values: readonly T[]) => fc.constantFrom<T | ''>('', ...values);
const yesNo = fc.constantFrom<'yes' | 'no' | ''>('yes', 'no', '');

/** Any draft at all: valid or not, with any text, including Urdu digits and surrounding space. */
const draftArbitrary: fc.Arbitrary<ReportDraft> = fc.record({
  categories: subset(REPORT_CATEGORIES),
  happening_now: yesNo,
  narrative: fc.string({ maxLength: 60 }),
  province: fc.constantFrom('', 'PK', 'PK-PB', 'PK-SD'),
  district: fc.constantFrom('', 'PK-PB-LHR', 'PK-PB-KSR'),
  place_type: maybe(PLACE_TYPES),
  landmark: fc.string({ maxLength: 60 }),
  first_seen: maybe(FIRST_SEEN),
  ongoing: fc.constantFrom<'yes' | 'no' | 'not_sure' | ''>('yes', 'no', 'not_sure', ''),
  victim_count: fc.oneof(fc.constant(''), fc.integer({ min: -5, max: 20_000 }).map(String), fc.constantFrom('۱۲', ' 7 ', 'abc')),
  age_band: maybe(AGE_BANDS),
  genders: subset(GENDERS),
  indicators: subset(VICTIM_INDICATORS),
  suspects: fc.string({ maxLength: 60 }),
  mode: fc.constantFrom(...REPORTER_MODES),
  name: fc.string({ maxLength: 30 }),
  phone: fc.oneof(fc.constant(''), fc.constantFrom('0300 1234567', '+92 300 1234567', '۰۳۰۰۱۲۳۴۵۶۷', '12', 'call me')),
  email: fc.oneof(fc.constant(''), fc.constantFrom('a@example.org', 'not-an-email')),
  safe_to_contact: yesNo,
  safe_times: fc.string({ maxLength: 30 }),
  relationship: maybe(REPORTER_RELATIONSHIPS),
});

const passesEveryStep = (draft: ReportDraft) => STEPS.every((step) => validateStep(step, draft).length === 0);

describe('buildReport', () => {
  it('builds a report the contract accepts from every draft that passes every step', () => {
    fc.assert(
      fc.property(draftArbitrary, (draft) => {
        fc.pre(passesEveryStep(draft));
        const report = buildReport(draft, options);
        const parsed = ReportCreateSchema.safeParse(report);
        expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it('never puts contact details into an anonymous report, whatever was typed before', () => {
    fc.assert(
      fc.property(draftArbitrary, (draft) => {
        const report = buildReport({ ...draft, mode: 'anonymous' }, options);
        expect(report.reporter).toEqual({ mode: 'anonymous' });
      }),
    );
  });

  it('uses the most precise area known: district, else province, else the country', () => {
    const base = { ...emptyDraft(), categories: ['bonded_labour' as const], happening_now: 'yes' as const };
    expect(buildReport({ ...base, province: 'PK-PB', district: 'PK-PB-LHR' }, options).location.admin_area).toBe('PK-PB-LHR');
    expect(buildReport({ ...base, province: 'PK-PB' }, options).location.admin_area).toBe('PK-PB');
    expect(buildReport({ ...base, province: 'PK' }, options).location.admin_area).toBe('PK');
  });

  it('trims text, reads Urdu digits and leaves unanswered parts out', () => {
    const report = buildReport(
      {
        ...emptyDraft(),
        categories: ['child_labour'],
        happening_now: 'no',
        province: 'PK-SD',
        landmark: '  near the canal bridge ',
        victim_count: '۱۲',
        mode: 'confidential',
        name: ' Amina ',
        phone: '۰۳۰۰ ۱۲۳۴۵۶۷',
        safe_to_contact: 'yes',
      },
      options,
    );
    expect(report).toEqual({
      id: ID,
      categories: ['child_labour'],
      happening_now: false,
      location: { admin_area: 'PK-SD', landmark: 'near the canal bridge' },
      victims: { count: 12 },
      reporter: {
        mode: 'confidential',
        contact: { name: 'Amina', phone: '0300 1234567', safe_to_contact: true, preferred_language: 'ur' },
      },
      locale: 'ur',
      channel: 'web_form',
    });
  });
});
