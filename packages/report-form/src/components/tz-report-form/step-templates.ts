import {
  adminAreaName,
  AGE_BANDS,
  districtsOf,
  findAdminArea,
  FIRST_SEEN,
  GENDERS,
  PLACE_TYPES,
  provincesOf,
  REPORT_CATEGORIES,
  REPORTER_MODES,
  REPORTER_RELATIONSHIPS,
  VICTIM_INDICATORS,
  type AdminAreaLanguage,
  type AdminAreaSet,
} from '@tahaffuz/referral-contract';
import { html, nothing, type TemplateResult } from 'lit';
import { localize, telHref, type EmergencyNumber } from '../../config/emergency-numbers.js';
import { mayIncludeChild } from '../../model/child-age.js';
import type { StepName } from '../../model/steps.js';
import { checkboxGroup, optionsOf, radioGroup, selectField, textField, type FieldContext } from './fields.js';
import { LONG_TEXT_MAX, SHORT_TEXT_MAX } from '../../model/validate-step.js';

/** What the step templates need besides the fields. */
export interface StepContext extends FieldContext {
  readonly lang: string;
  readonly adminAreas: AdminAreaSet;
  readonly emergencyNumbers: readonly EmergencyNumber[];
  readonly childAgeThreshold: number;
  /** Goes to a step from the review, to change an answer. */
  edit(step: StepName): void;
}

function areaName(ctx: StepContext, code: string): string {
  const area = findAdminArea(ctx.adminAreas, code);
  if (area === undefined) return code;
  const lang = ctx.lang in area.name ? (ctx.lang as AdminAreaLanguage) : 'en';
  return adminAreaName(area, lang);
}

/** The emergency numbers as a list of `tel:` links. */
function emergencyList(ctx: Pick<StepContext, 'emergencyNumbers' | 'lang'>): TemplateResult {
  return html`<ul class="numbers" part="emergency-numbers">
    ${ctx.emergencyNumbers.map((entry) => {
      const href = telHref(entry.number);
      const number = html`<bdi class="number" dir="ltr">${entry.number}</bdi>`;
      return html`<li>
        <span>${localize(entry.label, ctx.lang)}</span>
        ${href === undefined ? number : html`<a href=${href} part="emergency-number">${number}</a>`}
      </li>`;
    })}
  </ul>`;
}

function safety(ctx: StepContext): TemplateResult {
  const s = ctx.strings;
  return html`<p>${s.quickExitExplain}</p>
    <section class="notice urgent" part="notice" aria-label=${s.emergencyNumbersLabel}>
      <p>${s.emergencyIntro}</p>
      ${emergencyList(ctx)}
      <slot></slot>
    </section>
    <p class="strong">${s.doNotConfront}</p>
    <p>${s.whatHappens}</p>`;
}

function what(ctx: StepContext): TemplateResult {
  const s = ctx.strings;
  return html`${checkboxGroup(ctx, 'categories', s.categoriesLegend, optionsOf(REPORT_CATEGORIES, s.categories), true)}
    ${radioGroup(
      ctx,
      'happening_now',
      s.happeningNowLegend,
      [
        ['yes', s.yes],
        ['no', s.no],
      ],
      true,
    )}
    ${
      ctx.draft.happening_now === 'yes'
        ? html`<div class="notice urgent" part="notice" role="note"><p>${s.happeningNowNotice}</p>${emergencyList(ctx)}</div>`
        : nothing
    }
    ${textField(ctx, 'narrative', s.narrativeLabel, { hint: s.narrativeHint, multiline: true, maxlength: LONG_TEXT_MAX })}`;
}

function where(ctx: StepContext): TemplateResult {
  const s = ctx.strings;
  const country = ctx.adminAreas.country;
  const provinces: Array<readonly [string, string]> = provincesOf(ctx.adminAreas).map((area) => [area.code, areaName(ctx, area.code)]);
  provinces.push([country, s.notSure]);
  const chosen = ctx.draft.province;
  const districts =
    chosen === '' || chosen === country
      ? []
      : districtsOf(ctx.adminAreas, chosen).map((area) => [area.code, areaName(ctx, area.code)] as const);
  return html`${selectField(ctx, 'province', s.provinceLabel, provinces, { required: true })}
    ${selectField(ctx, 'district', s.districtLabel, districts, { disabled: districts.length === 0, placeholder: s.notSure })}
    ${selectField(ctx, 'place_type', s.placeTypeLabel, optionsOf(PLACE_TYPES, s.placeTypes))}
    ${textField(ctx, 'landmark', s.landmarkLabel, { hint: s.landmarkHint, maxlength: SHORT_TEXT_MAX })}`;
}

function when(ctx: StepContext): TemplateResult {
  const s = ctx.strings;
  return html`${radioGroup(ctx, 'first_seen', s.firstSeenLegend, optionsOf(FIRST_SEEN, s.firstSeen))}
    ${radioGroup(ctx, 'ongoing', s.ongoingLegend, [
      ['yes', s.yes],
      ['no', s.no],
      ['not_sure', s.notSure],
    ])}`;
}

