#!/usr/bin/env node
// Runs a benchmark written in TypeScript on Node 20: bundles `<name>/main.ts` (and the workspace
// packages' sources, through the `@tahaffuz/source` condition) with esbuild, then runs it.
// Usage: node run.mjs server-throughput [args…]
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const [name, ...args] = process.argv.slice(2);
if (name === undefined) {
  console.error('usage: node run.mjs <server-throughput|client-overhead> [args…]');
  process.exit(2);
}
const entries = { main: join(here, name, 'main.ts') };
const extra = join(here, name, 'server-process.ts');
if ((await import('node:fs')).existsSync(extra)) entries['server-process'] = extra;
await build({
  entryPoints: entries,
  outdir: join(here, 'dist', name),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  conditions: ['@tahaffuz/source', 'module', 'node'],
  // Native addons stay outside the bundle and load from bench/node_modules.
  external: ['better-sqlite3', 'pg-native'],
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  outExtension: { '.js': '.mjs' },
  sourcemap: 'inline',
  logLevel: 'warning',
});
const result = spawnSync(process.execPath, ['--enable-source-maps', join(here, 'dist', name, 'main.mjs'), ...args], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
