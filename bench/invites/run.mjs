#!/usr/bin/env node
// Runs bench/invites on Node 20: bundles main.ts (and @tahaffuz/dialogue's sources, through the
// `@tahaffuz/source` condition) with esbuild, then runs it. `@touch4it/ical-timezones` reads its
// zone files next to itself, so it stays outside the bundle.
// Usage: node bench/invites/run.mjs [--build N] [--send N] [--rounds R] [--only build,json-file,memory,bare]
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
await build({
  entryPoints: { main: join(here, 'main.ts') },
  outdir: join(here, '..', 'dist', 'invites'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  conditions: ['@tahaffuz/source', 'module', 'node'],
  external: ['@touch4it/ical-timezones'],
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  outExtension: { '.js': '.mjs' },
  sourcemap: 'inline',
  logLevel: 'warning',
});
const result = spawnSync(
  process.execPath,
  ['--enable-source-maps', join(here, '..', 'dist', 'invites', 'main.mjs'), ...process.argv.slice(2)],
  {
    stdio: 'inherit',
  },
);
process.exit(result.status ?? 1);
