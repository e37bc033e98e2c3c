import { randomBytes } from 'node:crypto';
import pg from 'pg';

/*
 * Fresh PostgreSQL databases for one run, dropped after it: a benchmark shares nothing with other
 * suites using the same PostgreSQL at the same time.
 */

/** Creates an empty database next to `adminUrl`'s and returns its URL. */
export async function createDatabase(adminUrl: string, prefix: string): Promise<string> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`create database "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops databases made by {@link createDatabase}, closing leftover connections. */
export async function dropDatabases(adminUrl: string, urls: readonly string[]): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    for (const url of urls) {
      const name = decodeURIComponent(new URL(url).pathname.slice(1));
      await client.query(`drop database if exists "${name}" with (force)`);
    }
  } finally {
    await client.end();
  }
}
