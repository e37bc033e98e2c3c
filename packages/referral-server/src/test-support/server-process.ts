import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built CLI; tests that need a real second process run it. */
export const BUILT_CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'cli.js');

/**
 * Whether the built CLI exists. Under CI a missing build is an error; elsewhere the caller skips
 * with the message printed here.
 */
export function builtCliAvailable(what: string): boolean {
  if (existsSync(BUILT_CLI) && statSync(BUILT_CLI).mtimeMs >= newestSource(SOURCE_DIR)) return true;
  const problem = existsSync(BUILT_CLI) ? 'older than the sources' : 'missing';
  if (process.env['CI'] !== undefined) throw new Error(`Build the package first: ${BUILT_CLI} is ${problem}.`);
  console.warn(`[referral-server tests] ${BUILT_CLI} is ${problem}: ${what} is SKIPPED (run pnpm build).`);
  return false;
}

const SOURCE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = entry.name === 'test-support' ? newest : Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Starts `tahaffuz-server start` in a child process and resolves with its URL once it listens. */
export async function startServerProcess(
  args: readonly string[],
  env: Record<string, string>,
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [BUILT_CLI, 'start', '--port', '0', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const url = await new Promise<string>((done, fail) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      const match = /listening on (\S+)/.exec(stderr);
      if (match?.[1] !== undefined) done(match[1]);
    });
    child.once('exit', (code, signal) => fail(new Error(`server process exited (${String(code ?? signal)}): ${stderr}`)));
  });
  return { url, child };
}

/** Stops a child process with a signal and waits for it to exit. */
export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill(signal);
  await exited;
}
