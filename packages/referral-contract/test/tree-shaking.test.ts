import { readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { describe, expect, it } from 'vitest';

const contractDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = join(contractDir, 'src');

const modules = readdirSync(srcDir, { recursive: true, encoding: 'utf8' })
  .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.test-d.ts'))
  .map((name) => name.split('\\').join('/'))
  .sort();

// `sideEffects: false` alone would let a bundler skip a module that is imported for nothing; this
// plugin turns that off for the contract's sources, so what is left is what the statements force.
const keepModules: Plugin = {
  name: 'contract-modules-have-side-effects',
  setup(builder) {
    builder.onResolve({ filter: /^\.\.?\// }, (args) => {
      const path = join(args.resolveDir, args.path.replace(/\.js$/u, '.ts'));
      return relative(srcDir, path).startsWith('..') ? undefined : { path, sideEffects: true };
    });
  },
};

/** Bundles `contents` (resolved from the contract's folder) as a page would: ESM, minified. */
async function bundle(contents: string, plugins: Plugin[] = []): Promise<string> {
  const result = await build({
    stdin: { contents, resolveDir: contractDir, loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    minify: true,
    conditions: ['@tahaffuz/source'],
    write: false,
    logLevel: 'silent',
    plugins,
  });
  return result.outputFiles[0]?.text ?? '';
}

describe('tree-shaking of the contract', () => {
  it.each(modules)('%s bundles to nothing when nothing of it is used', async (module) => {
    const code = await bundle(`import './src/${module}';`, [keepModules]);
    expect(code.trim()).toBe('');
  });

  it('leaves zod out of a bundle that uses only the enums and the admin areas', async () => {
    const code = await bundle(
      `import { REPORT_CATEGORIES, PLACE_TYPES, AGE_BANDS, districtsOf, pakistanAdminAreas } from '@tahaffuz/referral-contract';
globalThis.kept = [REPORT_CATEGORIES, PLACE_TYPES, AGE_BANDS, districtsOf(pakistanAdminAreas, 'PK-SD')];`,
    );
    expect(code).toContain('bonded_labour');
    expect(code).toContain('PK-SD');
    expect(code).not.toContain('_zod');
  });

  it('keeps a report create schema without the operations table, the OpenAPI builder or the other resources', async () => {
    const code = await bundle(
      `import { ReportCreateSchema, REPORTS_CREATE_OPERATION } from '@tahaffuz/referral-contract';
globalThis.kept = [ReportCreateSchema, REPORTS_CREATE_OPERATION];`,
    );
    expect(code).toContain('_zod');
    expect(code).toContain('happening_now');
    expect(code).toContain('/v1/reports');
    expect(code).not.toContain('/v1/referrals'); // OPERATIONS
    expect(code).not.toContain('openapi');
    expect(code).not.toContain('organization_id'); // ReportSchema and the directory
    expect(code).not.toContain('page_token'); // list queries
  });
});
