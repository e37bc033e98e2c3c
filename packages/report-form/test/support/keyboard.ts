import type { Page } from 'playwright-core';

/**
 * Keyboard-only driving of a page: every helper moves focus with Tab and acts with Space, Enter,
 * arrow keys or typing, and reads the focused element (through shadow roots) to know where it is.
 */

/** A description of the focused element: `button:Next`, `checkbox:categories=debt`, `select#province`. */
export function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    if (active === null) return '';
    if (active instanceof HTMLInputElement && (active.type === 'checkbox' || active.type === 'radio')) {
      return `${active.type}:${active.name}=${active.value}`;
    }
    if (active instanceof HTMLButtonElement) return `button:${(active.textContent ?? '').trim().replace(/\s+/g, ' ')}`;
    if (active.id !== '') return `${active.tagName.toLowerCase()}#${active.id}`;
    return active.tagName.toLowerCase();
  });
}

/** Presses Tab (or Shift+Tab) until the focused element matches, at most `max` times. */
export async function tabTo(page: Page, target: string | RegExp, max = 80): Promise<void> {
  const matches = (description: string) => (typeof target === 'string' ? description === target : target.test(description));
  const seen: string[] = [];
  for (let i = 0; i <= max; i++) {
    const description = await focused(page);
    if (matches(description)) return;
    seen.push(description);
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${String(target)}; passed ${seen.slice(-20).join(' | ')}`);
}

/** Tabs to a checkbox and ticks it with Space. */
export async function tick(page: Page, name: string, value: string): Promise<void> {
  await tabTo(page, `checkbox:${name}=${value}`);
  await page.keyboard.press('Space');
}

/** Tabs into a radio group and selects a value with Space and the arrow keys. */
export async function choose(page: Page, name: string, value: string): Promise<void> {
  await tabTo(page, new RegExp(`^radio:${name}=`));
  if ((await focused(page)) === `radio:${name}=${value}`) {
    await page.keyboard.press('Space');
    return;
  }
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press('ArrowDown');
    if ((await focused(page)) === `radio:${name}=${value}`) return;
  }
  throw new Error(`radio ${name}=${value} not reached with the arrow keys`);
}

/** Tabs to a select and moves through its options with the arrow keys until `value` is chosen. */
export async function pick(page: Page, id: string, value: string): Promise<void> {
  await tabTo(page, `select#${id}`);
  const current = () =>
    page.evaluate(() => {
      let active = document.activeElement;
      while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
      return (active as HTMLSelectElement).value;
    });
  for (let i = 0; i < 250; i++) {
    if ((await current()) === value) return;
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`option ${value} of #${id} not reached with the arrow keys`);
}

/** Tabs to a text field and types into it. */
export async function type(page: Page, tagAndId: string, text: string): Promise<void> {
  await tabTo(page, tagAndId);
  await page.keyboard.type(text);
}

/** Tabs to a button by its text and presses Enter. */
export async function press(page: Page, text: string | RegExp): Promise<void> {
  await tabTo(page, typeof text === 'string' ? `button:${text}` : new RegExp(`^button:${text.source}`));
  await page.keyboard.press('Enter');
}
