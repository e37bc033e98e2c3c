import { rmSync } from 'node:fs';
import { packageConfig } from '../../tsup.base.js';

// Both builds write into dist/ at the same time, so neither cleans it: it is emptied here, once.
rmSync(new URL('./dist', import.meta.url), { recursive: true, force: true });

export default [
  // For bundlers: ESM with declarations; lit and the referral packages stay dependencies.
  packageConfig({ platform: 'browser', clean: false }),
  // For a script tag: one self-contained, minified file with every dependency inside.
  packageConfig({
    entry: { 'tahaffuz-report-form': 'src/script-tag.ts' },
    platform: 'browser',
    format: ['iife'],
    outExtension: () => ({ js: '.js' }),
    noExternal: [/.*/],
    // tsup's treeshake pass re-prints esbuild's minified output (about 4 KB more gzip); esbuild's own suffices.
    treeshake: false,
    minify: true,
    dts: false,
    clean: false,
    esbuildOptions(options) {
      options.conditions = ['@tahaffuz/source', 'browser', 'module', 'production'];
      options.legalComments = 'none';
    },
  }),
];
