import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium: browsers cannot be downloaded on the machines the suites run on. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * The flags every browser test starts Chromium with: headless, as root, and with none of the
 * background connections a closed network refuses.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * True when the browser tests of `suite` must skip: Chromium is missing and this is not CI (under CI
 * they run, and fail at launch, so a missing browser is never a silent pass). Says so once.
 */
export function skipWithoutChromium(suite: string): boolean {
  const skip = !existsSync(CHROMIUM) && process.env['CI'] === undefined;
  if (skip)
    console.warn(`[${suite}] ${CHROMIUM} is missing: its browser tests are SKIPPED (apt-get install -y chromium). Under CI they fail.`);
  return skip;
}

/** Starts Debian's Chromium with {@link CHROMIUM_ARGS}. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
}
