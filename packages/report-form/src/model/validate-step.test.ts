import { PhoneSchema, ReporterContactSchema } from '@tahaffuz/referral-contract';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyDraft } from './draft.js';
import { validateStep } from './validate-step.js';

describe('validateStep', () => {
  it('asks only for what a report cannot do without', () => {
    const draft = emptyDraft();
    expect(validateStep('safety', draft)).toEqual([]);
    expect(validateStep('what', draft).map((e) => e.code)).toEqual(['categories_required', 'happening_now_required']);
    expect(validateStep('where', draft).map((e) => e.code)).toEqual(['province_required']);
    for (const step of ['when', 'who', 'suspects', 'about_you', 'review'] as const) expect(validateStep(step, draft)).toEqual([]);
  });

  it('accepts "not sure" answers', () => {
    const draft = { ...emptyDraft(), categories: ['not_sure' as const], happening_now: 'no' as const, province: 'PK' };
    expect(validateStep('what', draft)).toEqual([]);
    expect(validateStep('where', draft)).toEqual([]);
  });

  it('asks a reporter who gives contact details for one way to reach them and whether it is safe', () => {
    const draft = { ...emptyDraft(), mode: 'confidential' as const };
    expect(validateStep('about_you', draft).map((e) => e.code)).toEqual(['contact_required', 'safe_to_contact_required']);
    expect(validateStep('about_you', { ...draft, phone: '0300 1234567', safe_to_contact: 'no' })).toEqual([]);
    expect(validateStep('about_you', { ...draft, phone: 'call me', safe_to_contact: 'no' }).map((e) => e.code)).toEqual(['phone_invalid']);
    expect(validateStep('about_you', { ...draft, email: 'nobody', safe_to_contact: 'yes' }).map((e) => e.code)).toEqual(['email_invalid']);
  });

  it('refuses a count that is not a whole number from 1 to 10,000, reading Urdu digits', () => {
    for (const bad of ['0', '-1', '10001', '2.5', 'many']) {
      expect(validateStep('who', { ...emptyDraft(), victim_count: bad }).map((e) => e.code)).toEqual(['count_invalid']);
    }
    for (const good of ['1', ' 40 ', '10000', '۱۲']) expect(validateStep('who', { ...emptyDraft(), victim_count: good })).toEqual([]);
  });

  it('refuses text longer than the contract allows', () => {
    expect(validateStep('where', { ...emptyDraft(), province: 'PK', landmark: 'x'.repeat(501) }).map((e) => e.code)).toEqual(['too_long']);
    expect(validateStep('suspects', { ...emptyDraft(), suspects: 'x'.repeat(10_001) }).map((e) => e.code)).toEqual(['too_long']);
  });

  it('refuses exactly the phones and emails the contract refuses (the page runs no zod to catch a difference)', () => {
    const phone = fc.oneof(
      fc.stringMatching(/^\+?[0-9][0-9 ()-]{4,24}[0-9]$/u),
      fc.string({ maxLength: 30 }),
      fc.string({ unit: fc.constantFrom(...'+0123456789 ()-x') }),
    );
    const email = fc.oneof(fc.emailAddress(), fc.string({ maxLength: 30 }), fc.string({ unit: fc.constantFrom(..."ab.@-_+'9ä") }));
    const draft = { ...emptyDraft(), mode: 'confidential' as const, name: 'x', safe_to_contact: 'no' as const };
    fc.assert(
      fc.property(phone, (value) => {
        const trimmed = value.trim();
        fc.pre(trimmed !== '' && !/[\u0660-\u0669\u06f0-\u06f9]/u.test(trimmed));
        const formAccepts = validateStep('about_you', { ...draft, phone: value }).length === 0;
        expect(formAccepts).toBe(PhoneSchema.safeParse(trimmed).success);
      }),
      { numRuns: 2_000 },
    );
    fc.assert(
      fc.property(email, (value) => {
        const trimmed = value.trim();
        fc.pre(trimmed !== '');
        const formAccepts = validateStep('about_you', { ...draft, email: value }).length === 0;
        expect(formAccepts).toBe(ReporterContactSchema.safeParse({ email: trimmed, safe_to_contact: false }).success);
      }),
      { numRuns: 2_000 },
    );
  });
});
