import { normalizeDigits } from './digits.js';
import type { DraftField, ReportDraft } from './draft.js';
import type { StepName } from './steps.js';

/** Why a field was refused; each code has a message in the form's strings. */
export const FIELD_ERROR_CODES = [
  'categories_required',
  'happening_now_required',
  'province_required',
  'too_long',
  'count_invalid',
  'contact_required',
  'phone_invalid',
  'email_invalid',
  'safe_to_contact_required',
] as const;

/** Why a field was refused. */
export type FieldErrorCode = (typeof FIELD_ERROR_CODES)[number];

/** One refused field of a step. */
export interface FieldError {
  readonly field: DraftField;
  readonly code: FieldErrorCode;
}

/** The contract's limits: short texts (landmark, name) and long texts (narrative, description). */
export const SHORT_TEXT_MAX = 500;
export const LONG_TEXT_MAX = 10_000;

// The contract's patterns for a phone (PhoneSchema) and an email (zod's `z.email()`), written out
// so that the page runs no zod: the page does not validate the report again before sending it
// (decision 0012), so these must refuse whatever the contract refuses. The property tests of
// build-report.test.ts and validate-step.test.ts hold them to the contract's schemas.
const PHONE = /^\+?[0-9][0-9 ()-]{4,24}[0-9]$/u;
const EMAIL = /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/u;

function tooLong(draft: ReportDraft, field: DraftField, max: number, errors: FieldError[]): void {
  const value = draft[field];
  if (typeof value === 'string' && value.trim().length > max) errors.push({ field, code: 'too_long' });
}

/**
 * Checks the answers of one step before the reporter moves on: only what the report cannot do
 * without (a category, "happening now", a province, a way to contact a reporter who wants to be
 * contacted) is required; everything else is optional but must fit the contract.
 */
export function validateStep(step: StepName, draft: ReportDraft): FieldError[] {
  const errors: FieldError[] = [];
  switch (step) {
    case 'what':
      if (draft.categories.length === 0) errors.push({ field: 'categories', code: 'categories_required' });
      if (draft.happening_now === '') errors.push({ field: 'happening_now', code: 'happening_now_required' });
      tooLong(draft, 'narrative', LONG_TEXT_MAX, errors);
      break;
    case 'where':
      if (draft.province === '') errors.push({ field: 'province', code: 'province_required' });
      tooLong(draft, 'landmark', SHORT_TEXT_MAX, errors);
      break;
    case 'who': {
      const count = normalizeDigits(draft.victim_count.trim());
      if (count !== '' && !(/^[0-9]{1,5}$/u.test(count) && Number(count) >= 1 && Number(count) <= 10_000)) {
        errors.push({ field: 'victim_count', code: 'count_invalid' });
      }
      break;
    }
    case 'suspects':
      tooLong(draft, 'suspects', LONG_TEXT_MAX, errors);
      break;
    case 'about_you': {
      if (draft.mode === 'anonymous') break;
      const name = draft.name.trim();
      const phone = normalizeDigits(draft.phone.trim());
      const email = draft.email.trim();
      if (name === '' && phone === '' && email === '') errors.push({ field: 'name', code: 'contact_required' });
      tooLong(draft, 'name', SHORT_TEXT_MAX, errors);
      if (phone !== '' && !PHONE.test(phone)) errors.push({ field: 'phone', code: 'phone_invalid' });
      if (email !== '' && !EMAIL.test(email)) errors.push({ field: 'email', code: 'email_invalid' });
      if (draft.safe_to_contact === '') errors.push({ field: 'safe_to_contact', code: 'safe_to_contact_required' });
      tooLong(draft, 'safe_times', SHORT_TEXT_MAX, errors);
      break;
    }
    default:
      break;
  }
  return errors;
}
