import { randomBytes } from 'node:crypto';
import pg from 'pg';

/*
 * Fresh PostgreSQL databases, one per test file or benchmark run, dropped after it: a database of
 * its own shares nothing with other suites using the same server at the same time. No vitest here,
 * so benchmarks can use it too.
 */

/** The server on which fresh databases are made (its `test` database is only used to create them). */
export const POSTGRES_TEST_URL = process.env['TAHAFFUZ_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Runs one statement on the admin connection. */
async function adminQuery(adminUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** Creates an empty PostgreSQL database on `adminUrl`'s server and returns its URL. */
export async function createPostgresDatabase(adminUrl: string = POSTGRES_TEST_URL, prefix = 'tz_test'): Promise<string> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `create database "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops databases made by {@link createPostgresDatabase}, closing connections left open. */
export async function dropPostgresDatabases(urls: readonly string[], adminUrl: string = POSTGRES_TEST_URL): Promise<void> {
  for (const url of urls) {
    const name = decodeURIComponent(new URL(url).pathname.slice(1));
    await adminQuery(adminUrl, `drop database if exists "${name}" with (force)`);
  }
}

/** Why PostgreSQL cannot be used, or undefined when it can. */
export async function postgresProblem(adminUrl: string = POSTGRES_TEST_URL): Promise<string | undefined> {
  try {
    await adminQuery(adminUrl, 'select 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