function who(ctx: StepContext): TemplateResult {
  const s = ctx.strings;
  return html`${textField(ctx, 'victim_count', s.countLabel, { hint: s.countHint, inputmode: 'numeric', maxlength: 6 })}
    ${selectField(ctx, 'age_band', s.ageBandLabel, optionsOf(AGE_BANDS, s.ageBands))}
    ${
      mayIncludeChild(ctx.draft.age_band, ctx.childAgeThreshold)
        ? html`<div class="notice urgent" part="notice child-notice" role="note"><p>${s.childNotice}</p>${emergencyList(ctx)}</div>`
        : nothing
    }
    ${checkboxGroup(ctx, 'genders', s.gendersLegend, optionsOf(GENDERS, s.genders))}
    ${checkboxGroup(ctx, 'indicators', s.indicatorsLegend, optionsOf(VICTIM_INDICATORS, s.indicators))}`;
}

function suspects(ctx: StepContext): TemplateResult {
  const s = ctx.strings;
  return html`<p>${s.optionalStep}</p>
    ${textField(ctx, 'suspects', s.suspectsLabel, { hint: s.suspectsHint, multiline: true, maxlength: LONG_TEXT_MAX })}`;
}

function aboutYou(ctx: StepContext): TemplateResult {
  const s = ctx.strings;
  const modes = optionsOf(REPORTER_MODES, s.modes);
  return html`${radioGroup(ctx, 'mode', s.modeLegend, modes, true, s.modeHints)}
    ${
      ctx.draft.mode === 'anonymous'
        ? nothing
        : html`<p class="hint">${s.contactHint}</p>
          ${textField(ctx, 'name', s.nameLabel, { autocomplete: 'name', maxlength: SHORT_TEXT_MAX })}
          ${textField(ctx, 'phone', s.phoneLabel, { type: 'tel', inputmode: 'tel', autocomplete: 'tel', maxlength: 26 })}
          ${textField(ctx, 'email', s.emailLabel, { type: 'email', inputmode: 'email', autocomplete: 'email', maxlength: 254 })}
          ${radioGroup(
            ctx,
            'safe_to_contact',
            s.safeToContactLegend,
            [
              ['yes', s.yes],
              ['no', s.no],
            ],
            true,
          )}
          ${textField(ctx, 'safe_times', s.safeTimesLabel, { maxlength: SHORT_TEXT_MAX })}
          ${selectField(ctx, 'relationship', s.relationshipLabel, optionsOf(REPORTER_RELATIONSHIPS, s.relationships))}`
    }`;
}

function answer(ctx: StepContext, value: string | readonly string[]): TemplateResult {
  const text = typeof value === 'string' ? value : value.join('، ');
  return text.trim() === '' ? html`<dd class="unanswered">${ctx.strings.notAnswered}</dd>` : html`<dd dir="auto">${text}</dd>`;
}

function review(ctx: StepContext): TemplateResult {
  const s = ctx.strings;
  const d = ctx.draft;
  const separator = ctx.lang === 'ur' ? '، ' : ', ';
  const list = (values: readonly string[]) => values.join(separator);
  const yesNo = (value: string) => (value === 'yes' ? s.yes : value === 'no' ? s.no : value === 'not_sure' ? s.notSure : '');
  const section = (step: StepName, rows: ReadonlyArray<readonly [string, string | readonly string[]]>) =>
    html`<section class="review-section" part="review-section">
      <h3>${s.headings[step]}</h3>
      <dl>${rows.map(([label, value]) => html`<dt>${label}</dt>${answer(ctx, value)}`)}</dl>
      <button type="button" part="button" class="secondary" @click=${() => ctx.edit(step)}>
        ${s.change}<span class="visually-hidden">: ${s.headings[step]}</span>
      </button>
    </section>`;
  const province = d.province === '' ? '' : d.province === ctx.adminAreas.country ? s.notSure : areaName(ctx, d.province);
  return html`<p>${s.reviewIntro}</p>
    ${section('what', [
      [s.categoriesLegend, list(d.categories.map((c) => s.categories[c]))],
      [s.happeningNowLegend, yesNo(d.happening_now)],
      [s.narrativeLabel, d.narrative],
    ])}
    ${section('where', [
      [s.provinceLabel, province],
      [s.districtLabel, d.district === '' ? '' : areaName(ctx, d.district)],
      [s.placeTypeLabel, d.place_type === '' ? '' : s.placeTypes[d.place_type]],
      [s.landmarkLabel, d.landmark],
    ])}
    ${section('when', [
      [s.firstSeenLegend, d.first_seen === '' ? '' : s.firstSeen[d.first_seen]],
      [s.ongoingLegend, yesNo(d.ongoing)],
    ])}
    ${section('who', [
      [s.countLabel, d.victim_count],
      [s.ageBandLabel, d.age_band === '' ? '' : s.ageBands[d.age_band]],
      [s.gendersLegend, list(d.genders.map((g) => s.genders[g]))],
      [s.indicatorsLegend, list(d.indicators.map((i) => s.indicators[i]))],
    ])}
    ${section('suspects', [[s.suspectsLabel, d.suspects]])}
    ${section(
      'about_you',
      d.mode === 'anonymous'
        ? [[s.modeLegend, s.modes.anonymous]]
        : [
            [s.modeLegend, s.modes[d.mode]],
            [s.nameLabel, d.name],
            [s.phoneLabel, d.phone],
            [s.emailLabel, d.email],
            [s.safeToContactLegend, yesNo(d.safe_to_contact)],
            [s.safeTimesLabel, d.safe_times],
            [s.relationshipLabel, d.relationship === '' ? '' : s.relationships[d.relationship]],
          ],
    )}`;
}

/** The fields of one step. */
export const STEP_TEMPLATES: Readonly<Record<StepName, (ctx: StepContext) => TemplateResult>> = {
  safety,
  what,
  where,
  when,
  who,
  suspects,
  about_you: aboutYou,
  review,
};
