import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createReferralClient } from '@tahaffuz/referral-client';
import { generateEncryptionKey, seedDemo, startReferralServer } from '@tahaffuz/referral-server';
import type { Page } from 'playwright-core';
import { launchChromium, skipWithoutChromium } from '@tahaffuz/test-kit';
import { expect, test } from 'vitest';
import { reportFormScriptPath, startPartnerSite } from '../src/index.js';

/*
 * The partner site as a visitor meets it: a static page on one loopback origin, the referral API on
 * another, the strict CSP enforced, the form loaded by one script tag with its SRI hash. A report is
 * made by keyboard and read back by the intake organisation. Without Chromium the test skips with
 * the reason; under CI it fails.
 */

const skip = skipWithoutChromium('partner-site example');

/** Describes the focused element through shadow roots: `button:Next`, `radio:mode=share`, `select#province`. */
const focused = (page: Page) =>
  page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    if (active instanceof HTMLInputElement && (active.type === 'checkbox' || active.type === 'radio'))
      return `${active.type}:${active.name}=${active.value}`;
    if (active instanceof HTMLButtonElement) return `button:${(active.textContent ?? '').trim().replace(/\s+/g, ' ')}`;
    return active && active.id !== '' ? `${active.tagName.toLowerCase()}#${active.id}` : (active?.tagName.toLowerCase() ?? '');
  });

async function tabTo(page: Page, target: string): Promise<void> {
  for (let i = 0; i < 80; i++) {
    if ((await focused(page)) === target) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${target}`);
}

const heading = (page: Page, text: string) =>
  page.waitForFunction(
    (expected) => document.querySelector('tz-report-form')?.shadowRoot?.querySelector('h2')?.textContent?.trim() === expected,
    text,
  );

test.skipIf(skip)('a visitor reports through the partner site; the API on another origin receives it; the CSP holds', async () => {
  if (!existsSync(reportFormScriptPath())) {
    await promisify(execFile)('pnpm', ['--filter', '@tahaffuz/report-form...', 'build'], { maxBuffer: 16 * 1024 * 1024 });
  }
  const dir = mkdtempSync(join(tmpdir(), 'tahaffuz-partner-site-'));
  const database = { sqlite: join(dir, 'api.db') };
  const api = await startReferralServer({
    database,
    port: 0,
    encryptionKey: generateEncryptionKey(),
    log: false,
    rateLimit: false,
    webhooks: false,
  });
  // Both servers listen on a port the system picks; the site reads its key per request, so the key
  // is made for the site's own origin once it listens.
  let publishableKey = '';
  const site = await startPartnerSite({
    apiBase: api.url,
    get publishableKey() {
      return publishableKey;
    },
    port: 0,
  });
  const keys = await seedDemo(api.database.db, { mode: 'test', origins: [site.url] });
  publishableKey = keys.publishableKey;
  expect(new URL(site.url).origin).not.toBe(new URL(api.url).origin);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    const origins = new Set<string>();
    page.on('request', (request) => origins.add(new URL(request.url()).origin));
    // Listens before any page script runs (init scripts are not subject to the page's CSP).
    await page.addInitScript(() => {
      (window as unknown as { violations: string[] }).violations = [];
      document.addEventListener('securitypolicyviolation', (event) =>
        (window as unknown as { violations: string[] }).violations.push(`${event.violatedDirective} ${event.blockedURI}`),
      );
    });
    const response = await page.goto(site.url);
    expect(response?.headers()['content-security-policy']).toContain("style-src 'self'");
    await heading(page, 'Before you start: your safety');

    await tabTo(page, 'button:Start the report');
    await page.keyboard.press('Enter');
    await heading(page, 'What is happening?');
    await tabTo(page, 'checkbox:categories=forced_begging');
    await page.keyboard.press('Space');
    await tabTo(page, 'radio:happening_now=yes');
    await page.keyboard.press('Space');
    await tabTo(page, 'button:Next');
    await page.keyboard.press('Enter');
    await heading(page, 'Where is it happening?');
    await tabTo(page, 'select#province');
    while ((await page.evaluate(() => document.querySelector('tz-report-form')!.shadowRoot!.querySelector('select')!.value)) !== 'PK-PB') {
      await page.keyboard.press('ArrowDown');
    }
    for (const next of ['When did you see it?', 'Who is affected?', 'Who is responsible?', 'About you', 'Check and send your report']) {
      await tabTo(page, 'button:Next');
      await page.keyboard.press('Enter');
      await heading(page, next);
    }
    await tabTo(page, 'button:Send report');
    await page.keyboard.press('Enter');
    await heading(page, 'Your report has been received');
    const reference = await page.evaluate(() =>
      document.querySelector('tz-report-form')!.shadowRoot!.querySelector('.reference')!.textContent!.trim(),
    );
    expect(reference).toMatch(/^TZ-[0-9A-Z]{4}-[0-9A-Z]{4}$/);

    const intake = createReferralClient({ baseUrl: api.url, apiKey: keys.secretKeys.intake });
    const { data } = await intake.reports.list({});
    expect(data.map((report) => [report.reference, report.categories, report.location.admin_area, report.reporter.mode])).toEqual([
      [reference, ['forced_begging'], 'PK-PB', 'anonymous'],
    ]);

    expect(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([]);
    expect(problems).toEqual([]);
    expect([...origins].sort()).toEqual([new URL(api.url).origin, new URL(site.url).origin].sort());
    // The partner's theme reaches into the form through its custom properties and parts.
    expect(
      await page.evaluate(() => getComputedStyle(document.querySelector('tz-report-form')!.shadowRoot!.querySelector('h2')!).color),
    ).toBe('rgb(91, 42, 134)');
  } finally {
    await browser.close();
    await site.close();
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
