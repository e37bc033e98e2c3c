import { Migrator, sql } from 'kysely';
import type { TestDatabaseConfig } from '@tahaffuz/test-kit';
import { type DemoSeed, seedDemo } from '../../src/demo/seed-demo.js';
import { migrationProvider } from '../../src/storage/migrations.js';
import { type OpenDatabase, openDatabase } from '../../src/storage/open-database.js';

/**
 * Opens a database and migrates it only up to `migration` (inclusive), as a deployment of an older
 * version left it, so an upgrade test can write rows the way that version did and then start
 * today's server on it.
 */
export async function openAtMigration(config: TestDatabaseConfig, migration: string): Promise<OpenDatabase> {
  const before = await openDatabase(config, { migrate: false });
  // Kysely looks for its migration table in every schema unless told which.
  const schema =
    before.dialect === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(before.db)).rows[0]?.schema
      : undefined;
  const migrator = new Migrator({
    db: before.db,
    provider: migrationProvider(before.dialect),
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  const { error } = await migrator.migrateTo(migration);
  if (error !== undefined) {
    await before.close();
    throw error;
  }
  return before;
}

/**
 * The demo seed on a database of an older schema. Today's key creation also writes the origins
 * table of a later migration (`0006_api_key_origins`): the table is there while seeding and taken
 * away again, so the upgrade builds it from the keys as it would on a real older database.
 */
export async function seedDemoOnPreviousSchema(before: OpenDatabase, options: Parameters<typeof seedDemo>[1]): Promise<DemoSeed> {
  const migrations = await migrationProvider(before.dialect).getMigrations();
  const origins = migrations['0006_api_key_origins'];
  if (origins === undefined) throw new Error('migration 0006_api_key_origins is gone: update this helper');
  await origins.up(before.db);
  try {
    return await seedDemo(before.db, options);
  } finally {
    await before.db.schema.dropTable('api_key_origins').execute();
  }
}
