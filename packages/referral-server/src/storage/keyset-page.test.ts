import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { isoAt } from '../clock.js';
import { describeEachBackend, type TestDatabase } from '@tahaffuz/test-kit';
import { keysetPage } from './keyset-page.js';
import { type OpenDatabase, openDatabase } from './open-database.js';

const NAMES = ['Alif', 'Bay', 'Pay', 'Alif Noon', 'bay', 'Zay'];

describeEachBackend('keyset paging', (backend) => {
  let target: TestDatabase;
  let database: OpenDatabase;

  beforeAll(async () => {
    target = await backend.create();
    database = await openDatabase(target.config);
  });
  afterAll(async () => {
    await database?.close();
    await target?.cleanup();
  });

  it('pages through every matching row once, in order, ties on the sort key included, however small the pages and scan chunks', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ name: fc.constantFrom(...NAMES), demo: fc.boolean() }), { maxLength: 40 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 9 }),
        fc.constantFrom('none', 'demo', 'not-demo'),
        async (rows, pageSize, scanChunk, filterKind) => {
          await database.db.deleteFrom('organizations').execute();
          if (rows.length > 0) {
            await database.db
              .insertInto('organizations')
              .values(
                rows.map((row, i) => ({
                  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
                  name: row.name,
                  data: '{}',
                  is_demo: row.demo ? 1 : 0,
                  created_at: isoAt(0),
                  updated_at: isoAt(0),
                })),
              )
              .execute();
          }
          const filter = filterKind === 'none' ? undefined : (row: { is_demo: number }) => (row.is_demo === 1) === (filterKind === 'demo');
          // The database's own order (its collation), unpaged, is the truth.
          const all = await database.db.selectFrom('organizations').selectAll().orderBy('name').orderBy('id').execute();
          const expected = all.filter((row) => filter === undefined || filter(row)).map((row) => row.id);

          const seen: string[] = [];
          let token: string | undefined;
          for (let pages = 0; pages <= rows.length + 1; pages += 1) {
            const { page, next_page_token } = await keysetPage(database.db.selectFrom('organizations').selectAll(), {
              orderBy: 'name',
              keyOf: (row) => [row.name, row.id],
              pageSize,
              pageToken: token,
              scanChunk,
              ...(filter === undefined ? {} : { filter }),
            });
            expect(page.length).toBeLessThanOrEqual(pageSize);
            // A page is only short at the end.
            if (next_page_token !== null) expect(page.length).toBe(pageSize);
            seen.push(...page.map((row) => row.id));
            if (next_page_token === null) break;
            token = next_page_token;
          }
          expect(seen).toEqual(expected);
        },
      ),
      { numRuns: backend.name === 'postgres' ? 40 : 100 },
    );
  });

  it('answers 400 naming page_token for a token it did not make', async () => {
    await expect(
      keysetPage(database.db.selectFrom('organizations').selectAll(), {
        orderBy: 'name',
        keyOf: (row) => [row.name, row.id],
        pageSize: 5,
        pageToken: 'bm90IGEgdG9rZW4',
      }),
    ).rejects.toMatchObject({ status: 400, invalidParams: [{ name: 'page_token' }] });
  });
});
