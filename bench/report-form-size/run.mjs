#!/usr/bin/env node
// Size of the report form's script-tag file (all steps, English + Urdu) against Lit alone, both
// bundled the same way in this run: esbuild, one IIFE, minified, ES2022, browser, production, UTF-8
// output, every dependency inside (the settings of packages/report-form/tsup.config.ts). Prints gzip
// (level 9) and brotli sizes, the ratio to Lit, the budget verdict (<= 35 KB gzip, aim 25) and what
// each part of the file weighs: its minified bytes, and what it adds to the gzip size (the gzip of
// the whole file less the gzip of the file without that part's bytes, found through the source
// map). Also reports the built dist file when there is one. Never fails on a size.
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
  charset: 'utf8',
  write: false,
  metafile: true,
  sourcemap: 'external',
  outfile: join(here, 'out.js'),
  logLevel: 'error',
};

async function bundle(label, contents) {
  const result = await build({ ...settings, stdin: { contents, resolveDir: formDir, loader: 'ts', sourcefile: `${label}.ts` } });
  const js = result.outputFiles.find((file) => file.path.endsWith('.js'));
  const map = result.outputFiles.find((file) => file.path.endsWith('.map'));
  return { label, bytes: js.contents, map: JSON.parse(map.text), metafile: result.metafile };
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
  console.log(
    `| dist/tahaffuz-report-form.js (last build) | ${kb(bytes.length)} | ${kb(gzip(bytes))} | ${kb(brotli(bytes))} | ${(gzip(bytes) / litRow.gzip).toFixed(2)}x |`,
  );
}
const verdict = formRow.gzip <= AIM ? 'within the aim' : formRow.gzip <= BUDGET ? 'within budget, above the aim' : 'OVER BUDGET';
console.log(`\nbudget: <= ${kb(BUDGET)} gzip (aim ${kb(AIM)}): ${kb(formRow.gzip)} — ${verdict}`);

// What each part weighs: the minified bytes of each group, and what it adds to the gzip size (the
// gzip of a part alone would overstate it, since parts compress against each other).
const groups = [
  ['Lit', (path) => /node_modules\/.*\/(lit|lit-html|lit-element|@lit|@lit-labs)\//.test(path)],
  ['zod', (path) => /\/zod\//.test(path)],
  ['contract: enums, patterns and constants (no schemas)', (path) => /referral-contract\/src\/(?!admin-areas)/.test(path)],
  ['client: reports-unchecked sender (transport, retries, errors, receipt guard)', (path) => /referral-client\//.test(path)],
  ['admin areas (Pakistan preset and lookups)', (path) => /referral-contract\/src\/admin-areas\//.test(path)],
  ['strings: Urdu', (path) => /report-form\/src\/i18n\/ur\.ts$/.test(path)],
  ['strings: English', (path) => /report-form\/src\/i18n\/en\.ts$/.test(path)],
  ['form: styles', (path) => /report-form\/src\/.*\.styles\.ts$/.test(path)],
  ['form: offline queue', (path) => /report-form\/src\/offline\//.test(path)],
  ['form: components, model, events, config', (path) => /report-form\/src\//.test(path)],
];

/** Decodes a source map's `mappings` into, per generated line, `[column, sourceIndex]` pairs. */
function decodeMappings(mappings) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const lines = [];
  let source = 0;
  for (const line of mappings.split(';')) {
    const segments = [];
    let column = 0;
    for (const segment of line.split(',')) {
      if (segment === '') continue;
      const fields = [];
      let value = 0;
      let shift = 0;
      for (const char of segment) {
        const digit = alphabet.indexOf(char);
        value += (digit & 31) << shift;
        if (digit & 32) {
          shift += 5;
        } else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      column += fields[0];
      if (fields.length > 1) source += fields[1];
      segments.push([column, fields.length > 1 ? source : -1]);
    }
    lines.push(segments);
  }
  return lines;
}

// The group of each output character, through the source map (columns count UTF-16 units).
const text = new TextDecoder().decode(form.bytes);
const groupOfSource = form.map.sources.map((source) => groups.find(([, test]) => test(source))?.[0] ?? 'other');
const owners = [];
decodeMappings(form.map.mappings).forEach((segments, index, all) => {
  const lineLength = text.split('\n')[index]?.length ?? 0;
  segments.forEach(([column, source], i) => {
    const end = i + 1 < segments.length ? segments[i + 1][0] : lineLength;
    for (let c = column; c < end; c += 1) owners.push(source === -1 ? 'other' : groupOfSource[source]);
  });
  if (index < all.length - 1) owners.push('other'); // the newline
});
const encoder = new TextEncoder();
const wholeGzip = gzip(form.bytes);
const parts = new Map(groups.map(([name]) => [name, { bytes: 0, gzip: 0 }]));
parts.set('other', { bytes: 0, gzip: 0 });
const chars = text;
for (const [name, part] of parts) {
  let kept = '';
  let removed = 0;
  let position = 0;
  for (const char of chars) {
    const owner = owners[position] ?? 'other';
    position += char.length;
    if (owner === name) removed += encoder.encode(char).length;
    else kept += char;
  }
  part.bytes = removed;
  part.gzip = removed === 0 ? 0 : wholeGzip - gzip(encoder.encode(kept));
}
console.log('\n| part | minified bytes | share | adds to gzip |');
console.log('| --- | --- | --- | --- |');
for (const [name, part] of parts) {
  if (part.bytes > 0) {
    // `other` (the IIFE wrapper and separators) has no source; what it adds to gzip is not meaningful.
    const added = name === 'other' ? '—' : kb(part.gzip);
    console.log(`| ${name} | ${kb(part.bytes)} | ${((part.bytes / form.bytes.length) * 100).toFixed(0)}% | ${added} |`);
  }
}
