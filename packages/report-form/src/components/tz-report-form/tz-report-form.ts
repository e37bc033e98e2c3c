import { createReportSender } from '@tahaffuz/referral-client/reports-unchecked';
import { pakistanAdminAreas, type AdminAreaSet, type ReportCreate, type ReportReceipt } from '@tahaffuz/referral-contract';
import { html, LitElement, type PropertyDeclarations, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { PAKISTAN_EMERGENCY_NUMBERS, type EmergencyNumber } from '../../config/emergency-numbers.js';
import { ReportFormErrorEvent, type ReportFormErrorCode } from '../../events/error-event.js';
import { ReportQueuedEvent } from '../../events/queued-event.js';
import { StepChangeEvent } from '../../events/step-change-event.js';
import { ReportSubmittedEvent } from '../../events/submitted-event.js';
import { EN_STRINGS } from '../../i18n/en.js';
import {
  directionOf,
  formatString,
  mergeStrings,
  primaryLanguage,
  type FormStringOverrides,
  type FormStrings,
} from '../../i18n/form-strings.js';
import { UR_STRINGS } from '../../i18n/ur.js';
import { buildReport } from '../../model/build-report.js';
import { DEFAULT_CHILD_AGE_THRESHOLD } from '../../model/child-age.js';
import { emptyDraft, type DraftField, type ReportDraft } from '../../model/draft.js';
import { STEPS, type Outcome } from '../../model/steps.js';
import { validateStep, type FieldError, type FieldErrorCode } from '../../model/validate-step.js';
import { DB_NAME } from '../../offline/idb.js';
import { Outbox, type FlushOutcome } from '../../offline/outbox.js';
import { DEFAULT_RETRY_SCHEDULE, expiryOf, type RetrySchedule } from '../../offline/retry-schedule.js';
import { reportSender, type SendReport } from '../../offline/send-report.js';
import { DEFAULT_EXIT_URL } from '../tz-quick-exit/tz-quick-exit.js';
import '../tz-quick-exit/tz-quick-exit.js';
import { STEP_TEMPLATES, type StepContext } from './step-templates.js';
import { reportFormStyles } from './tz-report-form.styles.js';

/** The built-in strings by primary language. */
export const BUILT_IN_STRINGS: Readonly<Record<string, FormStrings>> = { en: EN_STRINGS, ur: UR_STRINGS };

/** A notice about a queued report, shown above the form until the next one replaces it. */
type Notice = { readonly kind: 'sent'; readonly reference: string } | { readonly kind: 'expired' | 'rejected' };

// setTimeout takes at most a signed 32-bit number of milliseconds.
const MAX_TIMER_MS = 2_147_483_647;

/**
 * The whole report flow in one element: safety first, seven short steps, a receipt with the
 * reference. It submits itself to the referral API with a publishable key, and when it cannot, keeps
 * the report encrypted on the device and sends it later. Content placed inside the element (for
 * example a deployment's own emergency numbers) shows when JavaScript cannot run, and on the safety
 * screen when it can.
 *
 * @example
 * ```html
 * <script src="/js/tahaffuz-report-form.js"></script>
 * <tz-report-form api-base="https://referrals.example.org" publishable-key="tz_pk_live_…" lang="ur">
 *   <p>Police: <a href="tel:15">15</a></p>
 * </tz-report-form>
 * ```
 * @fires tz-step-change - the form moved to another screen
 * @fires tz-submitted - the API received a report (now or from the offline queue)
 * @fires tz-queued - a report was saved on this device to be sent later
 * @fires tz-error - the report was refused, could not be saved, expired, or the form is misconfigured
 * @slot - shown on the safety screen, and on its own when JavaScript cannot run
 * @csspart form, header, quick-exit, progress, heading, status, error-summary, notice, fieldset,
 *   legend, choice, label, input, textarea, select, error, button, primary-button, reference,
 *   emergency-numbers, emergency-number, review-section
 * @cssprop --tz-font-family, --tz-font-family-rtl, --tz-line-height, --tz-line-height-rtl,
 *   --tz-color-text, --tz-color-background, --tz-color-accent, --tz-color-accent-text,
 *   --tz-color-border, --tz-color-danger, --tz-color-notice, --tz-focus-ring, --tz-radius, --tz-space
 */
export class TzReportForm extends LitElement {
  // Static properties, not decorators: workspaces and bundlers load this file from source, and
  // neither Node 20 nor Vite's transformer runs standard decorators untranspiled.
  static override properties: PropertyDeclarations = {
    apiBase: { attribute: 'api-base' },
    publishableKey: { attribute: 'publishable-key' },
    locale: { attribute: 'lang' },
    strings: { attribute: false },
    emergencyNumbers: { attribute: false },
    adminAreas: { attribute: false },
    childAgeThreshold: { type: Number, attribute: 'child-age-threshold' },
    exitUrl: { attribute: 'exit-url' },
    offlineDays: { type: Number, attribute: 'offline-days' },
    retrySchedule: { attribute: false },
    draft: { state: true },
    step: { state: true },
    outcome: { state: true },
    errors: { state: true },
    sending: { state: true },
    submitError: { state: true },
    reference: { state: true },
    pending: { state: true },
    notice: { state: true },
  };

  static override styles = reportFormStyles;

  /** The referral API's base URL, e.g. `https://referrals.example.org`. The form calls no other origin. */
  declare apiBase: string;

  /** A publishable key (`tz_pk_live_…` or `tz_pk_test_…`) allowed for this page's origin. */
  declare publishableKey: string;

  /**
   * The language, from the element's `lang` attribute, else the nearest ancestor's, else English.
   * English and Urdu are built in; `dir` is set on the element to match.
   */
  declare locale: string;

  /** Replacements for any of the built-in strings of the current language. */
  declare strings: FormStringOverrides | undefined;

  /**
   * Numbers to call, shown first.
   * @default PAKISTAN_EMERGENCY_NUMBERS (police 15, FIA 111-247-786)
   */
  declare emergencyNumbers: readonly EmergencyNumber[];

  /**
   * Provinces and districts to choose from.
   * @default pakistanAdminAreas
   */
  declare adminAreas: AdminAreaSet;

  /**
   * An age band with someone younger than this shows the child-protection notice.
   * @default 18
   */
  declare childAgeThreshold: number;

  /** Where quick exit goes. */
  declare exitUrl: string;

  /**
   * Days a report that could not be sent is kept on the device and retried.
   * @default 30
   */
  declare offlineDays: number;

  /** Retry timing of the offline queue, for deployments and tests (`offline-days` sets its length). */
  declare retrySchedule: Partial<RetrySchedule>;

  /** @internal */
  declare draft: ReportDraft;
  /** @internal */
  declare step: number;
  /** @internal */
  declare outcome: Outcome | undefined;
  /** @internal */
  declare errors: readonly FieldError[];
  /** @internal */
  declare sending: boolean;
  /** @internal */
  declare submitError: 'sendRejected' | 'storageFailed' | 'configError' | undefined;
  /** @internal */
  declare reference: string;
  /** @internal */
  declare pending: number;
  /** @internal */
  declare notice: Notice | undefined;

  constructor() {
    super();
    this.apiBase = '';
    this.publishableKey = '';
    this.locale = '';
    this.strings = undefined;
    this.emergencyNumbers = PAKISTAN_EMERGENCY_NUMBERS;
    this.adminAreas = pakistanAdminAreas;
    this.childAgeThreshold = DEFAULT_CHILD_AGE_THRESHOLD;
    this.exitUrl = DEFAULT_EXIT_URL;
    this.offlineDays = DEFAULT_RETRY_SCHEDULE.maxAgeDays;
    this.retrySchedule = {};
    this.draft = emptyDraft();
    this.step = 0;
    this.outcome = undefined;
    this.errors = [];
    this.sending = false;
    this.submitError = undefined;
    this.reference = '';
    this.pending = 0;
    this.notice = undefined;
  }

  #reportId: string | undefined;
  #queuedId: string | undefined;
  #returnToReview = false;
  #moveFocus = false;
  #outbox: Promise<Outbox> | undefined;
  #queueFor = '';
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #onOnline = () => void this.#hasQueue().then((has) => (has ? this.#flush(true) : undefined));

  /** The language in use: the primary subtag of `lang`, of the nearest ancestor's, or `en`. */
  get language(): string {
    const tag = this.locale || this.parentElement?.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang || 'en';
    return primaryLanguage(tag) || 'en';
  }

  get #strings(): FormStrings {
    return mergeStrings(BUILT_IN_STRINGS[this.language] ?? EN_STRINGS, this.strings);
  }

  get #schedule(): RetrySchedule {
    return { ...DEFAULT_RETRY_SCHEDULE, ...this.retrySchedule, maxAgeDays: this.offlineDays };
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('online', this.#onOnline);
  }

  override disconnectedCallback(): void {
    window.removeEventListener('online', this.#onOnline);
    clearTimeout(this.#timer);
    const outbox = this.#outbox;
    this.#outbox = undefined;
    this.#queueFor = '';
    void outbox?.then(
      (box) => box.close(),
      () => undefined,
    );
    super.disconnectedCallback();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('locale') || !this.hasAttribute('dir')) this.dir = directionOf(this.language);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if ((changed.has('apiBase') || changed.has('publishableKey')) && this.isConnected) this.#startQueue();
    if (this.#moveFocus) {
      this.#moveFocus = false;
      this.renderRoot.querySelector<HTMLElement>('h2')?.focus();
    }
  }

  // ——— navigation ———

  #go(step: number): void {
    this.errors = [];
    this.submitError = undefined;
    this.step = step;
    this.#moveFocus = true;
    const name = STEPS[step] ?? 'review';
    this.dispatchEvent(new StepChangeEvent({ step, name }));
  }

  #next(): void {
    const name = STEPS[this.step] ?? 'review';
    const errors = validateStep(name, this.draft);
    if (errors.length > 0) {
      this.errors = errors;
      void this.updateComplete.then(() => {
        const first = errors[0]?.field;
        this.renderRoot.querySelector<HTMLElement>(`[data-field="${first}"] :is(input, select, textarea)`)?.focus();
      });
      return;
    }
    if (this.#returnToReview) {
      this.#returnToReview = false;
      this.#go(STEPS.length - 1);
    } else {
      this.#go(this.step + 1);
    }
  }

  #showOutcome(outcome: Outcome): void {
    this.outcome = outcome;
    this.#moveFocus = true;
    this.dispatchEvent(new StepChangeEvent({ step: STEPS.length, name: outcome }));
  }

  /** Empties the form: nothing the reporter typed stays in memory or on screen. */
  reset(): void {
    this.draft = emptyDraft();
    this.errors = [];
    this.submitError = undefined;
    this.outcome = undefined;
    this.reference = '';
    this.#reportId = undefined;
    this.#returnToReview = false;
    this.step = 0;
  }

  // ——— editing ———

  #set(field: DraftField, value: string): void {
    const draft = { ...this.draft, [field]: value } as ReportDraft;
    if (field === 'province') draft.district = '';
    this.draft = draft;
    this.#clearError(field);
  }

  #toggle(field: DraftField, value: string, on: boolean): void {
    const current = this.draft[field] as readonly string[];
    const next = on ? [...current.filter((item) => item !== value), value] : current.filter((item) => item !== value);
    this.draft = { ...this.draft, [field]: next } as ReportDraft;
    this.#clearError(field);
  }

  #clearError(field: DraftField): void {
    if (this.errors.some((error) => error.field === field)) this.errors = this.errors.filter((error) => error.field !== field);
    // The contact error sits on `name` but is answered by any of the three fields.
    if (field === 'phone' || field === 'email') this.errors = this.errors.filter((error) => error.code !== 'contact_required');
  }

  // ——— sending and the offline queue ———

  #configured(): boolean {
    return /^https?:\/\//u.test(this.apiBase) && this.publishableKey.startsWith('tz_pk_');
  }

  #sender(): SendReport {
    // No zod in the page (decision 0012): the report comes from buildReport, which only builds from
    // a draft that passed every step and is held to the contract by its tests; the server checks
    // it again, and its 400 is shown to the reporter as a refusal, never retried.
    const client = createReportSender({
      baseUrl: this.apiBase,
      apiKey: this.publishableKey,
      // The reporter is waiting: a few quick retries, then the report goes to the offline queue.
      retry: { limit: 2, backoffBase: 250, backoffCap: 1_000, maxRetryAfter: 2_000 },
      timeout: { attempt: 10_000, total: 20_000 },
    });
    return reportSender(client);
  }

  #error(
    code: ReportFormErrorCode,
    details: { reportId?: string | undefined; status?: number | undefined; requestId?: string | undefined } = {},
  ): void {
    this.dispatchEvent(new ReportFormErrorEvent({ code, ...details }));
  }

  async #submit(): Promise<void> {
    if (this.sending) return;
    if (!this.#configured()) {
      this.submitError = 'configError';
      this.#error('configuration');
      return;
    }
    // Every step again, not only the last: an answer can have been changed from the review step.
    const failing = STEPS.find((step) => validateStep(step, this.draft).length > 0);
    if (failing !== undefined) {
      this.#returnToReview = true;
      this.#go(STEPS.indexOf(failing));
      this.errors = validateStep(failing, this.draft);
      return;
    }
    this.#reportId ??= crypto.randomUUID();
    const report = buildReport(this.draft, { id: this.#reportId, locale: this.language, country: this.adminAreas.country });
    this.sending = true;
    this.submitError = undefined;
    try {
      const result = navigator.onLine === false ? ({ kind: 'retry' } as const) : await this.#sender()(report);
      if (result.kind === 'sent') {
        this.#received(result.receipt, false);
      } else if (result.kind === 'retry') {
        await this.#queue(report);
      } else {
        this.submitError = 'sendRejected';
        this.#error('rejected', { reportId: report.id, status: result.status, requestId: result.requestId });
      }
    } finally {
      this.sending = false;
    }
  }

  #received(receipt: ReportReceipt, fromQueue: boolean): void {
    this.draft = emptyDraft();
    this.#reportId = undefined;
    this.reference = receipt.reference;
    this.#showOutcome('received');
    this.dispatchEvent(
      new ReportSubmittedEvent({ reportId: receipt.id, reference: receipt.reference, receivedAt: receipt.received_at, fromQueue }),
    );
  }

  async #queue(report: ReportCreate): Promise<void> {
    try {
      const outbox = await this.#openOutbox();
      const record = await outbox.add(this.apiBase, report);
      this.draft = emptyDraft();
      this.#reportId = undefined;
      this.#queuedId = report.id;
      this.#showOutcome('queued');
      this.dispatchEvent(new ReportQueuedEvent({ reportId: report.id, expiresAt: expiryOf(record.created_at, this.#schedule) }));
      await this.#refreshPending(outbox);
    } catch {
      this.submitError = 'storageFailed';
      this.#error('storage', { reportId: report.id });
    }
  }

  #openOutbox(): Promise<Outbox> {
    this.#outbox ??= Outbox.open(this.#schedule);
    return this.#outbox;
  }

  #startQueue(): void {
    if (!this.#configured() || this.#queueFor === `${this.apiBase} ${this.publishableKey}`) return;
    this.#queueFor = `${this.apiBase} ${this.publishableKey}`;
    void this.#hasQueue().then((has) => (has ? this.#flush(true) : undefined));
  }

  /**
   * Whether this browser holds the form's database. Only a browser that has queued a report has it:
   * looking must not create it, since its name alone tells that someone reported.
   */
  async #hasQueue(): Promise<boolean> {
    if (this.#outbox !== undefined) return true;
    try {
      const databases = await indexedDB.databases();
      return databases.some((db) => db.name === DB_NAME);
    } catch {
      return false;
    }
  }

  async #flush(force: boolean): Promise<void> {
    if (!this.#configured()) return;
    let outbox: Outbox;
    try {
      outbox = await this.#openOutbox();
    } catch {
      return;
    }
    let outcomes: FlushOutcome[] = [];
    try {
      outcomes = await outbox.flush(this.apiBase, this.#sender(), { force });
    } finally {
      for (const outcome of outcomes) this.#onFlushed(outcome);
      await this.#refreshPending(outbox);
    }
  }

  #onFlushed(outcome: FlushOutcome): void {
    switch (outcome.kind) {
      case 'sent':
        if (this.outcome === 'queued' && this.#queuedId === outcome.id) {
          this.#received(outcome.receipt, true);
        } else {
          this.notice = { kind: 'sent', reference: outcome.receipt.reference };
          this.dispatchEvent(
            new ReportSubmittedEvent({
              reportId: outcome.id,
              reference: outcome.receipt.reference,
              receivedAt: outcome.receipt.received_at,
              fromQueue: true,
            }),
          );
        }
        break;
      case 'expired':
        this.notice = { kind: 'expired' };
        if (this.outcome === 'queued' && this.#queuedId === outcome.id) this.#showOutcome('deleted');
        this.#error('expired', { reportId: outcome.id });
        break;
      case 'rejected':
      case 'unreadable':
        this.notice = { kind: 'rejected' };
        this.#error('rejected', {
          reportId: outcome.id,
          status: outcome.kind === 'rejected' ? outcome.status : undefined,
          requestId: outcome.kind === 'rejected' ? outcome.requestId : undefined,
        });
        break;
      case 'retry':
        break;
    }
  }

  async #refreshPending(outbox: Outbox): Promise<void> {
    const records = await outbox.records();
    this.pending = records.length;
    clearTimeout(this.#timer);
    const next = await outbox.nextAttemptAt();
    if (next === undefined || !this.isConnected) return;
    const wait = Math.min(Math.max(next - Date.now(), 1_000), MAX_TIMER_MS);
    this.#timer = setTimeout(() => void this.#flush(false), wait);
  }

  async #deleteQueued(all: boolean): Promise<void> {
    const outbox = await this.#openOutbox();
    await outbox.remove(all ? undefined : this.#queuedId === undefined ? [] : [this.#queuedId]);
    if (!all || this.outcome === 'queued') {
      this.#queuedId = undefined;
      this.#showOutcome('deleted');
    }
    await this.#refreshPending(outbox);
  }

  // ——— rendering ———

  #context(s: FormStrings): StepContext {
    return {
      draft: this.draft,
      strings: s,
      lang: this.language,
      adminAreas: this.adminAreas,
      emergencyNumbers: this.emergencyNumbers,
      childAgeThreshold: this.childAgeThreshold,
      errorOf: (field) => this.errors.find((error) => error.field === field)?.code,
      set: (field, value) => this.#set(field, value),
      toggle: (field, value, on) => this.#toggle(field, value, on),
      edit: (step) => {
        this.#returnToReview = true;
        this.#go(STEPS.indexOf(step));
      },
    };
  }

  #renderNotices(s: FormStrings): TemplateResult | typeof nothing {
    const notice = this.notice;
    const text =
      notice === undefined
        ? undefined
        : notice.kind === 'sent'
          ? formatString(s.sentFromDevice, { reference: notice.reference })
          : formatString(notice.kind === 'expired' ? s.expiredNotice : s.rejectedNotice, { days: this.offlineDays });
    const showPending = this.pending > 0 && this.outcome !== 'queued';
    if (text === undefined && !showPending) return nothing;
    return html`<div class="notice" part="notice">
      ${text === undefined ? nothing : html`<p>${text}</p>`}
      ${
        showPending
          ? html`<p>${formatString(s.pendingSaved, { count: this.pending })}</p>
            <button type="button" part="button" class="secondary" @click=${() => void this.#deleteQueued(true)}>${s.deletePending}</button>`
          : nothing
      }
    </div>`;
  }

  #renderOutcome(s: FormStrings, outcome: Outcome): TemplateResult {
    const heading = html`<h2 tabindex="-1" part="heading">${s.outcomes[outcome]}</h2>`;
    if (outcome === 'received') {
      return html`${heading}
        <p>${s.referenceLabel}</p>
        <p class="reference" part="reference"><bdi dir="ltr">${this.reference}</bdi></p>
        <p>${s.referenceHint}</p>
        <div class="nav"><button type="button" part="button" class="secondary" @click=${() => this.reset()}>${s.newReport}</button></div>`;
    }
    if (outcome === 'queued') {
      return html`${heading}
        <p>${formatString(s.queuedText, { days: this.offlineDays })}</p>
        <p>${s.queuedSafety}</p>
        <div class="nav">
          <button type="button" part="button" class="secondary" @click=${() => void this.#deleteQueued(false)}>${s.deleteSaved}</button>
        </div>`;
    }
    return html`${heading}
      <p>${s.deletedText}</p>
      <div class="nav"><button type="button" part="button" class="secondary" @click=${() => this.reset()}>${s.newReport}</button></div>`;
  }

  #renderStep(s: FormStrings): TemplateResult {
    const name = STEPS[this.step] ?? 'review';
    const last = this.step === STEPS.length - 1;
    const errorList = this.errors.map((error) => error.code).filter((code, i, all) => all.indexOf(code) === i);
    const nextLabel = this.step === 0 ? s.start : this.#returnToReview ? s.backToReview : s.next;
    return html`${
      this.step === 0
        ? nothing
        : html`<p class="progress" part="progress">${formatString(s.stepOf, { step: this.step, total: STEPS.length - 1 })}</p>`
    }
      <h2 tabindex="-1" part="heading">${s.headings[name]}</h2>
      ${
        errorList.length === 0
          ? nothing
          : html`<div class="error-summary" part="error-summary" role="alert">
            <p>${s.errorSummary}</p>
            <ul>${errorList.map((code: FieldErrorCode) => html`<li>${s.errors[code]}</li>`)}</ul>
          </div>`
      }
      ${STEP_TEMPLATES[name](this.#context(s))}
      ${this.submitError === undefined ? nothing : html`<p class="error" part="error">${s[this.submitError]}</p>`}
      <div class="nav">
        ${
          this.step === 0
            ? nothing
            : html`<button type="button" part="button" class="secondary" ?disabled=${this.sending} @click=${() => this.#go(this.step - 1)}>
              ${s.back}
            </button>`
        }
        ${
          last
            ? html`<button type="button" part="button primary-button" class="primary" ?disabled=${this.sending} @click=${() => void this.#submit()}>
              ${this.sending ? s.submitting : s.submit}
            </button>`
            : html`<button type="button" part="button primary-button" class="primary" @click=${() => this.#next()}>${nextLabel}</button>`
        }
      </div>`;
  }

  protected override render(): TemplateResult {
    const s = this.#strings;
    // Field errors are announced by the error summary (role=alert); this region says the rest.
    const status = this.sending ? s.submitting : this.submitError === undefined ? '' : s[this.submitError];
    return html`<div class="form" part="form" role="region" aria-label=${s.formLabel}>
      <div class="header" part="header">
        <tz-quick-exit
          part="quick-exit"
          exportparts="button: quick-exit-button"
          exit-url=${this.exitUrl}
          .label=${s.quickExit}
          @tz-quick-exit=${() => this.reset()}
        ></tz-quick-exit>
      </div>
      <div class="visually-hidden" role="status" aria-live="polite" part="status">${status}</div>
      ${this.#renderNotices(s)}
      ${this.outcome === undefined ? this.#renderStep(s) : this.#renderOutcome(s, this.outcome)}
    </div>`;
  }
}

if (customElements.get('tz-report-form') === undefined) customElements.define('tz-report-form', TzReportForm);

declare global {
  interface HTMLElementTagNameMap {
    'tz-report-form': TzReportForm;
  }
}
