import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) continue;
    newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/**
 * The path of the built script-tag file, built first with `pnpm build` when it is missing or older
 * than the form's sources, so the browser tests exercise what would be published.
 */
export async function builtScript(packageDir: string): Promise<string> {
  const file = join(packageDir, 'dist', 'tahaffuz-report-form.js');
  if (!existsSync(file) || statSync(file).mtimeMs < newestSource(join(packageDir, 'src'))) {
    await run('pnpm', ['--filter', '@tahaffuz/report-form', 'build'], { cwd: packageDir, maxBuffer: 16 * 1024 * 1024 });
  }
  return file;
}
