import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createReferralClient } from '@tahaffuz/referral-client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, launchChromium, skipWithoutChromium } from '@tahaffuz/test-kit';
import { choose, focused, pick, press, tick, type } from './support/keyboard.js';
import { startApi, startPageServer, type Api, type PageServer } from './support/servers.js';

/*
 * The built script-tag file in real Chromium, on a loopback page under the strict CSP of DESIGN.md,
 * against the reference server (another origin) on a SQLite file. Everything is done by keyboard.
 * Without Chromium the tests skip with the reason; under CI they fail.
 */

const skip = skipWithoutChromium('report-form');

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
let browser: Browser;
let pages: PageServer;
let api: Api;

beforeAll(async () => {
  if (skip) return;
  const script = await ensureBuilt(packageDir, 'dist/tahaffuz-report-form.js', '@tahaffuz/report-form');
  pages = await startPageServer(script);
  api = await startApi(pages.origin);
  pages.api = { url: api.url, key: api.keys.publishableKey };
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await api?.dispose();
  await pages?.close();
});

interface Session {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Every URL the page requested. */
  readonly requests: string[];
}

async function open(lang = 'en', query = ''): Promise<Session> {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(`${pages.origin}/form.html?lang=${lang}${query}`);
  await page.waitForFunction(() => document.querySelector('tz-report-form')?.shadowRoot?.querySelector('h2') != null);
  return { context: ctx, page, requests };
}

/** The text of the form's current heading. */
const heading = (page: Page) =>
  page.evaluate(() => document.querySelector('tz-report-form')!.shadowRoot!.querySelector('h2')!.textContent!.trim());

/** All text the form shows. */
const shownText = (page: Page) =>
  page.evaluate(() => (document.querySelector('tz-report-form')!.shadowRoot!.querySelector('.form') as HTMLElement).textContent);

const events = (page: Page) => page.evaluate(() => (window as unknown as { __events: Array<Record<string, unknown>> }).__events);
const violations = (page: Page) => page.evaluate(() => (window as unknown as { __violations: unknown[] }).__violations);

async function waitHeading(page: Page, text: string): Promise<void> {
  await page.waitForFunction(
    (expected) => document.querySelector('tz-report-form')?.shadowRoot?.querySelector('h2')?.textContent?.trim() === expected,
    text,
    { timeout: 60_000 },
  );
}

/** Steps 0-7 with a short anonymous report, by keyboard; ends on the review step. */
async function fillShortReport(page: Page, marker: string): Promise<void> {
  await press(page, 'Start the report');
  await tick(page, 'categories', 'not_sure');
  await choose(page, 'happening_now', 'no');
  await type(page, 'textarea#narrative', `narrative ${marker}`);
  await press(page, 'Next');
  await pick(page, 'province', 'PK-PB');
  await type(page, 'input#landmark', `landmark ${marker}`);
  for (const step of ['When did you see it?', 'Who is affected?', 'Who is responsible?', 'About you']) {
    await press(page, 'Next');
    await waitHeading(page, step);
  }
  await press(page, 'Next');
  await waitHeading(page, 'Check and send your report');
}

/** The raw contents of the form's IndexedDB database, as a script of the page could read them. */
async function rawQueue(page: Page): Promise<{ records: Array<Record<string, unknown>>; bytes: string[]; keyExtractable: boolean[] }> {
  return page.evaluate(async () => {
    const databases = await indexedDB.databases();
    if (!databases.some((db) => db.name === 'tahaffuz-report-form')) return { records: [], bytes: [], keyExtractable: [] };
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('tahaffuz-report-form');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const all = <T>(store: string) =>
      new Promise<T[]>((resolve, reject) => {
        const request = db.transaction(store).objectStore(store).getAll();
        request.onsuccess = () => resolve(request.result as T[]);
        request.onerror = () => reject(request.error);
      });
    const records = await all<Record<string, unknown>>('outbox');
    const keys = await all<CryptoKey>('keys');
    db.close();
    const decoder = new TextDecoder('utf-8', { fatal: false });
    const bytes = records.flatMap((record) =>
      Object.values(record)
        .filter((value): value is ArrayBuffer | Uint8Array => value instanceof ArrayBuffer || value instanceof Uint8Array)
        .map((value) => {
          const view = value instanceof Uint8Array ? value : new Uint8Array(value);
          return decoder.decode(view) + Array.from(view, (b) => String.fromCharCode(b)).join('');
        }),
    );
    const plain = records.map((record) =>
      Object.fromEntries(
        Object.entries(record).map(([k, v]) => [k, v instanceof ArrayBuffer || v instanceof Uint8Array ? `<${v.byteLength} bytes>` : v]),
      ),
    );
    return { records: plain, bytes, keyExtractable: keys.map((key) => key.extractable) };
  });
}

