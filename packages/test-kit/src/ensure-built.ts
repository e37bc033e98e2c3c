import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The newest modification time of the non-test sources under `dir`. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) continue;
    newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/**
 * Whether `builtFile` (inside `packageDir`) is missing or older than the package's sources. Both
 * are file times on the same file system's clock, never compared with the process clock.
 */
export function isStale(packageDir: string, builtFile: string): boolean {
  const built = join(packageDir, builtFile);
  return !existsSync(built) || statSync(built).mtimeMs < newestSource(join(packageDir, 'src'));
}

/**
 * Builds a package with `pnpm --filter <filter> build` when `builtFile` is missing or older than
 * its sources, so tests that run a build exercise the current code; returns the built file's path.
 */
export async function ensureBuilt(
  packageDir: string,
  builtFile: string,
  filter: string,
  options: { /** Build even when `builtFile` is fresh (a dependency's build is missing). */ readonly always?: boolean } = {},
): Promise<string> {
  if (options.always === true || isStale(packageDir, builtFile)) {
    await run('pnpm', ['--filter', filter, 'build'], { cwd: packageDir, maxBuffer: 16 * 1024 * 1024 });
  }
  return join(packageDir, builtFile);
}
