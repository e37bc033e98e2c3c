import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from './schema.js';

const SAVEPOINT = CompiledQuery.raw('savepoint tz_request');
const RELEASE = CompiledQuery.raw('release savepoint tz_request');
const ROLLBACK_TO = CompiledQuery.raw('rollback to savepoint tz_request');

/** Runs units of work so that the ones queued together share one transaction and one commit. */
export interface GroupCommitter {
  /**
   * Runs `body` in a savepoint of the next group's transaction and settles only after that
   * transaction committed (or failed: then nothing of the group was kept, and every member of the
   * group rejects). A `body` that throws rolls back its own savepoint only.
   */
  run<T>(body: (trx: Kysely<Database>) => Promise<T>): Promise<T>;
  /** Settles when every unit queued so far has settled. */
  idle(): Promise<void>;
}

/** Options of {@link createGroupCommitter}. */
export interface GroupCommitOptions {
  /** The most units one transaction takes (bounds how long the first waits for the last). @default 64 */
  readonly maxGroupSize?: number;
  /**
   * Turns of the event loop a group waits, after the turn its first unit was queued in, for more
   * units to join it before it begins (0: begin in the next check phase). @default 1
   */
  readonly waitTurns?: number;
  /**
   * Whether the connection is still inside the group's transaction. SQLite ends a transaction by
   * itself on some errors (a full disk, an I/O error); the statements after that would run in
   * autocommit mode and the group's `commit` would report success for work that was rolled back.
   */
  readonly inTransaction: () => boolean;
}

/** The transaction of a group ended under it: nothing of the group can be trusted to be stored. */
export class GroupAbortedError extends Error {
  override readonly name = 'GroupAbortedError' as const;
}

interface Member {
  readonly body: (trx: Kysely<Database>) => Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  outcome?: { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };
}

/**
 * Group commit for SQLite. Each commit of a WAL database with `synchronous=FULL` syncs the log;
 * requests that arrive together (in the same turn of the event loop, or while a group runs) share
 * one transaction, each in its own savepoint, and one sync. No unit settles before its commit, so
 * an answer still means "stored": durability and idempotency are as with one transaction each.
 * Units run one after the other (SQLite has one writer and savepoints nest), never interleaved.
 */
export function createGroupCommitter(db: Kysely<Database>, options: GroupCommitOptions): GroupCommitter {
  const maxGroupSize = options.maxGroupSize ?? 64;
  const waitTurns = options.waitTurns ?? 1;
  const queue: Member[] = [];
  let scheduled = false;
  let running: Promise<void> | undefined;
  let idleWaiters: Array<() => void> = [];

  const settleIdle = () => {
    if (queue.length > 0 || running !== undefined || scheduled) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const wake of waiters) wake();
  };

  const runGroup = async (): Promise<void> => {
    const group: Member[] = [];
    let aborted: GroupAbortedError | undefined;
    const abort = (cause?: unknown) => {
      aborted = new GroupAbortedError('The database ended the transaction of this group.', cause === undefined ? undefined : { cause });
      return aborted;
    };
    try {
      await db.transaction().execute(async (trx) => {
        while (queue.length > 0 && group.length < maxGroupSize) {
          const member = queue.shift() as Member;
          group.push(member);
          await trx.executeQuery(SAVEPOINT);
          try {
            member.outcome = { ok: true, value: await member.body(trx) };
            await trx.executeQuery(RELEASE);
          } catch (error) {
            member.outcome = { ok: false, error };
            if (!options.inTransaction()) throw abort(error);
            await trx.executeQuery(ROLLBACK_TO);
            await trx.executeQuery(RELEASE);
          }
          if (!options.inTransaction()) throw abort();
        }
      });
    } catch (error) {
      // Kysely's own rollback fails too when the database already ended the transaction.
      for (const member of group) member.reject(aborted ?? error);
      return;
    }
    for (const member of group) {
      const outcome = member.outcome as NonNullable<Member['outcome']>;
      if (outcome.ok) member.resolve(outcome.value);
      else member.reject(outcome.error);
    }
  };

  const drain = async (): Promise<void> => {
    while (queue.length > 0) await runGroup();
  };

  const schedule = () => {
    if (scheduled || running !== undefined) return;
    scheduled = true;
    // After the I/O of this turn, and of `waitTurns` more: every request that arrived with this
    // one, or just after it, joins its group (the idea of PostgreSQL's commit_delay). The wait is
    // before `begin`, never inside the transaction: a transaction open across a turn of the event
    // loop would let another handle in this process block the loop on the write lock.
    let turns = waitTurns;
    const start = () => {
      if (turns > 0) {
        turns -= 1;
        setImmediate(start);
        return;
      }
      scheduled = false;
      running = drain().finally(() => {
        running = undefined;
        if (queue.length > 0) schedule();
        else settleIdle();
      });
    };
    setImmediate(start);
  };

  return {
    run<T>(body: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ body, resolve: resolve as (value: unknown) => void, reject });
        schedule();
      });
    },
    idle() {
      return new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        settleIdle();
      });
    },
  };
}
