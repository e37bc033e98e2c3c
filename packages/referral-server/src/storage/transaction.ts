import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.js';

/**
 * Runs `body` in a transaction; inside one already (a request on SQLite runs in one), in a
 * savepoint, so a failing step undoes only its own writes.
 */
export async function inTransaction<T>(db: Kysely<Database>, body: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  if (!db.isTransaction) return db.transaction().execute(body);
  // One name for every level: SQLite and PostgreSQL release and roll back the innermost of that name.
  const name = 'tz_step';
  await sql.raw(`savepoint ${name}`).execute(db);
  try {
    const result = await body(db);
    await sql.raw(`release savepoint ${name}`).execute(db);
    return result;
  } catch (error) {
    await sql.raw(`rollback to savepoint ${name}`).execute(db);
    await sql.raw(`release savepoint ${name}`).execute(db);
    throw error;
  }
}
