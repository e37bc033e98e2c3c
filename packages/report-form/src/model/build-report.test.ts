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
  pakistanAdminAreas,
} from '@tahaffuz/referral-contract';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildReport } from './build-report.js';
import { emptyDraft, type ReportDraft } from './draft.js';
import { STEPS } from './steps.js';
import { LONG_TEXT_MAX, SHORT_TEXT_MAX, validateStep } from './validate-step.js';

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

const areas = pakistanAdminAreas.areas;
const provinceCodes = areas.filter((area) => area.level === 'province').map((area) => area.code);
/** Text as reporters type it: any characters (Urdu, emoji, lone surrogates), often padded with spaces. */
const typed = (maxLength: number) =>
  fc.oneof(
    fc.string({ maxLength: 40, unit: 'grapheme' }),
    fc.string({ maxLength: 40, unit: 'binary' }),
    fc
      .tuple(
        fc.constantFrom('', ' ', '\n\t ', '\u00a0'),
        fc.string({ minLength: maxLength - 2, maxLength: maxLength + 2 }),
        fc.constantFrom('', ' ', '\u3000'),
      )
      .map(([before, text, after]) => before + text + after),
  );
const validDigits = fc.integer({ min: 1, max: 10_000 }).chain((count) =>
  fc.constantFrom(
    String(count),
    ` ${count} `,
    String(count).replace(/[0-9]/gu, (digit) => '۰۱۲۳۴۵۶۷۸۹'[Number(digit)]!),
  ),
);

/**
 * Drafts that mostly pass every step: the required answers given, a real province and district,
 * counts, phones and emails drawn from what the form accepts and what it should refuse, texts at
 * and around the contract's limits.
 */
const likelyValidDraft: fc.Arbitrary<ReportDraft> = fc
  .record({
    categories: fc.uniqueArray(fc.constantFrom(...REPORT_CATEGORIES), { minLength: 1, maxLength: REPORT_CATEGORIES.length }),
    happening_now: fc.constantFrom<'yes' | 'no'>('yes', 'no'),
    narrative: typed(LONG_TEXT_MAX),
    province: fc.constantFrom('PK', ...provinceCodes),
    district_index: fc.nat(),
    place_type: maybe(PLACE_TYPES),
    landmark: typed(SHORT_TEXT_MAX),
    first_seen: maybe(FIRST_SEEN),
    ongoing: fc.constantFrom<'yes' | 'no' | 'not_sure' | ''>('yes', 'no', 'not_sure', ''),
    victim_count: fc.oneof(fc.constant(''), validDigits),
    age_band: maybe(AGE_BANDS),
    genders: subset(GENDERS),
    indicators: subset(VICTIM_INDICATORS),
    suspects: typed(LONG_TEXT_MAX),
    mode: fc.constantFrom(...REPORTER_MODES),
    name: typed(SHORT_TEXT_MAX),
    phone: fc.oneof(
      fc.constant(''),
      fc.stringMatching(/^\+?[0-9][0-9 ()-]{4,24}[0-9]$/u),
      fc.string({ maxLength: 30 }),
      fc.constantFrom('۰۳۰۰ ۱۲۳۴۵۶۷', ' +92 (300) 123-4567 ', '0300-', '++923001234567'),
    ),
    email: fc.oneof(
      fc.constant(''),
      fc.emailAddress(),
      fc.emailAddress().map((email) => ` ${email} `),
      fc.string({ maxLength: 30 }),
      fc.constantFrom('a@b.c', 'a..b@example.org', 'a@example.org.', 'ä@example.org', "o'brien@example.org"),
    ),
    safe_to_contact: fc.constantFrom<'yes' | 'no'>('yes', 'no'),
    safe_times: typed(SHORT_TEXT_MAX),
    relationship: maybe(REPORTER_RELATIONSHIPS),
  })
  .map(({ district_index, ...draft }) => {
    const districts = areas.filter((area) => area.parent === draft.province);
    const district = districts.length === 0 || district_index % 3 === 0 ? '' : districts[district_index % districts.length]!.code;
    return { ...emptyDraft(), ...draft, district };
  });

describe('buildReport', () => {
  it('builds a report the contract accepts from every draft that passes every step', () => {
    let built = 0;
    fc.assert(
      fc.property(fc.oneof(likelyValidDraft, draftArbitrary), fc.constantFrom('en', 'ur'), (draft, locale) => {
        fc.pre(passesEveryStep(draft));
        built += 1;
        const report = buildReport(draft, { ...options, locale });
        const parsed = ReportCreateSchema.safeParse(report);
        expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
      }),
      { numRuns: 1_000 },
    );
    // The drafts are worth their name: most runs got past the precondition.
    expect(built).toBeGreaterThan(300);
  });

  it('never builds a report from a draft that fails a step, and says which field without what was typed', () => {
    fc.assert(
      fc.property(fc.oneof(likelyValidDraft, draftArbitrary), (draft) => {
        fc.pre(!passesEveryStep(draft));
        let error: unknown;
        try {
          buildReport(draft, options);
        } catch (caught) {
          error = caught;
        }
        expect(error).toBeInstanceOf(RangeError);
        const message = (error as RangeError).message;
        const failed = STEPS.flatMap((step) => validateStep(step, draft).map((e) => `${step}.${e.field}: ${e.code}`));
        // The message is made of step, field and code names alone, so nothing typed can be in it
        // (a typed "name" may still appear, as the field's name, which is why this is not a substring test).
        expect(message).toBe(`buildReport: the draft fails the checks of its steps — ${failed.join(', ')}`);
      }),
      { numRuns: 1_000 },
    );
  });

  it('never puts contact details into an anonymous report, whatever was typed before', () => {
    fc.assert(
      fc.property(fc.oneof(likelyValidDraft, draftArbitrary), (draft) => {
        const anonymous = { ...draft, mode: 'anonymous' as const };
        fc.pre(passesEveryStep(anonymous));
        const report = buildReport(anonymous, options);
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
