import { html, LitElement, type PropertyDeclarations } from 'lit';
import { QuickExitEvent } from '../../events/quick-exit-event.js';
import { quickExitStyles } from './tz-quick-exit.styles.js';

/** How close together two presses of Escape must be to leave, in milliseconds. */
export const ESCAPE_TWICE_WINDOW_MS = 2_000;

/** The page a quick exit goes to when none is configured: an ordinary search page. */
export const DEFAULT_EXIT_URL = 'https://www.google.com/';

/**
 * The page to go to: `url` resolved against `base` when it is an http(s) URL, else the default, so
 * that a quick exit never runs a `javascript:` or `data:` URL, whatever the attribute says.
 */
export function safeExitUrl(url: string, base: string): string {
  try {
    const resolved = new URL(url, base);
    return resolved.protocol === 'https:' || resolved.protocol === 'http:' ? resolved.href : DEFAULT_EXIT_URL;
  } catch {
    return DEFAULT_EXIT_URL;
  }
}

/** Whether a key event is Escape, in every keyboard layout and while an input method is composing. */
export function isEscape(event: KeyboardEvent): boolean {
  // `key` names the key, not a character, so it is the same in every layout; keyCode for old engines.
  return event.key === 'Escape' || event.key === 'Esc' || event.keyCode === 27;
}

/**
 * A button that leaves the page at once, and the same when Escape is pressed twice anywhere on the
 * page — also while typing in a field. The page is replaced (`location.replace`), so Back does not
 * return to it.
 *
 * @example
 * ```html
 * <tz-quick-exit exit-url="https://www.bbc.com/weather">Quick exit</tz-quick-exit>
 * ```
 * @fires tz-quick-exit - just before the page is replaced
 * @csspart button - the button
 * @cssprop --tz-quick-exit-background - the button's background (default a strong red)
 * @cssprop --tz-quick-exit-color - the button's text colour
 */
export class TzQuickExit extends LitElement {
  static override properties: PropertyDeclarations = {
    exitUrl: { attribute: 'exit-url' },
    label: {},
    noEscape: { type: Boolean, attribute: 'no-escape' },
  };

  static override styles = quickExitStyles;

  /** Where to go. Pick a page that looks ordinary on this device. */
  declare exitUrl: string;

  /** The button's text; the element's own text content when it has some. */
  declare label: string;

  /** Leave on Escape pressed twice. */
  declare noEscape: boolean;

  constructor() {
    super();
    this.exitUrl = DEFAULT_EXIT_URL;
    this.label = 'Quick exit';
    this.noEscape = false;
  }

  #lastEscape = Number.NEGATIVE_INFINITY;

  readonly #onKeydown = (event: KeyboardEvent): void => {
    if (this.noEscape || !isEscape(event)) return;
    const now = event.timeStamp;
    if (now - this.#lastEscape <= ESCAPE_TWICE_WINDOW_MS) {
      this.#lastEscape = Number.NEGATIVE_INFINITY;
      this.exit();
    } else {
      this.#lastEscape = now;
    }
  };

  override connectedCallback(): void {
    super.connectedCallback();
    // Capture on the window: no field, shadow root or handler that stops propagation comes first.
    window.addEventListener('keydown', this.#onKeydown, { capture: true });
  }

  override disconnectedCallback(): void {
    window.removeEventListener('keydown', this.#onKeydown, { capture: true });
    super.disconnectedCallback();
  }

  /** Leaves now: tells the page (`tz-quick-exit`), then replaces it with `exit-url`. */
  exit(): void {
    this.dispatchEvent(new QuickExitEvent());
    window.location.replace(safeExitUrl(this.exitUrl, window.location.href));
  }

  protected override render() {
    return html`<button type="button" part="button" @click=${() => this.exit()}><slot>${this.label}</slot></button>`;
  }
}

if (customElements.get('tz-quick-exit') === undefined) customElements.define('tz-quick-exit', TzQuickExit);

declare global {
  interface HTMLElementTagNameMap {
    'tz-quick-exit': TzQuickExit;
  }
}
