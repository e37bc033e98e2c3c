import { sql } from 'kysely';
import type { World } from './world.js';

/** The number of rows of every table of the world's database (migration bookkeeping excluded). */
export async function rowCounts(w: World): Promise<Record<string, number>> {
  const db = w.t.server.database.db;
  const schema = (w.t.target.config as { schema?: string }).schema;
  const tables = (await db.introspection.getTables())
    .filter((t) => !t.isView && !t.name.startsWith('kysely_') && (schema === undefined || t.schema === schema))
    .map((t) => t.name)
    .sort();
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const row = await sql<{
      n: number | string;
    }>`select count(*) as n from ${sql.table(schema === undefined ? table : `${schema}.${table}`)}`.execute(db);
    counts[table] = Number(row.rows[0]?.n ?? 0);
  }
  return counts;
}
