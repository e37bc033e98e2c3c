import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, it } from 'vitest';
import type { DatabaseConfig } from '../storage/open-database.js';

/*
 * The integration suites run the same tests on a real SQLite file in a temporary directory and on
 * the real PostgreSQL at 127.0.0.1:5432 (a fresh schema per database). PostgreSQL missing: the
 * PostgreSQL half fails under CI and is skipped, with a message, elsewhere.
 */

/** The admin connection used to create and drop per-test schemas. */
export const POSTGRES_TEST_URL = process.env['TAHAFFUZ_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A database made for one test suite, and how to remove it. */
export interface TestDatabase {
  readonly config: DatabaseConfig;
  /** For SQLite: the file, so a test can read it directly. */
  readonly sqlitePath?: string;
  cleanup(): Promise<void>;
}

/** One backend the integration suites run on. */
export interface TestBackend {
  readonly name: 'sqlite' | 'postgres';
  create(): Promise<TestDatabase>;
}

async function postgresReachable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: POSTGRES_TEST_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const sqliteBackend: TestBackend = {
  name: 'sqlite',
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'tahaffuz-server-'));
    const path = join(dir, 'tahaffuz.db');
    return {
      config: { sqlite: path },
      sqlitePath: path,
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
};

const postgresBackend: TestBackend = {
  name: 'postgres',
  async create() {
    const schema = `tz_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
    return {
      config: { postgres: POSTGRES_TEST_URL, schema, poolSize: 4 },
      cleanup: async () => {
        const client = new pg.Client({ connectionString: POSTGRES_TEST_URL });
        await client.connect();
        try {
          await client.query(`drop schema if exists "${schema}" cascade`);
        } finally {
          await client.end();
        }
      },
    };
  },
};

const postgresProblem = await postgresReachable();
if (postgresProblem !== undefined && process.env['CI'] === undefined) {
  console.warn(
    `[referral-server tests] PostgreSQL at ${POSTGRES_TEST_URL} is unreachable (${postgresProblem}): the PostgreSQL half of the integration suites is SKIPPED. Under CI it fails instead.`,
  );
}

/**
 * `describe` once per backend. Under CI an unreachable PostgreSQL is a failing test, elsewhere a
 * skipped block with a message.
 */
export function describeEachBackend(title: string, body: (backend: TestBackend) => void): void {
  for (const backend of [sqliteBackend, postgresBackend]) {
    if (backend.name === 'postgres' && postgresProblem !== undefined) {
      if (process.env['CI'] !== undefined) {
        describe(`${title} [postgres]`, () => {
          it('needs PostgreSQL on 127.0.0.1:5432 (CI must not skip it)', () => {
            throw new Error(`PostgreSQL unreachable: ${postgresProblem}`);
          });
        });
      } else {
        describe.skip(`${title} [postgres] (skipped: PostgreSQL unreachable)`, () => body(backend));
      }
      continue;
    }
    describe(`${title} [${backend.name}]`, () => body(backend));
  }
}
