import { defineConfig, type Options } from 'tsup';

/**
 * The one tsup configuration every package builds with: ESM only, declarations, source maps.
 * A package passes its entry points and, where it needs them, a few overrides.
 */
export function packageConfig(overrides: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm'],
    target: 'es2022',
    dts: {
      // Declarations must point at the published `types`, not at workspace sources.
      compilerOptions: { customConditions: [] },
    },
    sourcemap: true,
    clean: true,
    treeshake: true,
    splitting: false,
    ...overrides,
  });
}
