/**
 * The Tahaffuz report form: `<tz-report-form>`, one element that carries the whole flow — safety
 * first, seven short steps, a receipt — and submits itself to the referral API with a publishable
 * key, keeping a report it cannot send encrypted on the device until it can. Lit 3 web components,
 * English and Urdu built in. Importing this module registers `<tz-report-form>` and `<tz-quick-exit>`.
 *
 * @example
 * ```ts
 * import '@tahaffuz/report-form';
 * import { PAKISTAN_EMERGENCY_NUMBERS } from '@tahaffuz/report-form';
 *
 * const form = document.createElement('tz-report-form');
 * form.apiBase = 'https://referrals.example.org';
 * form.publishableKey = 'tz_pk_live_…';
 * form.lang = 'ur';
 * form.emergencyNumbers = [
 *   ...PAKISTAN_EMERGENCY_NUMBERS,
 *   { number: '1121', label: { en: 'Punjab Child Protection Bureau', ur: 'پنجاب چائلڈ پروٹیکشن بیورو' } },
 * ];
 * form.addEventListener('tz-submitted', (event) => console.log(event.reference));
 * document.body.append(form);
 * ```
 * @module
 */

import './events/event-map.js';

/** The elements. */
export { BUILT_IN_STRINGS, TzReportForm } from './components/tz-report-form/tz-report-form.js';
export {
  DEFAULT_EXIT_URL,
  ESCAPE_TWICE_WINDOW_MS,
  isEscape,
  safeExitUrl,
  TzQuickExit,
} from './components/tz-quick-exit/tz-quick-exit.js';

/** The events: `Event` subclasses that carry ids and codes, never what the reporter typed. */
export { ReportSubmittedEvent } from './events/submitted-event.js';
export { ReportQueuedEvent } from './events/queued-event.js';
export { StepChangeEvent } from './events/step-change-event.js';
export { ReportFormErrorEvent, type ReportFormErrorCode } from './events/error-event.js';
export { QuickExitEvent } from './events/quick-exit-event.js';

/** Configuration: emergency numbers with the Pakistan preset, and the child-age threshold. */
export {
  localize,
  PAKISTAN_EMERGENCY_NUMBERS,
  telHref,
  type EmergencyNumber,
  type LocalizedText,
} from './config/emergency-numbers.js';
export { DEFAULT_CHILD_AGE_THRESHOLD, mayIncludeChild } from './model/child-age.js';

/** Strings: English and Urdu, replaceable one by one. */
export { EN_STRINGS } from './i18n/en.js';
export { UR_STRINGS } from './i18n/ur.js';
export {
  directionOf,
  formatString,
  mergeStrings,
  type FormStringOverrides,
  type FormStrings,
} from './i18n/form-strings.js';

/** The draft, its checks and the report built from it, for those who compose their own form. */
export { STEPS, type Outcome, type StepName } from './model/steps.js';
export { emptyDraft, type DraftField, type ReportDraft, type YesNo } from './model/draft.js';
export {
  FIELD_ERROR_CODES,
  LONG_TEXT_MAX,
  SHORT_TEXT_MAX,
  validateStep,
  type FieldError,
  type FieldErrorCode,
} from './model/validate-step.js';
export { buildReport, type BuildReportOptions } from './model/build-report.js';
export { normalizeDigits } from './model/digits.js';

/** The offline queue. */
export { Outbox, type FlushOutcome, type QueuedRecord } from './offline/outbox.js';
export { DEFAULT_RETRY_SCHEDULE, expiryOf, retryDelay, type RetrySchedule } from './offline/retry-schedule.js';
export { isRetryable, reportSender, type SendReport, type SendResult } from './offline/send-report.js';
