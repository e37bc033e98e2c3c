import { css } from 'lit';

export const reportFormStyles = css`
  :host {
    display: block;
    box-sizing: border-box;
    max-inline-size: 44rem;
    font-family: var(--tz-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif);
    line-height: var(--tz-line-height, 1.5);
    color: var(--tz-color-text, #1b1b1f);
    background: var(--tz-color-background, #fff);
  }
  /* Nastaliq needs room above and below each line; a Naskh fallback reads better than a Latin font. */
  :host([dir='rtl']) {
    font-family: var(
      --tz-font-family-rtl,
      'Noto Nastaliq Urdu',
      'Jameel Noori Nastaleeq',
      'Urdu Typesetting',
      'Noto Naskh Arabic',
      'Segoe UI',
      system-ui,
      sans-serif
    );
    line-height: var(--tz-line-height-rtl, 2.2);
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  .form {
    padding: var(--tz-space, 1rem);
  }
  .header {
    position: sticky;
    inset-block-start: 0;
    z-index: 1;
    display: flex;
    justify-content: flex-end;
    padding-block: 0.5rem;
    background: var(--tz-color-background, #fff);
  }
  /* Focus scrolls what it lands on clear of the sticky header, not under it (WCAG 2.4.11): the
     header is the quick exit's 44 px (more with Urdu's line height) plus its padding. */
  h2,
  a[href],
  button,
  input,
  select,
  textarea {
    scroll-margin-block-start: 6rem;
  }
  h2 {
    font-size: 1.5em;
    line-height: inherit;
    margin-block: 0.5em;
  }
  h2:focus {
    outline: none;
  }
  h2:focus-visible {
    outline: 3px solid var(--tz-focus-ring, #1a4fd6);
  }
  h3 {
    font-size: 1.15em;
    margin-block: 0.5em 0.25em;
  }
  .progress {
    margin: 0;
    color: var(--tz-color-muted, #4a4a55);
  }
  fieldset {
    border: 1px solid var(--tz-color-border, #8a8a96);
    border-radius: var(--tz-radius, 6px);
    margin-block: 1rem;
    padding: 0.5rem 1rem 1rem;
  }
  legend,
  label {
    font-weight: 600;
  }
  .choices {
    display: grid;
    gap: 0.25rem;
  }
  .choice {
    display: flex;
    align-items: flex-start;
    gap: 0.6em;
    min-block-size: 44px;
    padding-block: 0.5em;
    font-weight: 400;
    cursor: pointer;
  }
  .choice input {
    flex: none;
    inline-size: 24px;
    block-size: 24px;
    margin: 0;
    accent-color: var(--tz-color-accent, #0b6e4f);
  }
  .choice .hint {
    display: block;
  }
  .field {
    display: grid;
    gap: 0.25rem;
    margin-block: 1rem;
  }
  input:not([type='checkbox']):not([type='radio']),
  select,
  textarea {
    font: inherit;
    line-height: inherit;
    min-block-size: 44px;
    inline-size: 100%;
    padding: 0.4em 0.6em;
    color: inherit;
    background: var(--tz-color-background, #fff);
    border: 1px solid var(--tz-color-border, #8a8a96);
    border-radius: var(--tz-radius, 6px);
  }
  [aria-invalid='true']:not([type='checkbox']):not([type='radio']) {
    border: 2px solid var(--tz-color-danger, #b3261e);
  }
  :focus-visible {
    outline: 3px solid var(--tz-focus-ring, #1a4fd6);
    outline-offset: 2px;
  }
  .marker,
  .hint {
    font-weight: 400;
    color: var(--tz-color-muted, #4a4a55);
  }
  .hint {
    margin: 0;
  }
  .error {
    margin: 0;
    font-weight: 600;
    color: var(--tz-color-danger, #b3261e);
  }
  .error-summary {
    border: 2px solid var(--tz-color-danger, #b3261e);
    border-radius: var(--tz-radius, 6px);
    padding: 0.5rem 1rem;
  }
  .notice {
    border-inline-start: 6px solid var(--tz-color-notice, #0b6e4f);
    background: var(--tz-color-notice-background, #eef6f2);
    padding: 0.5rem 1rem;
    margin-block: 1rem;
  }
  .notice.urgent {
    border-inline-start-color: var(--tz-color-danger, #b3261e);
    background: var(--tz-color-urgent-background, #fdf0ef);
  }
  .strong {
    font-weight: 700;
  }
  .numbers {
    list-style: none;
    padding: 0;
    margin: 0;
    display: grid;
    gap: 0.25rem;
  }
  .numbers li {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5em;
    align-items: center;
  }
  .numbers a {
    display: inline-flex;
    align-items: center;
    min-block-size: 44px;
    padding-inline: 0.25em;
    font-weight: 700;
    font-size: 1.25em;
    color: inherit;
  }
  .number {
    unicode-bidi: isolate;
  }
  .nav {
    display: flex;
    flex-wrap: wrap;
    gap: 0.75rem;
    margin-block: 1.5rem 0.5rem;
  }
  button {
    font: inherit;
    line-height: 1.3;
    min-block-size: 44px;
    min-inline-size: 44px;
    padding: 0.5em 1.25em;
    border-radius: var(--tz-radius, 6px);
    border: 2px solid var(--tz-color-accent, #0b6e4f);
    cursor: pointer;
  }
  button.primary {
    background: var(--tz-color-accent, #0b6e4f);
    color: var(--tz-color-accent-text, #fff);
  }
  button.secondary {
    background: transparent;
    color: var(--tz-color-accent, #0b6e4f);
  }
  button[disabled] {
    opacity: 0.6;
    cursor: default;
  }
  dl {
    display: grid;
    grid-template-columns: minmax(8rem, 1fr) 2fr;
    gap: 0.25rem 1rem;
    margin: 0 0 0.5rem;
  }
  dt {
    font-weight: 600;
  }
  dd {
    margin: 0;
    overflow-wrap: anywhere;
    white-space: pre-line;
  }
  .unanswered {
    color: var(--tz-color-muted, #4a4a55);
  }
  .review-section {
    border-block-end: 1px solid var(--tz-color-border, #8a8a96);
    padding-block-end: 0.75rem;
  }
  .reference {
    font-size: 2em;
    font-weight: 700;
    letter-spacing: 0.05em;
    margin-block: 0.25em;
  }
  .visually-hidden {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  @media (max-width: 30rem) {
    dl {
      grid-template-columns: 1fr;
    }
  }
`;
