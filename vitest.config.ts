import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * Workspace packages resolve to their sources in tests, as they do in the editor. Setting
 * conditions replaces Vite's defaults, so they are listed again after ours.
 */
const conditions = ['@tahaffuz/source', 'module', 'development|production'];
const serverConditions = ['@tahaffuz/source', 'module', 'node', 'development|production'];

/*
 * Each package's tests come in tiers, run as separate vitest projects named `<package>:<tier>`:
 * - `unit`: everything that needs no browser, no PostgreSQL and no killed or lossy processes;
 *   suites written with `describeEachBackend` run their SQLite half here (a real temporary file).
 *   `pnpm test:fast` runs this tier alone.
 * - `postgres`: the PostgreSQL half of the `describeEachBackend` suites.
 * - `system`: `*.system.test.ts` — processes killed mid-write, lossy networks, whole demos; both backends.
 * - `browser`: `*.browser.test.ts` — real Chromium.
 * `pnpm test` runs them all.
 */
const BROWSER = '**/*.browser.test.ts';
const SYSTEM = '**/*.system.test.ts';

function testFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...testFiles(path));
    else if (entry.name.endsWith('.test.ts') && !entry.name.endsWith('.browser.test.ts') && !entry.name.endsWith('.system.test.ts')) {
      out.push(path);
    }
  }
  return out;
}

/** The files of `dir` whose suites have a PostgreSQL half (relative to `dir`). */
function postgresSuites(dir: string): string[] {
  return testFiles(dir)
    .filter((file) => readFileSync(file, 'utf8').includes('describeEachBackend('))
    .map((file) => relative(dir, file));
}

interface Tier {
  tier: 'unit' | 'postgres' | 'system' | 'browser';
  include: string[];
  exclude?: string[];
  backends?: string;
}

function project(name: string, dir: string, tier: Tier, testTimeout: number) {
  return {
    resolve: { conditions },
    ssr: { resolve: { conditions: serverConditions, externalConditions: ['@tahaffuz/source'] } },
    test: {
      name: `${name}:${tier.tier}`,
      root: dir,
      include: tier.include,
      exclude: ['**/node_modules/**', '**/dist/**', ...(tier.exclude ?? [])],
      testTimeout,
      hookTimeout: 60_000,
      typecheck: { enabled: false },
      env: tier.backends === undefined ? {} : { TAHAFFUZ_TEST_BACKENDS: tier.backends },
    },
  };
}

function tiers(name: string, dir: string, include: string[], testTimeout = 30_000) {
  const postgres = postgresSuites(dir);
  return [
    project(name, dir, { tier: 'unit', include, exclude: [BROWSER, SYSTEM], backends: 'sqlite' }, testTimeout),
    ...(postgres.length > 0 ? [project(name, dir, { tier: 'postgres', include: postgres, backends: 'postgres' }, testTimeout)] : []),
    project(name, dir, { tier: 'system', include: include.map((g) => g.replace(/\.test\.ts$/, '.system.test.ts')) }, testTimeout),
    project(name, dir, { tier: 'browser', include: include.map((g) => g.replace(/\.test\.ts$/, '.browser.test.ts')) }, testTimeout),
  ];
}

const PACKAGE_TESTS = ['src/**/*.test.ts', 'test/**/*.test.ts'];

export default defineConfig({
  test: {
    passWithNoTests: true,
    // Most test files wait on PostgreSQL, SQLite's fsync, child processes or loopback sockets, not
    // on the CPU: three at a time on a 2-core runner take the non-browser tiers from about 480 s to
    // about 210 s (vitest's default is one worker fewer than the cores: one, on 2 cores). `pnpm test`
    // runs the browser tier apart, one file at a time: those tests drive real key presses and focus.
    maxWorkers: 3,
    projects: [
      ...tiers('referral-contract', 'packages/referral-contract', PACKAGE_TESTS),
      ...tiers('referral-client', 'packages/referral-client', PACKAGE_TESTS),
      ...tiers('referral-server', 'packages/referral-server', PACKAGE_TESTS, 120_000),
      ...tiers('dialogue', 'packages/dialogue', PACKAGE_TESTS, 60_000),
      ...tiers('report-form', 'packages/report-form', PACKAGE_TESTS, 120_000),
      ...tiers('examples', 'examples', ['*/test/**/*.test.ts', '*/src/**/*.test.ts', '*/*.test.ts'], 180_000),
    ],
  },
});
