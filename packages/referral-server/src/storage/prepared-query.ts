import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';
import { ReferralServerError } from '../errors.js';
import type { Database } from './schema.js';

/*
 * Kysely builds an operation tree, freezes it and compiles it to SQL on every call: on the report
 * create path that cost more CPU than the HTTP layer. The hot statements have a fixed shape, so
 * build each once per dialect with placeholder values, keep the compiled SQL, and only swap the
 * parameters on each call. Placeholders are strings Kysely passes through as bound parameters.
 */

const MARK = '\u0000tz-param:';

/** A statement compiled once per dialect; run it with {@link PreparedQuery.execute}. */
export interface PreparedQuery<P extends object, R> {
  /** Runs the statement on `db` (a transaction or the database) with these values. */
  execute(db: Kysely<Database>, params: P): Promise<QueryResult<R>>;
}

interface Template {
  readonly compiled: CompiledQuery;
  /** For each bound parameter: the name of the value to put there, or undefined to keep it as compiled. */
  readonly slots: readonly (string | undefined)[];
}

/**
 * Prepares a statement whose shape never changes: `build` receives placeholders (use them only
 * as values, never in `is null`, `in` lists of varying length, or identifiers).
 */
export function prepareQuery<P extends object, R>(build: (db: Kysely<Database>, p: P) => Compilable<R>): PreparedQuery<P, R> {
  const placeholders = new Proxy({} as P, {
    get: (_target, name) => (typeof name === 'string' ? `${MARK}${name}` : undefined),
  });
  // Keyed by the dialect adapter: the database and its transactions share it.
  const templates = new WeakMap<object, Template>();
  return {
    execute(db, params) {
      const executor = db.getExecutor();
      let template = templates.get(executor.adapter);
      if (template === undefined) {
        const compiled = build(db, placeholders).compile();
        if (compiled.sql.includes(MARK)) {
          throw new ReferralServerError('invalid_argument', 'A prepared query placed a placeholder outside a bound parameter.');
        }
        const slots = compiled.parameters.map((value) =>
          typeof value === 'string' && value.startsWith(MARK) ? value.slice(MARK.length) : undefined,
        );
        template = { compiled, slots };
        templates.set(executor.adapter, template);
      }
      const { compiled, slots } = template;
      const parameters = compiled.parameters.map((value, index) => {
        const slot = slots[index];
        return slot === undefined ? value : (params as Record<string, unknown>)[slot];
      });
      return executor.executeQuery({ ...compiled, parameters } as CompiledQuery<R>);
    },
  };
}
