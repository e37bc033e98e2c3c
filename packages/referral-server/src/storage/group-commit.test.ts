import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGroupCommitter, GroupAbortedError, type GroupCommitter } from './group-commit.js';
import { type OpenDatabase, openDatabase, sqliteFileOf } from './open-database.js';
import type { Database } from './schema.js';

/*
 * A real SQLite file, and a second handle on it standing for anyone else reading the database:
 * what the second handle sees is what was committed.
 */
describe('group commit (SQLite)', () => {
  let dir: string;
  let database: OpenDatabase;
  let observer: BetterSqlite3.Database;
  let committer: GroupCommitter;

  const insert = (trx: Kysely<Database>, n: number) => trx.executeQuery(CompiledQuery.raw('insert into gc_items (n) values (?)', [n]));
  const committed = () => (observer.prepare('select n from gc_items order by n').all() as Array<{ n: number }>).map((row) => row.n);

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tahaffuz-group-commit-'));
    database = await openDatabase({ sqlite: join(dir, 'db.sqlite') });
    const file = sqliteFileOf(database.db);
    if (file === undefined) throw new Error('expected an SQLite handle');
    file.exec(
      'create table gc_items (n integer primary key); create table gc_parent (id integer primary key); create table gc_child (parent integer references gc_parent(id))',
    );
    observer = new BetterSqlite3(join(dir, 'db.sqlite'), { readonly: true });
    committer = createGroupCommitter(database.db, { inTransaction: () => file.inTransaction });
  });

  afterEach(async () => {
    observer.close();
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs units queued together in one transaction and settles each only after its commit', async () => {
    const seenByOthers: number[][] = [];
    const settledBeforeCommit: boolean[] = [];
    const units = [1, 2, 3, 4, 5].map((n) =>
      committer
        .run(async (trx) => {
          await insert(trx, n);
          seenByOthers.push(committed());
          return n;
        })
        .then((value) => {
          settledBeforeCommit.push(!committed().includes(value));
          return value;
        }),
    );
    expect(await Promise.all(units)).toEqual([1, 2, 3, 4, 5]);
    // Nobody outside saw any unit's row while the group ran: one transaction for all five.
    expect(seenByOthers).toEqual([[], [], [], [], []]);
    expect(settledBeforeCommit).toEqual([false, false, false, false, false]);
    expect(committed()).toEqual([1, 2, 3, 4, 5]);
  });

  it('rolls back only the unit that throws, and rejects only its promise', async () => {
    const failure = new Error('unit 2 fails after writing');
    const outcomes = await Promise.allSettled([
      committer.run((trx) => insert(trx, 1)),
      committer.run(async (trx) => {
        await insert(trx, 2);
        throw failure;
      }),
      committer.run((trx) => insert(trx, 3)),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBe(failure);
    expect(committed()).toEqual([1, 3]);
  });

  it('rejects every unit of a group whose commit fails, and keeps nothing of it', async () => {
    const outcomes = await Promise.allSettled([
      committer.run((trx) => insert(trx, 1)),
      committer.run(async (trx) => {
        // A deferred foreign-key violation only fails at commit.
        await trx.executeQuery(CompiledQuery.raw('pragma defer_foreign_keys = on'));
        await trx.executeQuery(CompiledQuery.raw('insert into gc_child (parent) values (42)'));
      }),
      committer.run((trx) => insert(trx, 3)),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(String((outcomes[0] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/);
    expect(committed()).toEqual([]);
    // The committer goes on with the next group.
    await committer.run((trx) => insert(trx, 4));
    expect(committed()).toEqual([4]);
  });

  it('never acknowledges a unit whose transaction the database ended under it', async () => {
    const outcomes = await Promise.allSettled([
      committer.run((trx) => insert(trx, 1)),
      committer.run(async (trx) => {
        // Stands for SQLite rolling back by itself (a full disk, an I/O error).
        await trx.executeQuery(CompiledQuery.raw('rollback'));
      }),
      committer.run((trx) => insert(trx, 3)),
    ]);
    expect(outcomes[0]?.status).toBe('rejected');
    expect((outcomes[0] as PromiseRejectedResult).reason).toBeInstanceOf(GroupAbortedError);
    expect(outcomes[1]?.status).toBe('rejected');
    // Unit 3 had not run when the group ended: it runs in the next group, on its own.
    expect(outcomes[2]?.status).toBe('fulfilled');
    expect(committed()).toEqual([3]);
  });

  it('waits one turn of the event loop for latecomers before it commits, unless told not to', async () => {
    const seen = async (committer: GroupCommitter, base: number) => {
      const seenByOthers: number[][] = [];
      const unit = (n: number) =>
        committer.run(async (trx) => {
          seenByOthers.push(committed().filter((m) => m >= base));
          await insert(trx, n);
        });
      const first = unit(base + 1);
      // Queued one turn later, as a request whose bytes came in the next poll of the event loop.
      await new Promise<void>((resume) => setImmediate(resume));
      const second = unit(base + 2);
      await Promise.all([first, second]);
      return seenByOthers;
    };
    expect(await seen(committer, 10)).toEqual([[], []]);
    const eager = createGroupCommitter(database.db, {
      waitTurns: 0,
      inTransaction: () => sqliteFileOf(database.db)?.inTransaction ?? false,
    });
    expect(await seen(eager, 20)).toEqual([[], [21]]);
  });

  it('never keeps its transaction open across a turn of the event loop', async () => {
    const file = sqliteFileOf(database.db);
    const seenOpen: boolean[] = [];
    let polling = true;
    const poll = () => {
      seenOpen.push(file?.inTransaction ?? false);
      if (polling) setImmediate(poll);
    };
    setImmediate(poll);
    const units: Promise<unknown>[] = [];
    for (let turn = 0; turn < 6; turn += 1) {
      for (let i = 0; i < 3; i += 1) units.push(committer.run((trx) => insert(trx, turn * 10 + i)));
      await new Promise<void>((resume) => setImmediate(resume));
    }
    await Promise.all(units);
    polling = false;
    expect(committed()).toHaveLength(18);
    expect(seenOpen.length).toBeGreaterThan(3);
    expect(seenOpen.filter(Boolean)).toEqual([]);
  });

  it('caps the size of a group', async () => {
    const small = createGroupCommitter(database.db, {
      maxGroupSize: 2,
      inTransaction: () => sqliteFileOf(database.db)?.inTransaction ?? false,
    });
    const seenByOthers: number[][] = [];
    await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        small.run(async (trx) => {
          seenByOthers.push(committed());
          await insert(trx, n);
        }),
      ),
    );
    expect(seenByOthers).toEqual([[], [], [1, 2], [1, 2], [1, 2, 3, 4]]);
  });

  it('reports idle once everything queued has settled', async () => {
    const order: string[] = [];
    void committer.run(async (trx) => {
      await insert(trx, 1);
      order.push('unit');
    });
    await committer.idle();
    order.push('idle');
    expect(order).toEqual(['unit', 'idle']);
    expect(committed()).toEqual([1]);
    await committer.idle();
  });
});