const intake = () => createReferralClient({ baseUrl: api.url, apiKey: api.keys.secretKeys.intake });

/** The ids of every report from Punjab the server holds, read with the Punjab intake key. */
async function storedIds(): Promise<string[]> {
  const ids: string[] = [];
  for await (const report of intake().reports.list({})) ids.push(report.id);
  return ids;
}

describe.skipIf(skip)('<tz-report-form> in Chromium under the strict CSP', () => {
  it('is completed by keyboard alone, in English, and the report arrives at the intake organisation', async () => {
    const { context, page, requests } = await open('en');
    try {
      // Quick exit is the first stop of the tab order.
      await page.keyboard.press('Tab');
      expect(await focused(page)).toBe('button:Quick exit');
      expect(await heading(page)).toBe('Before you start: your safety');
      const safety = await shownText(page);
      expect(safety).toContain('111-247-786');
      expect(safety).toContain('Do not confront anyone');
      // The page's own light-DOM content is slotted into the safety screen.
      expect(await page.isVisible('#fallback')).toBe(true);
      expect(
        await page.evaluate(
          () => document.querySelector('#fallback')!.assignedSlot?.getRootNode() === document.querySelector('tz-report-form')!.shadowRoot,
        ),
      ).toBe(true);

      await press(page, 'Start the report');
      await waitHeading(page, 'What is happening?');
      expect(await focused(page)).toBe('h2'); // focus moves to each step's heading

      // Next without answers: the errors are announced and focus goes to the first wrong field.
      await press(page, 'Next');
      await page.waitForFunction(() => document.querySelector('tz-report-form')!.shadowRoot!.querySelector('[role="alert"]') !== null);
      expect(
        await page.evaluate(() => document.querySelector('tz-report-form')!.shadowRoot!.querySelector('[role="alert"]')!.textContent),
      ).toContain('Choose at least one');
      expect(await focused(page)).toBe('checkbox:categories=child_trafficking');

      await tick(page, 'categories', 'bonded_labour');
      await tick(page, 'categories', 'child_labour');
      await choose(page, 'happening_now', 'yes');
      expect(await shownText(page)).toContain('If someone is in danger now, call now:');
      await type(page, 'textarea#narrative', 'Children carry bricks from dawn; the owner holds their families in debt.');
      await press(page, 'Next');
      await waitHeading(page, 'Where is it happening?');

      await pick(page, 'province', 'PK-PB');
      await pick(page, 'district', 'PK-PB-KSR');
      await pick(page, 'place_type', 'brick_kiln');
      await type(page, 'input#landmark', 'near the canal bridge');
      await press(page, 'Next');
      await waitHeading(page, 'When did you see it?');

      await choose(page, 'first_seen', 'past_week');
      await choose(page, 'ongoing', 'yes');
      await press(page, 'Next');
      await waitHeading(page, 'Who is affected?');

      // WCAG 2.2 target size: every control of the busiest screen is at least 24 x 24 px.
      const small = await page.evaluate(() => {
        const form = document.querySelector('tz-report-form')!;
        const roots = [form.shadowRoot!, form.shadowRoot!.querySelector('tz-quick-exit')!.shadowRoot!];
        const controls = roots.flatMap((root) => [...root.querySelectorAll<HTMLElement>('button, input, select, textarea, a[href]')]);
        return {
          count: controls.length,
          small: controls
            .filter((element) => {
              const box = element.getBoundingClientRect();
              return box.width < 24 || box.height < 24;
            })
            .map((element) => element.outerHTML.slice(0, 60)),
        };
      });
      expect(small.count).toBeGreaterThanOrEqual(20);
      expect(small.small).toEqual([]);

      await type(page, 'input#victim_count', '6');
      await pick(page, 'age_band', '12_to_14');
      expect(await shownText(page)).toContain('Children are involved');
      await tick(page, 'indicators', 'debt');
      await tick(page, 'indicators', 'cannot_leave');
      await press(page, 'Next');
      await waitHeading(page, 'Who is responsible?');

      await type(page, 'textarea#suspects', 'The kiln owner and his munshi.');
      await press(page, 'Next');
      await waitHeading(page, 'About you');

      await choose(page, 'mode', 'confidential');
      await type(page, 'input#name', 'Reporter Person');
      await type(page, 'input#phone', '0300 1234567');
      await choose(page, 'safe_to_contact', 'yes');
      await press(page, 'Next');
      await waitHeading(page, 'Check and send your report');

      const review = await shownText(page);
      expect(review).toContain('near the canal bridge');
      expect(review).toContain('Kasur');
      expect(review).toContain('Reporter Person');

      await press(page, 'Send report');
      await waitHeading(page, 'Your report has been received');
      const reference = await page.evaluate(() =>
        document.querySelector('tz-report-form')!.shadowRoot!.querySelector('.reference')!.textContent!.trim(),
      );
      expect(reference).toMatch(/^TZ-[0-9A-Z]{4}-[0-9A-Z]{4}$/);

      const submitted = (await events(page)).filter((event) => event.type === 'tz-submitted');
      expect(submitted).toHaveLength(1);
      expect(submitted[0]).toMatchObject({ reference, fromQueue: false });
      const reportId = submitted[0]!['reportId'] as string;

      // The intake organisation of Punjab reads what was typed.
      const report = await intake().reports.get(reportId);
      expect(report.reference).toBe(reference);
      expect(report.categories).toEqual(['bonded_labour', 'child_labour']);
      expect(report.happening_now).toBe(true);
      expect(report.location).toEqual({ admin_area: 'PK-PB-KSR', place_type: 'brick_kiln', landmark: 'near the canal bridge' });
      expect(report.when).toEqual({ first_seen: 'past_week', ongoing: true });
      expect(report.victims).toEqual({ count: 6, age_band: '12_to_14', indicators: ['debt', 'cannot_leave'] });
      expect(report.suspects).toEqual({ description: 'The kiln owner and his munshi.' });
      expect(report.narrative).toBe('Children carry bricks from dawn; the owner holds their families in debt.');
      expect(report.reporter).toEqual({
        mode: 'confidential',
        contact: { name: 'Reporter Person', phone: '0300 1234567', safe_to_contact: true, preferred_language: 'en' },
      });
      expect(report.locale).toBe('en');
      expect(report.channel).toBe('web_form');

      // Events carry ids and codes only; nothing typed.
      const eventText = JSON.stringify(await events(page));
      for (const typed of ['canal', 'Reporter', '0300', 'bricks', 'munshi']) expect(eventText).not.toContain(typed);
      expect((await events(page)).filter((event) => event.type === 'tz-step-change').map((event) => event['step'])).toEqual([
        1, 2, 3, 4, 5, 6, 7, 8,
      ]);

      // No CSP violation, and no request to any origin but the page's and the API's.
      expect(await violations(page)).toEqual([]);
      const origins = new Set(requests.map((url) => new URL(url).origin));
      expect([...origins].sort()).toEqual([pages.origin, new URL(api.url).origin].sort());
      // Nothing of the report was stored on the device.
      expect((await rawQueue(page)).records).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('renders Urdu right to left, with the direction set on the element and a Nastaliq-friendly line height', async () => {
    const { context, page } = await open('ur');
    try {
      const layout = await page.evaluate(() => {
        const form = document.querySelector('tz-report-form')!;
        const style = getComputedStyle(form);
        return {
          dir: form.getAttribute('dir'),
          direction: style.direction,
          lineHeightRatio: parseFloat(style.lineHeight) / parseFloat(style.fontSize),
        };
      });
      expect(layout).toEqual({ dir: 'rtl', direction: 'rtl', lineHeightRatio: expect.any(Number) });
      expect(layout.lineHeightRatio).toBeGreaterThanOrEqual(2);
      expect(await heading(page)).toBe('شروع کرنے سے پہلے: آپ کی حفاظت');
      await press(page, 'رپورٹ شروع کریں');
      await waitHeading(page, 'کیا ہو رہا ہے؟');
      await tick(page, 'categories', 'child_trafficking');
      await choose(page, 'happening_now', 'no');
      await press(page, 'آگے');
      await waitHeading(page, 'یہ کہاں ہو رہا ہے؟');
      await pick(page, 'province', 'PK-SD');
      const text = await shownText(page);
      expect(text).toContain('سندھ'); // province names from the bundled list, in Urdu
      expect(text).toContain('7 میں سے مرحلہ 2'); // "step 2 of 7"

      // Any string can be replaced, in the language in use.
      await page.evaluate(() => {
        document.querySelector('tz-report-form')!.strings = { headings: { where: 'کہاں؟' }, next: 'اگلا' };
      });
      await waitHeading(page, 'کہاں؟');
      expect(await shownText(page)).toContain('اگلا');
      expect(await violations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('shows its Urdu intact on a page in another charset, from a server that names none', async () => {
    const { context, page } = await open('ur', '&legacy');
    try {
      expect(await page.evaluate(() => document.characterSet)).toBe('windows-1256');
      expect(await heading(page)).toBe('شروع کرنے سے پہلے: آپ کی حفاظت');
      await press(page, 'رپورٹ شروع کریں');
      await waitHeading(page, 'کیا ہو رہا ہے؟');
    } finally {
      await context.close();
    }
  });

  it('quick exit: one Escape does nothing; Escape twice while typing replaces the page', async () => {
    const { context, page } = await open('en');
    try {
      await press(page, 'Start the report');
      await type(page, 'textarea#narrative', 'half a sent');
      const historyLength = await page.evaluate(() => history.length);
      await page.keyboard.press('Escape');
      await page.keyboard.type('ence'); // one Escape alone does nothing: typing goes on
      await page.waitForTimeout(300);
      expect(page.url()).toContain('/form.html');
      expect(await page.evaluate(() => document.querySelector('tz-report-form')!.shadowRoot!.querySelector('textarea')!.value)).toBe(
        'half a sentence',
      );
      await Promise.all([
        page.waitForURL('**/exit.html'),
        (async () => {
          await page.keyboard.press('Escape');
          await page.keyboard.press('Escape');
        })(),
      ]);
      expect(await page.textContent('#exited')).toBe('Weather');
      // The page was replaced, not pushed: there is nothing to go back to.
      expect(await page.evaluate(() => history.length)).toBe(historyLength);
    } finally {
      await context.close();
    }
  });

  it('shows its light-DOM content when JavaScript cannot run', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(`${pages.origin}/form.html`);
      expect(await page.isVisible('#fallback')).toBe(true);
      expect(await page.textContent('#fallback')).toContain('1121');
    } finally {
      await context.close();
    }
  });

  it('offline: with the API down the report is queued encrypted, and sent once on the next page load', async () => {
    const { context, page } = await open('en');
    const before = await storedIds();
    const marker = `M${Date.now()}`;
    try {
      await fillShortReport(page, marker);
      await api.stop();
      await press(page, 'Send report');
      await waitHeading(page, 'Saved on this device — it will be sent');
      const queued = (await events(page)).filter((event) => event.type === 'tz-queued');
      expect(queued).toHaveLength(1);
      const reportId = queued[0]!['reportId'] as string;

      const raw = await rawQueue(page);
      expect(raw.records).toHaveLength(1);
      expect(Object.keys(raw.records[0]!).sort()).toEqual(['attempts', 'created_at', 'data', 'id', 'iv', 'next_attempt_at']);
      expect(raw.records[0]!['id']).toBe(reportId);
      expect(raw.keyExtractable).toEqual([false]);
      const everything = JSON.stringify(raw.records) + raw.bytes.join('');
      for (const plain of [marker, 'narrative', 'landmark', 'not_sure', 'PK-PB', api.url, 'anonymous'])
        expect(everything).not.toContain(plain);

      await api.restart();
      await page.reload();
      await page.waitForFunction(
        () => (window as unknown as { __events: Array<{ type: string }> }).__events.some((event) => event.type === 'tz-submitted'),
        undefined,
        { timeout: 60_000 },
      );
      const submitted = (await events(page)).filter((event) => event.type === 'tz-submitted');
      expect(submitted).toEqual([expect.objectContaining({ reportId, fromQueue: true })]);
      await page.waitForFunction(() =>
        document.querySelector('tz-report-form')!.shadowRoot!.textContent!.includes('A report saved on this device has been sent'),
      );
      expect((await rawQueue(page)).records).toEqual([]);

      // Exactly one new report, the queued one, with what was typed.
      const after = await storedIds();
      expect(after.filter((id) => !before.includes(id))).toEqual([reportId]);
      const report = await intake().reports.get(reportId);
      expect(report.narrative).toBe(`narrative ${marker}`);
      expect(report.location).toEqual({ admin_area: 'PK-PB', landmark: `landmark ${marker}` });
      expect(await violations(page)).toEqual([]);
    } finally {
      await api.restart();
      await context.close();
    }
  });

  it('offline: a report still unsent when its days are up is deleted, with a notice', async () => {
    const { context, page } = await open('en', '&offline-days=0');
    try {
      await fillShortReport(page, 'expiring');
      await context.setOffline(true);
      await press(page, 'Send report');
      // With no days to wait, the queue's next check (after a second) finds it expired.
      await waitHeading(page, 'The saved report was deleted');
      expect(await shownText(page)).toContain('could not be sent within 0 days and has been deleted');
      expect((await events(page)).filter((event) => event.type === 'tz-error').map((event) => event['code'])).toEqual(['expired']);
      expect((await rawQueue(page)).records).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('offline: a report queued while the browser is offline is sent on `online`; a deleted one never is', async () => {
    const { context, page } = await open('en');
    const before = await storedIds();
    try {
      await fillShortReport(page, 'A');
      await context.setOffline(true);
      await press(page, 'Send report');
      await waitHeading(page, 'Saved on this device — it will be sent');
      const reportId = (await events(page)).find((event) => event.type === 'tz-queued')!['reportId'] as string;
      await context.setOffline(false);
      // The queued screen turns into the receipt once the report is through.
      await waitHeading(page, 'Your report has been received');
      expect((await events(page)).filter((event) => event.type === 'tz-submitted')).toEqual([
        expect.objectContaining({ reportId, fromQueue: true }),
      ]);

      await press(page, 'Make another report');
      await fillShortReport(page, 'B');
      await context.setOffline(true);
      await press(page, 'Send report');
      await waitHeading(page, 'Saved on this device — it will be sent');
      await press(page, 'Delete the saved report');
      await waitHeading(page, 'The saved report was deleted');
      expect((await rawQueue(page)).records).toEqual([]);
      await context.setOffline(false);
      await page.waitForTimeout(500);

      const after = await storedIds();
      expect(after.filter((id) => !before.includes(id))).toEqual([reportId]);
    } finally {
      await context.close();
    }
  });

  it('a report the server refuses (400, invalid_params) is never sent again, and the reporter is told — from the review step and from the queue', async () => {
    const { context, page } = await open('en');
    const before = await storedIds();
    const refusals: string[] = [];
    // The server answers 400 as it does for a report that breaks the contract (a valid form cannot
    // build one, so the answer is put in front of the reference server; the preflight still goes to it).
    await context.route(`${api.url}/v1/reports`, async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      refusals.push(route.request().headers()['idempotency-key'] ?? '');
      return route.fulfill({
        status: 400,
        headers: {
          'content-type': 'application/problem+json',
          'access-control-allow-origin': pages.origin,
          'access-control-expose-headers': 'x-request-id',
          'x-request-id': 'req_refused',
        },
        body: JSON.stringify({
          type: 'https://tahaffuz.org/problems/validation',
          title: 'The request is not valid',
          status: 400,
          invalid_params: [{ name: 'categories', reason: 'unknown category' }],
        }),
      });
    });
    try {
      await fillShortReport(page, 'refused-now');
      await press(page, 'Send report');
      await page.waitForFunction(() =>
        document
          .querySelector('tz-report-form')!
          .shadowRoot!.textContent!.includes('The report was not accepted. Check your answers and try again.'),
      );
      expect(refusals).toHaveLength(1);
      expect(await heading(page)).toBe('Check and send your report');
      expect((await rawQueue(page)).records).toEqual([]);

      expect((await events(page)).filter((event) => event.type === 'tz-error')).toEqual([
        expect.objectContaining({ code: 'rejected', status: 400, requestId: 'req_refused' }),
      ]);

      await page.reload();
      await fillShortReport(page, 'refused-later');
      await context.setOffline(true);
      await press(page, 'Send report');
      await waitHeading(page, 'Saved on this device — it will be sent');
      const reportId = (await events(page)).find((event) => event.type === 'tz-queued')!['reportId'] as string;
      await context.setOffline(false);
      await page.waitForFunction(() =>
        document
          .querySelector('tz-report-form')!
          .shadowRoot!.textContent!.includes('A report saved on this device was refused by the server and has been deleted.'),
      );
      expect(refusals).toHaveLength(2);
      expect(refusals[1]).toBe(reportId);
      const errors = (await events(page)).filter((event) => event.type === 'tz-error');
      expect(errors).toEqual([expect.objectContaining({ code: 'rejected', reportId, status: 400, requestId: 'req_refused' })]);
      expect((await rawQueue(page)).records).toEqual([]);
      // Deleted, not rescheduled: nothing more is sent.
      await page.waitForTimeout(1_500);
      expect(refusals).toHaveLength(2);
      expect((await storedIds()).filter((id) => !before.includes(id))).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
