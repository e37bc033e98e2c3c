import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  type SqliteDatabase,
  type SqliteDialectConfig,
  SqliteDriver,
  type SqliteStatement,
} from 'kysely';
import pg from 'pg';
import { ReferralServerError } from '../errors.js';
import { migrateToLatest } from './migrations.js';
import type { Database } from './schema.js';

/** Which SQL backend a database runs on. */
export type DialectName = 'sqlite' | 'postgres';

/**
 * Where the server keeps its data: an SQLite file path, a PostgreSQL URL, or a string that is one
 * of the two (`postgres://` / `postgresql://` URLs select PostgreSQL).
 */
export type DatabaseConfig =
  | string
  | { readonly sqlite: string }
  | {
      readonly postgres: string;
      /** PostgreSQL schema to use instead of `public` (created if missing). */
      readonly schema?: string;
      /** Pool size per process. @default 10 */
      readonly poolSize?: number;
    };

/** An open, migrated database. */
export interface OpenDatabase {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  /** Closes the connection(s). */
  close(): Promise<void>;
}

/** How long a writer waits for another process's lock on the SQLite file before failing. */
const SQLITE_BUSY_TIMEOUT_MS = 10_000;

/*
 * SQLite's default `begin` is deferred: a transaction that reads and then writes can fail with
 * SQLITE_BUSY when another process wrote in between, and busy_timeout cannot help it. Every
 * transaction here writes, so take the write lock at `begin immediate` and let busy_timeout wait.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

function normalise(
  config: DatabaseConfig,
): { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string; schema: string | undefined; poolSize: number } {
  if (typeof config === 'string') {
    if (/^postgres(ql)?:\/\//i.test(config)) return { kind: 'postgres', url: config, schema: undefined, poolSize: 10 };
    if (config.trim() === '') {
      throw new ReferralServerError(
        'invalid_database_config',
        'The database path is empty: pass an SQLite file path or a postgres:// URL.',
      );
    }
    return { kind: 'sqlite', path: config };
  }
  if ('sqlite' in config) return { kind: 'sqlite', path: config.sqlite };
  if ('postgres' in config) {
    if (config.schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(config.schema)) {
      throw new ReferralServerError(
        'invalid_database_config',
        'The PostgreSQL schema name must be lower-case letters, digits and underscores, starting with a letter or underscore.',
      );
    }
    return { kind: 'postgres', url: config.postgres, schema: config.schema, poolSize: config.poolSize ?? 10 };
  }
  throw new ReferralServerError('invalid_database_config', 'Database config must be { sqlite: path }, { postgres: url } or a string.');
}

const sqliteFiles = new WeakMap<Kysely<Database>, BetterSqlite3.Database>();

/** The better-sqlite3 handle under a database this module opened on SQLite (not public). */
export function sqliteFileOf(db: Kysely<Database>): BetterSqlite3.Database | undefined {
  return sqliteFiles.get(db);
}

/**
 * Copies the SQLite write-ahead log into the main file and truncates it to zero bytes, so that
 * content erased or overwritten since the last checkpoint is left in neither file (with
 * `secure_delete`, the main file's old copies are zeroed as the new pages land). Waits at most
 * `waitMs` for readers of other processes; returns false when one kept part of the log in use, or
 * a transaction of this connection is open (the next checkpoint finishes it).
 */
export function checkpointSqliteWal(file: BetterSqlite3.Database, waitMs = 2_000): boolean {
  // Not inside a transaction of this connection (a group commit that began meanwhile): SQLite would refuse.
  if (file.inTransaction) return false;
  file.pragma(`busy_timeout = ${waitMs}`);
  try {
    const [result] = file.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
    return result?.busy === 0;
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return false;
    throw error;
  } finally {
    file.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  }
}

function openSqlite(path: string): { db: Kysely<Database>; file: BetterSqlite3.Database } {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const file = new BetterSqlite3(path);
  file.pragma('journal_mode = WAL');
  // FULL: an acknowledged report survives power loss, not only a crash of the process.
  file.pragma('synchronous = FULL');
  file.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  file.pragma('foreign_keys = ON');
  // Deleted and overwritten content (an erasure, a rewrap, a purged rate-limit bucket) is zeroed in
  // the file instead of lingering in free space until the page is reused.
  file.pragma('secure_delete = ON');
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: cachingStatements(file) }) });
  sqliteFiles.set(db, file);
  return { db, file };
}

/*
 * Kysely prepares every query anew; preparing costs about as much as running a small statement.
 * The server runs a few dozen distinct statements, so keep them prepared (bounded, oldest first
 * out). Safe because Kysely runs one statement at a time on the single SQLite connection.
 */
function cachingStatements(file: BetterSqlite3.Database): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => file.close(),
    prepare(source: string) {
      let statement = cache.get(source);
      if (statement === undefined) {
        statement = file.prepare(source);
        if (cache.size >= 500) cache.delete(cache.keys().next().value as string);
        cache.set(source, statement);
      }
      return statement as unknown as SqliteStatement;
    },
  };
}

/** PostgreSQL int8 (counts, sequences) as JS numbers: every value here stays below 2^53. */
function typeParser(oid: number, format?: string): unknown {
  if (oid === 20) return (value: string) => Number(value);
  return format === undefined ? pg.types.getTypeParser(oid) : pg.types.getTypeParser(oid, format as 'text');
}

async function openPostgres(url: string, schema: string | undefined, poolSize: number): Promise<Kysely<Database>> {
  if (schema !== undefined) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`create schema if not exists "${schema}"`);
    } finally {
      await client.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    types: { getTypeParser: typeParser as never },
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  // pg emits 'error' when the server ends a connection the pool holds (a PostgreSQL restart, a
  // failover, an administrator's terminate). Unheard, that event would end the whole process; the
  // pool already drops the broken client and the next query opens a new one, so it is reported
  // (by code only: a message could quote data) and the server goes on.
  const report = (error: Error & { code?: unknown }) =>
    process.stderr.write(`[tahaffuz-server] PostgreSQL connection lost${typeof error.code === 'string' ? ` (${error.code})` : ''}\n`);
  pool.on('error', report);
  pool.on('connect', (client) => client.on('error', report));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/**
 * Opens (creating if needed) and migrates the database. SQLite runs with WAL, `synchronous=FULL`,
 * `secure_delete` and a busy timeout so several processes can share one file.
 */
export async function openDatabase(config: DatabaseConfig, options: { migrate?: boolean } = {}): Promise<OpenDatabase> {
  const normalised = normalise(config);
  const dialect: DialectName = normalised.kind;
  const sqlite = normalised.kind === 'sqlite' ? openSqlite(normalised.path) : undefined;
  const db =
    normalised.kind === 'sqlite'
      ? (sqlite as { db: Kysely<Database> }).db
      : await openPostgres(normalised.url, normalised.schema, normalised.poolSize);
  try {
    if (options.migrate !== false) {
      if (sqlite === undefined) {
        await migrateToLatest(db, dialect);
      } else {
        // Kysely takes no migration lock on SQLite; hold the file's write lock so that processes
        // starting together migrate one after the other. Nothing else uses this handle yet.
        sqlite.file.exec('begin immediate');
        try {
          await migrateToLatest(db, dialect);
          sqlite.file.exec('commit');
        } catch (error) {
          if (sqlite.file.inTransaction) sqlite.file.exec('rollback');
          throw error;
        }
      }
    }
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return { db, dialect, close: () => db.destroy() };
}
