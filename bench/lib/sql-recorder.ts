import { randomUUID } from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';

/** One SQL statement as a driver received it. */
export interface RecordedStatement {
  readonly sql: string;
  readonly params: readonly unknown[];
}

/** What the server did to its SQLite connection before serving: its pragmas, in order. */
export interface RecordedPragma {
  readonly source: string;
}

/**
 * Records, in this process, every statement Kysely's SQLite and PostgreSQL drivers run (through
 * better-sqlite3's `Statement#run/all/get` and pg's `Client#query`) and every pragma set on a
 * better-sqlite3 connection, so that a benchmark can replay exactly what the server does per
 * report without HTTP. Nothing is changed in what the drivers do.
 */
export function installSqlRecorder(): {
  readonly statements: RecordedStatement[];
  readonly pragmas: RecordedPragma[];
  recording: boolean;
  uninstall(): void;
} {
  const probe = new BetterSqlite3(':memory:');
  const statementProto = Object.getPrototypeOf(probe.prepare('select 1')) as Record<string, unknown>;
  probe.close();
  const databaseProto = BetterSqlite3.prototype as unknown as Record<string, unknown>;
  const clientProto = pg.Client.prototype as unknown as Record<string, unknown>;
  const state = {
    statements: [] as RecordedStatement[],
    pragmas: [] as RecordedPragma[],
    recording: false,
    uninstall: (): void => undefined,
  };
  const restore: Array<() => void> = [];

  function wrap(proto: Record<string, unknown>, name: string, record: (self: unknown, args: unknown[]) => void) {
    const original = proto[name] as (...args: unknown[]) => unknown;
    proto[name] = function (this: unknown, ...args: unknown[]) {
      record(this, args);
      return original.apply(this, args);
    };
    restore.push(() => {
      proto[name] = original;
    });
  }

  for (const method of ['run', 'all', 'get', 'iterate']) {
    wrap(statementProto, method, (self, args) => {
      if (!state.recording) return;
      const first = args[0];
      const params = Array.isArray(first) ? [...(first as unknown[])] : args;
      state.statements.push({ sql: (self as { source: string }).source, params });
    });
  }
  wrap(databaseProto, 'pragma', (_self, args) => {
    state.pragmas.push({ source: String(args[0]) });
  });
  wrap(clientProto, 'query', (_self, args) => {
    if (!state.recording) return;
    const [text, values] = args;
    if (typeof text !== 'string') return;
    state.statements.push({ sql: text, params: Array.isArray(values) ? [...(values as unknown[])] : [] });
  });
  state.uninstall = () => {
    for (const undo of restore.reverse()) undo();
  };
  return state;
}

const TRANSACTION_CONTROL = /^\s*(begin|commit|rollback|savepoint|release|start\s+transaction|end)\b/i;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Without the transaction statements: the replay wraps each report in one transaction of its own. */
export function withoutTransactionControl(statements: readonly RecordedStatement[]): RecordedStatement[] {
  return statements.filter((statement) => !TRANSACTION_CONTROL.test(statement.sql));
}

/**
 * Builds, from the statements of two different report creates, a generator of the statements of
 * report number `i`: the SQL is the same; parameters that were equal in both stay as they were;
 * parameters that differed (ids, references, idempotency keys, hashes, ciphertexts) get a fresh
 * value of the same shape so that unique constraints hold as they do for real reports.
 */
export function replayPlan(a: readonly RecordedStatement[], b: readonly RecordedStatement[]): (i: number) => RecordedStatement[] {
  if (a.length !== b.length || a.some((statement, index) => statement.sql !== b[index]?.sql)) {
    throw new Error('the two recorded creates ran different statements; record again');
  }
  return (i) =>
    a.map((statement, index) => {
      const other = b[index]!.params;
      return {
        sql: statement.sql,
        params: statement.params.map((value, p) => (Object.is(value, other[p]) ? value : fresh(value, i))),
      };
    });
}

function fresh(value: unknown, i: number): unknown {
  if (typeof value === 'number') return value + i;
  if (typeof value !== 'string') return value;
  if (TIMESTAMP.test(value)) return new Date().toISOString();
  if (UUID.test(value)) return randomUUID();
  if (/^[[{]/.test(value)) return value; // a JSON document (a stored response, an event payload)
  return `${value}~${i}`;
}
