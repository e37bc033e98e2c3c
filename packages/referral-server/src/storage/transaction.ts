import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from './schema.js';

// One name for every level: SQLite and PostgreSQL release and roll back the innermost of that name.
const SAVEPOINT = CompiledQuery.raw('savepoint tz_step');
const RELEASE = CompiledQuery.raw('release savepoint tz_step');
const ROLLBACK_TO = CompiledQuery.raw('rollback to savepoint tz_step');

/**
 * Runs `body` in a transaction; inside one already (a request on SQLite runs in one), in a
 * savepoint, so a failing step undoes only its own writes.
 */
export async function inTransaction<T>(db: Kysely<Database>, body: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  if (!db.isTransaction) return db.transaction().execute(body);
  await db.executeQuery(SAVEPOINT);
  try {
    const result = await body(db);
    await db.executeQuery(RELEASE);
    return result;
  } catch (error) {
    await db.executeQuery(ROLLBACK_TO);
    await db.executeQuery(RELEASE);
    throw error;
  }
}
