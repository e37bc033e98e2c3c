import { css } from 'lit';

export const quickExitStyles = css`
  :host {
    display: block;
  }
  button {
    font: inherit;
    font-weight: 700;
    min-block-size: 44px;
    min-inline-size: 44px;
    padding: 0.5em 1.25em;
    border: 2px solid transparent;
    border-radius: var(--tz-radius, 6px);
    background: var(--tz-quick-exit-background, #b3261e);
    color: var(--tz-quick-exit-color, #fff);
    cursor: pointer;
  }
  button:focus-visible {
    outline: 3px solid var(--tz-focus-ring, #1a4fd6);
    outline-offset: 2px;
  }
`;
