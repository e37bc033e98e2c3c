import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, it } from 'vitest';
import type { DatabaseConfig } from '@tahaffuz/referral-server';

/*
 * The resilience tests run on a temporary SQLite file and on a fresh PostgreSQL *database* (not a
 * schema) created for the run and dropped after it. A database of its own keeps a run apart from
 * every other suite using the same server at the same time, whatever their schemas hold.
 */

/** The server the fresh databases are created on. */
export const POSTGRES_ADMIN_URL = process.env['TAHAFFUZ_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A database made for one test, and how to remove it. */
export interface FreshDatabase {
  readonly config: DatabaseConfig;
  cleanup(): Promise<void>;
}

/** One backend the resilience tests run on. */
export interface FreshBackend {
  readonly name: 'sqlite' | 'postgres';
  create(): Promise<FreshDatabase>;
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 2_000 });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function postgresProblem(): Promise<string | undefined> {
  try {
    await adminQuery('select 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

const sqlite: FreshBackend = {
  name: 'sqlite',
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'tahaffuz-resilience-'));
    return { config: { sqlite: join(dir, 'tahaffuz.db') }, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  },
};

const postgres: FreshBackend = {
  name: 'postgres',
  async create() {
    const name = `tz_resilience_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
    await adminQuery(`create database "${name}"`);
    const url = new URL(POSTGRES_ADMIN_URL);
    url.pathname = `/${name}`;
    return {
      config: { postgres: url.toString(), poolSize: 8 },
      cleanup: () => adminQuery(`drop database if exists "${name}" with (force)`),
    };
  },
};

const problem = await postgresProblem();
if (problem !== undefined && process.env['CI'] === undefined) {
  console.warn(
    `[referral-server resilience tests] PostgreSQL at ${POSTGRES_ADMIN_URL} is unreachable (${problem}): the PostgreSQL runs are SKIPPED. Under CI they fail instead.`,
  );
}

/**
 * `describe` once on SQLite and once on PostgreSQL. PostgreSQL unreachable: a failing test under
 * CI, a skipped block with a message elsewhere.
 */
export function describeOnFreshDatabases(title: string, body: (backend: FreshBackend) => void): void {
  describe(`${title} [sqlite]`, () => body(sqlite));
  if (problem === undefined) {
    describe(`${title} [postgres]`, () => body(postgres));
  } else if (process.env['CI'] !== undefined) {
    describe(`${title} [postgres]`, () => {
      it('needs PostgreSQL on 127.0.0.1:5432 (CI must not skip it)', () => {
        throw new Error(`PostgreSQL unreachable at ${POSTGRES_ADMIN_URL}: ${problem}`);
      });
    });
  } else {
    describe.skip(`${title} [postgres] (skipped: PostgreSQL unreachable)`, () => body(postgres));
  }
}
