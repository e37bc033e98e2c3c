import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { generateEncryptionKey } from '@tahaffuz/referral-server';
import { afterAll, beforeAll, expect, it } from 'vitest';

/*
 * The server CLI as a child process on an SQLite file, SIGKILLed while creates are in flight, then
 * started again on the same file: every report that got a 201 must be there, exactly once. The
 * child runs the built CLI (`dist/cli.js`), the program operators run.
 */

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const cliPath = join(packageDir, 'dist', 'cli.js');
const WORKERS = 20;
/** 201s to collect before the kill, so that the kill lands in a steady stream of writes. */
const CREATED_BEFORE_KILL = 150;

const dir = mkdtempSync(join(tmpdir(), 'tahaffuz-crash-'));
const dbPath = join(dir, 'tahaffuz.db');
const env = { ...process.env, TAHAFFUZ_ENCRYPTION_KEY: generateEncryptionKey() };
const children = new Set<ChildProcess>();

function newestSource(folder: string): number {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

beforeAll(() => {
  if (!existsSync(cliPath)) {
    throw new Error(
      `The crash test runs the built CLI: run "pnpm --filter @tahaffuz/referral-server build" first (${cliPath} is missing).`,
    );
  }
  if (newestSource(join(packageDir, 'src')) > statSync(cliPath).mtimeMs) {
    console.warn('[crash test] dist/cli.js is older than src/: testing the last build. Run the build to test your changes.');
  }
});

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** Runs a CLI command to completion and returns its stdout. */
function runCli(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args, '--db', dbPath], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`tahaffuz-server ${args.join(' ')} exited ${code}: ${err}`))));
  });
}

/** Starts `tahaffuz-server start` and resolves once it listens. */
function startServer(): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, 'start', '--port', '0', '--db', dbPath], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    child.on('exit', () => children.delete(child));
    // Request logs go to stdout: read them, or the child blocks on a full pipe.
    child.stdout.resume();
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString('utf8');
      const url = /listening on (http:\/\/\S+)/.exec(err)?.[1];
      if (url !== undefined) resolve({ child, url });
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => reject(new Error(`server exited (${code ?? signal}) before listening: ${err}`)));
  });
}

function report(id: string, i: number) {
  return {
    id,
    categories: ['bonded_labour'],
    happening_now: i % 2 === 0,
    location: { admin_area: 'PK-PB-LHR', place_type: 'brick_kiln' },
    narrative: `Crash test report ${i}.`,
    reporter: { mode: 'anonymous' },
    locale: 'en',
  };
}

async function post(url: string, key: string, body: ReturnType<typeof report>, idempotencyKey: string) {
  const response = await fetch(`${url}/v1/reports`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

it('every report that got a 201 before a SIGKILL is there, exactly once, after a restart on the same file', async () => {
  const seeded = await runCli(['seed', '--demo']);
  const intakeKey = /intake\s+(tz_sk_test_\S+)/.exec(seeded)?.[1];
  if (intakeKey === undefined) throw new Error(`seed --demo printed no intake key:\n${seeded}`);

  const first = await startServer();
  const created = new Map<string, string>(); // id -> reference from the 201
  const cut: Array<{ id: string; i: number }> = []; // no answer: the kill cut them
  const otherAnswers: string[] = [];
  let killed = false;
  let inFlightAtKill = 0;
  let inFlight = 0;
  let next = 0;

  const kill = () => {
    killed = true;
    inFlightAtKill = inFlight;
    first.child.kill('SIGKILL');
  };
  const exited = new Promise((resolve) => first.child.once('exit', resolve));

  await Promise.all(
    Array.from({ length: WORKERS }, async () => {
      while (!killed) {
        const i = next;
        next += 1;
        const id = randomUUID();
        inFlight += 1;
        try {
          const answer = await post(first.url, intakeKey, report(id, i), `crash-${id}`);
          if (answer.status === 201) {
            created.set(id, String(answer.json['reference']));
            if (created.size === CREATED_BEFORE_KILL) kill();
          } else {
            otherAnswers.push(`${answer.status} ${String(answer.json['type'])}`);
          }
        } catch {
          cut.push({ id, i });
        } finally {
          inFlight -= 1;
        }
      }
    }),
  );
  await exited;

  expect(otherAnswers).toEqual([]);
  expect(created.size).toBeGreaterThanOrEqual(CREATED_BEFORE_KILL);
  // The kill landed while requests were open, and they were cut.
  expect(inFlightAtKill).toBeGreaterThan(0);
  expect(cut.length).toBeGreaterThan(0);

  const second = await startServer();
  try {
    for (const [id, reference] of created) {
      const response = await fetch(`${second.url}/v1/reports/${id}`, { headers: { authorization: `Bearer ${intakeKey}` } });
      expect(response.status, `report ${id} got a 201 before the kill`).toBe(200);
      expect(((await response.json()) as { reference: string }).reference).toBe(reference);
    }
    // A report cut by the kill, sent again with a new Idempotency-Key, is stored once: either it
    // was committed (the original receipt comes back) or it was not (it is created now).
    for (const { id, i } of cut) {
      const answer = await post(second.url, intakeKey, report(id, i), `after-restart-${id}`);
      expect([200, 201], `resubmitting ${id}: ${JSON.stringify(answer.json)}`).toContain(answer.status);
      expect(answer.json['id']).toBe(id);
    }
  } finally {
    second.child.kill('SIGTERM');
    await new Promise((resolve) => second.child.once('exit', resolve));
  }

  // Exactly once, read from the file itself.
  const file = new BetterSqlite3(dbPath, { readonly: true });
  try {
    const rows = file.prepare('select id, reference from reports').all() as Array<{ id: string; reference: string }>;
    const count = new Map<string, number>();
    for (const row of rows) count.set(row.id, (count.get(row.id) ?? 0) + 1);
    expect(rows.length).toBe(count.size);
    for (const [id, reference] of created) {
      expect(count.get(id), `report ${id}`).toBe(1);
      expect(rows.find((row) => row.id === id)?.reference).toBe(reference);
    }
    for (const { id } of cut) expect(count.get(id), `report ${id}`).toBe(1);
    expect(rows.length).toBe(created.size + cut.length);
  } finally {
    file.close();
  }
});
