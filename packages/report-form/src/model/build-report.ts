import type { ReportCreate, Reporter, ReporterContact } from '@tahaffuz/referral-contract';
import { normalizeDigits } from './digits.js';
import type { ReportDraft } from './draft.js';
import { STEPS } from './steps.js';
import { validateStep } from './validate-step.js';

/** What a report needs besides the draft. */
export interface BuildReportOptions {
  /** The client-generated report id (a UUID), fixed before the first attempt. */
  readonly id: string;
  /** The language the reporter used, e.g. `ur`. */
  readonly locale: string;
  /** The country code of the admin-area list, used when the reporter does not know the province. */
  readonly country: string;
}

function text(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function reporterOf(draft: ReportDraft, locale: string): Reporter {
  if (draft.mode === 'anonymous') return { mode: 'anonymous' };
  const contact: ReporterContact = { safe_to_contact: draft.safe_to_contact === 'yes' };
  const name = text(draft.name);
  const phone = text(normalizeDigits(draft.phone));
  const email = text(draft.email);
  const safeTimes = text(draft.safe_times);
  if (name !== undefined) contact.name = name;
  if (phone !== undefined) contact.phone = phone;
  if (email !== undefined) contact.email = email;
  if (safeTimes !== undefined) contact.safe_times = safeTimes;
  contact.preferred_language = locale;
  return draft.relationship === '' ? { mode: draft.mode, contact } : { mode: draft.mode, contact, relationship: draft.relationship };
}

/**
 * Turns a checked draft into the body of `POST /v1/reports`: text trimmed, unanswered optional
 * parts left out, the most precise admin area known (district, else province, else the country),
 * and no contact at all for an anonymous reporter. Throws a `RangeError` naming the steps, fields
 * and error codes (never what was typed) when the draft fails any step's `validateStep`: the page
 * sends what this returns without checking it again (decision 0012), so only a checked draft may
 * become a report.
 */
export function buildReport(draft: ReportDraft, options: BuildReportOptions): ReportCreate {
  const failed = STEPS.flatMap((step) => validateStep(step, draft).map((error) => `${step}.${error.field}: ${error.code}`));
  if (failed.length > 0) throw new RangeError(`buildReport: the draft fails the checks of its steps — ${failed.join(', ')}`);
  const location: ReportCreate['location'] = {
    admin_area: draft.district || (draft.province === '' ? options.country : draft.province),
  };
  if (draft.place_type !== '') location.place_type = draft.place_type;
  const landmark = text(draft.landmark);
  if (landmark !== undefined) location.landmark = landmark;

  const report: ReportCreate = {
    id: options.id,
    categories: [...draft.categories],
    happening_now: draft.happening_now === 'yes',
    location,
    reporter: reporterOf(draft, options.locale),
    locale: options.locale,
    channel: 'web_form',
  };
  if (draft.first_seen !== '') {
    report.when = { first_seen: draft.first_seen };
    if (draft.ongoing === 'yes' || draft.ongoing === 'no') report.when.ongoing = draft.ongoing === 'yes';
  }
  const victims: NonNullable<ReportCreate['victims']> = {};
  const count = normalizeDigits(draft.victim_count.trim());
  if (count !== '') victims.count = Number(count);
  if (draft.age_band !== '') victims.age_band = draft.age_band;
  if (draft.genders.length > 0) victims.genders = [...draft.genders];
  if (draft.indicators.length > 0) victims.indicators = [...draft.indicators];
  if (Object.keys(victims).length > 0) report.victims = victims;
  const suspects = text(draft.suspects);
  if (suspects !== undefined) report.suspects = { description: suspects };
  const narrative = text(draft.narrative);
  if (narrative !== undefined) report.narrative = narrative;
  return report;
}
