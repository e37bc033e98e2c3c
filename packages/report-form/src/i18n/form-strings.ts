import type {
  AgeBand,
  FirstSeen,
  Gender,
  PlaceType,
  ReportCategory,
  ReporterMode,
  ReporterRelationship,
  VictimIndicator,
} from '@tahaffuz/referral-contract';
import type { FieldErrorCode } from '../model/validate-step.js';
import type { Outcome, StepName } from '../model/steps.js';

/**
 * Every text the form shows. `{name}` marks a value filled in at run time (`{step}`, `{total}`,
 * `{count}`, `{days}`, `{reference}`); values are inserted as text, never as HTML.
 */
export interface FormStrings {
  formLabel: string;
  quickExit: string;
  quickExitExplain: string;
  stepOf: string;
  start: string;
  next: string;
  back: string;
  backToReview: string;
  required: string;
  optional: string;
  yes: string;
  no: string;
  notSure: string;
  chooseOption: string;
  headings: Record<StepName, string>;
  outcomes: Record<Outcome, string>;
  emergencyNumbersLabel: string;
  emergencyIntro: string;
  doNotConfront: string;
  whatHappens: string;
  categoriesLegend: string;
  categories: Record<ReportCategory, string>;
  happeningNowLegend: string;
  happeningNowNotice: string;
  narrativeLabel: string;
  narrativeHint: string;
  provinceLabel: string;
  districtLabel: string;
  placeTypeLabel: string;
  placeTypes: Record<PlaceType, string>;
  landmarkLabel: string;
  landmarkHint: string;
  firstSeenLegend: string;
  firstSeen: Record<FirstSeen, string>;
  ongoingLegend: string;
  countLabel: string;
  countHint: string;
  ageBandLabel: string;
  ageBands: Record<AgeBand, string>;
  childNotice: string;
  gendersLegend: string;
  genders: Record<Gender, string>;
  indicatorsLegend: string;
  indicators: Record<VictimIndicator, string>;
  suspectsLabel: string;
  suspectsHint: string;
  optionalStep: string;
  modeLegend: string;
  modes: Record<ReporterMode, string>;
  modeHints: Record<ReporterMode, string>;
  nameLabel: string;
  phoneLabel: string;
  emailLabel: string;
  contactHint: string;
  safeToContactLegend: string;
  safeTimesLabel: string;
  relationshipLabel: string;
  relationships: Record<ReporterRelationship, string>;
  reviewIntro: string;
  change: string;
  submit: string;
  submitting: string;
  notAnswered: string;
  referenceLabel: string;
  referenceHint: string;
  newReport: string;
  queuedText: string;
  queuedSafety: string;
  deleteSaved: string;
  deletedText: string;
  pendingSaved: string;
  deletePending: string;
  sentFromDevice: string;
  expiredNotice: string;
  rejectedNotice: string;
  errorSummary: string;
  errors: Record<FieldErrorCode, string>;
  sendRejected: string;
  storageFailed: string;
  configError: string;
}

/** Replacements for some of the strings; a nested group may be replaced in part. */
export type FormStringOverrides = {
  [K in keyof FormStrings]?: FormStrings[K] extends string ? string : Partial<FormStrings[K]>;
};

/**
 * Fills `{name}` placeholders from `values`; a placeholder without a value stays as it is, and a
 * value is never itself searched for placeholders.
 */
export function formatString(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{([A-Za-z]+)\}/gu, (whole, name: string) => (Object.hasOwn(values, name) ? String(values[name]) : whole));
}

/** `base` with `overrides` laid over it, one level deep for the grouped strings. */
export function mergeStrings(base: FormStrings, overrides: FormStringOverrides | undefined): FormStrings {
  if (overrides === undefined) return base;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined || !Object.hasOwn(base, key)) continue;
    const current = merged[key];
    merged[key] = typeof value === 'object' && value !== null && typeof current === 'object' ? { ...current, ...value } : value;
  }
  return merged as unknown as FormStrings;
}

// Languages written right to left (BCP 47 primary subtags), for when no script subtag says so.
const RTL_LANGUAGES = new Set(['ar', 'arc', 'ckb', 'dv', 'fa', 'he', 'ks', 'ku', 'ps', 'sd', 'syr', 'ug', 'ur', 'yi']);
const RTL_SCRIPTS = new Set(['arab', 'hebr', 'syrc', 'thaa', 'nkoo', 'adlm', 'rohg']);
const LATIN_LIKE = new Set(['latn', 'cyrl', 'deva', 'guru']);

/** `rtl` for a language written right to left (`ur`, `ur-PK`, `pa-Arab`), else `ltr`. */
export function directionOf(lang: string): 'ltr' | 'rtl' {
  const [primary = '', ...rest] = lang.toLowerCase().split(/[-_]/u);
  const script = rest.find((part) => part.length === 4);
  if (script !== undefined && RTL_SCRIPTS.has(script)) return 'rtl';
  if (script !== undefined && LATIN_LIKE.has(script)) return 'ltr';
  return RTL_LANGUAGES.has(primary) ? 'rtl' : 'ltr';
}

/** The primary language subtag, lower case: `ur` for `ur-PK`. */
export function primaryLanguage(lang: string): string {
  return (lang.split(/[-_]/u)[0] ?? '').toLowerCase();
}
