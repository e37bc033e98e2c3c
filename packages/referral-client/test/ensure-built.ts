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
 * Builds the client with `pnpm build` when its `dist/` is missing or older than its sources, so
 * that the runtime tests exercise the current build; builds the contract too when it has no
 * `dist/` at all (a stale contract build is its own package's business, and rebuilding it here
 * would race with work on it).
 */
export async function ensureBuilt(clientDir: string): Promise<void> {
  const contractBuilt = existsSync(join(clientDir, '..', 'referral-contract', 'dist', 'index.js'));
  if (contractBuilt && !isStale(clientDir)) return;
  const filter = contractBuilt ? '@tahaffuz/referral-client' : '@tahaffuz/referral-client...';
  await run('pnpm', ['--filter', filter, 'build'], { cwd: clientDir, maxBuffer: 16 * 1024 * 1024 });
}
