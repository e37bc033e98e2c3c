import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { createPostgresDatabase, dropPostgresDatabases, POSTGRES_TEST_URL, postgresProblem } from './postgres.js';

/*
 * The integration suites run the same tests on a real SQLite file in a temporary folder and on a
 * fresh PostgreSQL database (not a schema: nothing another suite keeps on the same server can
 * interfere), created for the test file and dropped after it. Which backends run is chosen by
 * TAHAFFUZ_TEST_BACKENDS (`sqlite`, `postgres` or both, comma-separated; both when unset): the
 * fast tier runs the SQLite half, the postgres tier the other (vitest.config.ts). PostgreSQL
 * missing: the PostgreSQL half fails under CI and is skipped, with a message, elsewhere.
 */

/** A backend's name. */
export type BackendName = 'sqlite' | 'postgres';

/** How to open a test database; structurally a `DatabaseConfig` of `@tahaffuz/referral-server`. */
export type TestDatabaseConfig = { readonly sqlite: string } | { readonly postgres: string; readonly poolSize: number };

/** A database made for one test file (or one test), and how to remove it. */
export interface TestDatabase {
  readonly config: TestDatabaseConfig;
  /** For SQLite: the file, so a test can read its bytes. */
  readonly sqlitePath?: string;
  cleanup(): Promise<void>;
}

/** One backend the integration suites run on. */
export interface TestBackend {
  readonly name: BackendName;
  /** A new, empty database. `poolSize` (PostgreSQL connections) defaults to 4. */
  create(options?: { readonly poolSize?: number }): Promise<TestDatabase>;
}

/** The SQLite backend: a file in a new temporary folder. */
export const sqliteBackend: TestBackend = {
  name: 'sqlite',
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'tahaffuz-test-'));
    const path = join(dir, 'tahaffuz.db');
    return { config: { sqlite: path }, sqlitePath: path, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  },
};

/** The PostgreSQL backend: a fresh database on {@link POSTGRES_TEST_URL}'s server. */
export const postgresBackend: TestBackend = {
  name: 'postgres',
  async create(options = {}) {
    const url = await createPostgresDatabase();
    return { config: { postgres: url, poolSize: options.poolSize ?? 4 }, cleanup: () => dropPostgresDatabases([url]) };
  },
};

/** The backends this run tests, from TAHAFFUZ_TEST_BACKENDS (both when unset). */
export function selectedBackends(): readonly BackendName[] {
  const raw = process.env['TAHAFFUZ_TEST_BACKENDS'];
  if (raw === undefined || raw.trim() === '') return ['sqlite', 'postgres'];
  const names = raw.split(',').map((s) => s.trim());
  for (const name of names) {
    if (name !== 'sqlite' && name !== 'postgres') {
      throw new Error(`TAHAFFUZ_TEST_BACKENDS names "${name}"; use sqlite, postgres or both, comma-separated`);
    }
  }
  return names as BackendName[];
}

const wanted = selectedBackends();
const problem = wanted.includes('postgres') ? await postgresProblem() : undefined;
if (problem !== undefined && process.env['CI'] === undefined) {
  console.warn(
    `[tests] PostgreSQL at ${POSTGRES_TEST_URL} is unreachable (${problem}): the PostgreSQL half of the integration suites is SKIPPED. Under CI it fails instead.`,
  );
}

/**
 * `describe` once per selected backend, titled `title [sqlite]` and `title [postgres]`. Under CI an
 * unreachable PostgreSQL is a failing test, elsewhere a skipped block with a message.
 */
export function describeEachBackend(title: string, body: (backend: TestBackend) => void): void {
  for (const backend of [sqliteBackend, postgresBackend]) {
    if (!wanted.includes(backend.name)) continue;
    if (backend.name === 'postgres' && problem !== undefined) {
      if (process.env['CI'] !== undefined) {
        describe(`${title} [postgres]`, () => {
          it('needs PostgreSQL on 127.0.0.1:5432 (CI must not skip it)', () => {
            throw new Error(`PostgreSQL unreachable at ${POSTGRES_TEST_URL}: ${problem}`);
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
