import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { DraftField, ReportDraft } from '../../model/draft.js';
import type { FieldErrorCode } from '../../model/validate-step.js';
import type { FormStrings } from '../../i18n/form-strings.js';

/** What the field templates need from the form. */
export interface FieldContext {
  readonly draft: ReportDraft;
  readonly strings: FormStrings;
  errorOf(field: DraftField): FieldErrorCode | undefined;
  set(field: DraftField, value: string): void;
  toggle(field: DraftField, value: string, on: boolean): void;
}

type Options = ReadonlyArray<readonly [value: string, label: string]>;

/** `[value, label]` pairs of an enum, labelled from one group of strings. */
export function optionsOf<T extends string>(values: readonly T[], labels: Readonly<Record<T, string>>): Options {
  return values.map((value) => [value, labels[value]] as const);
}

function marker(ctx: FieldContext, required: boolean): TemplateResult {
  return html` <span class="marker">(${required ? ctx.strings.required : ctx.strings.optional})</span>`;
}

function errorText(ctx: FieldContext, field: DraftField): TemplateResult | typeof nothing {
  const code = ctx.errorOf(field);
  return code === undefined ? nothing : html`<p class="error" id="${field}-error" part="error">${ctx.strings.errors[code]}</p>`;
}

function describedBy(ctx: FieldContext, field: DraftField, hint: string | undefined): string | undefined {
  const ids = [hint === undefined ? '' : `${field}-hint`, ctx.errorOf(field) === undefined ? '' : `${field}-error`].filter(Boolean);
  return ids.length === 0 ? undefined : ids.join(' ');
}

function hintText(field: DraftField, hint: string | undefined): TemplateResult | typeof nothing {
  return hint === undefined ? nothing : html`<p class="hint" id="${field}-hint">${hint}</p>`;
}

/** A group of checkboxes for a multi-choice field. */
export function checkboxGroup(ctx: FieldContext, field: DraftField, legend: string, options: Options, required = false): TemplateResult {
  const selected = ctx.draft[field] as readonly string[];
  const invalid = ctx.errorOf(field) !== undefined;
  return html`<fieldset part="fieldset" data-field=${field} aria-describedby=${ifDefined(describedBy(ctx, field, undefined))}>
    <legend part="legend">${legend}${marker(ctx, required)}</legend>
    ${errorText(ctx, field)}
    <div class="choices">
      ${options.map(
        ([value, label]) => html`<label class="choice" part="choice">
          <input
            type="checkbox"
            name=${field}
            .value=${value}
            .checked=${selected.includes(value)}
            aria-invalid=${invalid ? 'true' : 'false'}
            @change=${(event: Event) => ctx.toggle(field, value, (event.target as HTMLInputElement).checked)}
          /><span>${label}</span>
        </label>`,
      )}
    </div>
  </fieldset>`;
}

/** A group of radio buttons for a single-choice field. */
export function radioGroup(
  ctx: FieldContext,
  field: DraftField,
  legend: string,
  options: Options,
  required = false,
  hints?: Readonly<Record<string, string>>,
): TemplateResult {
  const current = ctx.draft[field] as string;
  const invalid = ctx.errorOf(field) !== undefined;
  return html`<fieldset part="fieldset" data-field=${field} aria-describedby=${ifDefined(describedBy(ctx, field, undefined))}>
    <legend part="legend">${legend}${marker(ctx, required)}</legend>
    ${errorText(ctx, field)}
    <div class="choices">
      ${options.map(([value, label]) => {
        const hint = hints?.[value];
        return html`<label class="choice" part="choice">
          <input
            type="radio"
            name=${field}
            .value=${value}
            .checked=${current === value}
            aria-invalid=${invalid ? 'true' : 'false'}
            aria-describedby=${ifDefined(hint === undefined ? undefined : `${field}-${value}-hint`)}
            @change=${() => ctx.set(field, value)}
          /><span
            >${label}${hint === undefined ? nothing : html`<span class="hint" id="${field}-${value}-hint">${hint}</span>`}</span
          >
        </label>`;
      })}
    </div>
  </fieldset>`;
}

/** A labelled drop-down list; the empty value is the "Choose…" line. */
export function selectField(
  ctx: FieldContext,
  field: DraftField,
  label: string,
  options: Options,
  settings: { required?: boolean; disabled?: boolean; placeholder?: string } = {},
): TemplateResult {
  const current = ctx.draft[field] as string;
  return html`<div class="field" data-field=${field}>
    <label for=${field} part="label">${label}${marker(ctx, settings.required ?? false)}</label>
    ${errorText(ctx, field)}
    <select
      id=${field}
      part="select"
      ?disabled=${settings.disabled ?? false}
      aria-invalid=${ctx.errorOf(field) === undefined ? 'false' : 'true'}
      aria-describedby=${ifDefined(describedBy(ctx, field, undefined))}
      @change=${(event: Event) => ctx.set(field, (event.target as HTMLSelectElement).value)}
    >
      <option value="" ?selected=${current === ''}>${settings.placeholder ?? ctx.strings.chooseOption}</option>
      ${options.map(([value, text]) => html`<option .value=${value} ?selected=${current === value}>${text}</option>`)}
    </select>
  </div>`;
}

/** A labelled text input or text area. */
export function textField(
  ctx: FieldContext,
  field: DraftField,
  label: string,
  settings: {
    hint?: string;
    multiline?: boolean;
    type?: 'text' | 'tel' | 'email';
    inputmode?: 'text' | 'tel' | 'email' | 'numeric';
    autocomplete?: string;
    maxlength?: number;
    required?: boolean;
  } = {},
): TemplateResult {
  const value = ctx.draft[field] as string;
  const invalid = ctx.errorOf(field) === undefined ? 'false' : 'true';
  const described = describedBy(ctx, field, settings.hint);
  const onInput = (event: Event) => ctx.set(field, (event.target as HTMLInputElement | HTMLTextAreaElement).value);
  return html`<div class="field" data-field=${field}>
    <label for=${field} part="label">${label}${marker(ctx, settings.required ?? false)}</label>
    ${hintText(field, settings.hint)} ${errorText(ctx, field)}
    ${
      settings.multiline === true
        ? html`<textarea
          id=${field}
          part="textarea"
          rows="5"
          dir="auto"
          maxlength=${ifDefined(settings.maxlength)}
          aria-invalid=${invalid}
          aria-describedby=${ifDefined(described)}
          .value=${value}
          @input=${onInput}
        ></textarea>`
        : html`<input
          id=${field}
          part="input"
          type=${settings.type ?? 'text'}
          dir="auto"
          inputmode=${ifDefined(settings.inputmode)}
          autocomplete=${settings.autocomplete ?? 'off'}
          maxlength=${ifDefined(settings.maxlength)}
          aria-invalid=${invalid}
          aria-describedby=${ifDefined(described)}
          .value=${value}
          @input=${onInput}
        />`
    }
  </div>`;
}
