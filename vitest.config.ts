import { defineConfig } from 'vitest/config';

/**
 * Workspace packages resolve to their sources in tests, as they do in the editor. Setting
 * conditions replaces Vite's defaults, so they are listed again after ours.
 */
const conditions = ['@tahaffuz/source', 'module', 'development|production'];
const serverConditions = ['@tahaffuz/source', 'module', 'node', 'development|production'];

function project(name: string, dir: string, extra: { testTimeout?: number; include?: string[] } = {}) {
  return {
    resolve: { conditions },
    ssr: { resolve: { conditions: serverConditions, externalConditions: ['@tahaffuz/source'] } },
    test: {
      name,
      root: dir,
      include: extra.include ?? ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: extra.testTimeout ?? 30_000,
      hookTimeout: 60_000,
      typecheck: { enabled: false },
    },
  };
}

export default defineConfig({
  test: {
    projects: [
      project('referral-contract', 'packages/referral-contract'),
      project('referral-client', 'packages/referral-client'),
      project('referral-server', 'packages/referral-server', { testTimeout: 120_000 }),
      project('dialogue', 'packages/dialogue', { testTimeout: 60_000 }),
      project('report-form', 'packages/report-form', { testTimeout: 120_000 }),
      project('examples', 'examples', {
        testTimeout: 180_000,
        include: ['*/test/**/*.test.ts', '*/src/**/*.test.ts', '*/*.test.ts'],
      }),
    ],
  },
});
