#!/usr/bin/env node
// Size of the report form's script-tag file (all steps, English + Urdu) against Lit alone, both
// bundled the same way in this run: esbuild, one IIFE, minified, ES2022, browser, production, every
// dependency inside (the settings of packages/report-form/tsup.config.ts). Prints gzip (level 9)
// and brotli sizes, the ratio to Lit, the budget verdict (<= 35 KB gzip, aim 25) and what each part
// of the file weighs. Also reports the built dist file when there is one. Never fails on a size.
//
//   pnpm --filter @tahaffuz/bench bench:report-form-size
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const formDir = join(here, '..', '..', 'packages', 'report-form');
const BUDGET = 35 * 1024;
const AIM = 25 * 1024;

const settings = {
  bundle: true,
  format: 'iife',
  minify: true,
  target: 'es2022',
  platform: 'browser',
  conditions: ['@tahaffuz/source', 'browser', 'module', 'production'],
  legalComments: 'none',
  write: false,
  metafile: true,
  logLevel: 'error',
};

async function bundle(label, contents) {
  const result = await build({ ...settings, stdin: { contents, resolveDir: formDir, loader: 'ts', sourcefile: `${label}.ts` } });
  const bytes = result.outputFiles[0].contents;
  return { label, bytes, metafile: result.metafile };
}

const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;
const brotli = (bytes) => brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

// Lit as the form uses it: LitElement, html, css, nothing, static properties and ifDefined, one element.
const lit = await bundle(
  'lit-alone',
  `import { LitElement, css, html, nothing } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
export class XLitAlone extends LitElement {
  static properties = { label: {}, on: { state: true } };
  static styles = css\`:host { display: block }\`;
  declare label: string;
  declare on: boolean;
  constructor() { super(); this.label = ''; this.on = false; }
  override render() { return html\`<p title=\${ifDefined(this.label || undefined)}>\${this.on ? this.label : nothing}</p>\`; }
}
customElements.define('x-lit-alone', XLitAlone);`,
);
const form = await bundle('report-form', `import './src/script-tag.ts';`);

const rows = [lit, form].map(({ label, bytes }) => ({ label, min: bytes.length, gzip: gzip(bytes), brotli: brotli(bytes) }));
const [litRow, formRow] = rows;

console.log('report-form script-tag file vs Lit alone (esbuild IIFE, minified, es2022, same run)\n');
console.log('| bundle | minified | gzip -9 | brotli -11 | gzip vs Lit |');
console.log('| --- | --- | --- | --- | --- |');
for (const row of rows) {
  console.log(`| ${row.label} | ${kb(row.min)} | ${kb(row.gzip)} | ${kb(row.brotli)} | ${(row.gzip / litRow.gzip).toFixed(2)}x |`);
}
const dist = join(formDir, 'dist', 'tahaffuz-report-form.js');
if (existsSync(dist)) {
  const bytes = readFileSync(dist);
  console.log(`| dist/tahaffuz-report-form.js (last build) | ${kb(bytes.length)} | ${kb(gzip(bytes))} | ${kb(brotli(bytes))} | ${(gzip(bytes) / litRow.gzip).toFixed(2)}x |`);
}
const verdict = formRow.gzip <= AIM ? 'within the aim' : formRow.gzip <= BUDGET ? 'within budget, above the aim' : 'OVER BUDGET';
console.log(`\nbudget: <= ${kb(BUDGET)} gzip (aim ${kb(AIM)}): ${kb(formRow.gzip)} — ${verdict}`);

// What each part weighs: the minified bytes of each group, and the gzip size of the file without it
// (the gzip of a part alone would overstate it, since parts compress against each other).
const groups = [
  ['Lit', (path) => /node_modules\/.*\/(lit|lit-html|lit-element|@lit|@lit-labs)\//.test(path)],
  ['typed client + zod + contract schemas', (path) => /referral-client\/|\/zod\/|referral-contract\/src\/(?!admin-areas)/.test(path)],
  ['admin areas (Pakistan preset)', (path) => /referral-contract\/src\/admin-areas\//.test(path)],
  ['strings: Urdu', (path) => /report-form\/src\/i18n\/ur\.ts$/.test(path)],
  ['strings: English', (path) => /report-form\/src\/i18n\/en\.ts$/.test(path)],
  ['form: components, styles, model, offline queue', (path) => /report-form\/src\//.test(path)],
];
const inputs = Object.values(form.metafile.outputs)[0].inputs;
const bytesByGroup = new Map(groups.map(([name]) => [name, 0]));
for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
  const group = groups.find(([, test]) => test(path));
  const name = group?.[0] ?? 'other';
  bytesByGroup.set(name, (bytesByGroup.get(name) ?? 0) + bytesInOutput);
}
console.log('\n| part | minified bytes in the file | share |');
console.log('| --- | --- | --- |');
const total = [...bytesByGroup.values()].reduce((a, b) => a + b, 0);
for (const [name, bytes] of bytesByGroup) {
  if (bytes > 0) console.log(`| ${name} | ${kb(bytes)} | ${((bytes / total) * 100).toFixed(0)}% |`);
}
