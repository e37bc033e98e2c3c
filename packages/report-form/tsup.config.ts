import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { packageConfig } from '../../tsup.base.js';

// Both builds write into dist/ at the same time, so neither cleans it: it is emptied here, once.
rmSync(new URL('./dist', import.meta.url), { recursive: true, force: true });

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };
const script = new URL('./dist/tahaffuz-report-form.js', import.meta.url);
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export default [
  // For bundlers: ESM with declarations; lit and the referral packages stay dependencies.
  packageConfig({ platform: 'browser', clean: false }),
  // For a script tag: one self-contained, minified file with every dependency inside, its version
  // in the first line and its SRI hash beside it (dist/tahaffuz-report-form.js.sri).
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
    banner: { js: `/*! @tahaffuz/report-form ${version} | MIT | https://github.com/tahaffuz/tahaffuz */` },
    esbuildOptions(options) {
      options.conditions = ['@tahaffuz/source', 'browser', 'module', 'production'];
      options.legalComments = 'none';
      // Urdu strings and place names as UTF-8, not `\uXXXX` escapes: 19 KB smaller minified, 0.5 KB gzip.
      options.charset = 'utf8';
    },
    async onSuccess() {
      // A byte order mark (esbuild drops one from the banner) makes browsers decode the file as UTF-8
      // whatever charset the server or the page declares: HTML's decode algorithm sniffs it first.
      const built = readFileSync(script);
      const bytes = built.subarray(0, 3).equals(BOM) ? built : Buffer.concat([BOM, built]);
      writeFileSync(script, bytes);
      const digest = createHash('sha384').update(bytes).digest('base64');
      writeFileSync(new URL('./dist/tahaffuz-report-form.js.sri', import.meta.url), `sha384-${digest}\n`);
    },
  }),
];
