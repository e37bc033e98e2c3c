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

function isStale(packageDir: string): boolean {
  const built = join(packageDir, 'dist', 'index.js');
  return !existsSync(built) || statSync(built).mtimeMs < newestSource(join(packageDir, 'src'));
}

/**
 * Builds the client and the contract it depends on with `pnpm build` when a `dist/` is missing
 * or older than its sources, so that the runtime tests always exercise the current build.
 */
export async function ensureBuilt(clientDir: string): Promise<void> {
  const contractDir = join(clientDir, '..', 'referral-contract');
  if (!isStale(clientDir) && !isStale(contractDir)) return;
  await run('pnpm', ['--filter', '@tahaffuz/referral-client...', 'build'], {
    cwd: clientDir,
    maxBuffer: 16 * 1024 * 1024,
  });
}
