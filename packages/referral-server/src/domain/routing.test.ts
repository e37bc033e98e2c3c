import { resolveIntakeOrganization } from '@tahaffuz/referral-contract';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { isoAt } from '../clock.js';
import { describeEachBackend, type TestDatabase } from '@tahaffuz/test-kit';
import { type OpenDatabase, openDatabase } from '../storage/open-database.js';
import { NATIONAL_DEFAULT, routeReport } from './routing.js';

const ORGS = ['a', 'b', 'c', 'd'].map((letter) => `00000000-0000-4000-8000-00000000000${letter}`);

// Codes from a small alphabet so that tables and reports share prefixes often.
const segment = fc.constantFrom('PB', 'SD', 'LHR', 'KHI', 'X1');
const adminArea = fc
  .tuple(fc.constantFrom('PK', 'AF'), fc.array(segment, { minLength: 0, maxLength: 3 }))
  .map(([country, rest]) => [country, ...rest].join('-'));

describeEachBackend('routing a report', (backend) => {
  let target: TestDatabase;
  let database: OpenDatabase;

  beforeAll(async () => {
    target = await backend.create();
    database = await openDatabase(target.config);
    await database.db
      .insertInto('organizations')
      .values(ORGS.map((id) => ({ id, name: `Org ${id.slice(-1)}`, data: '{}', is_demo: 0, created_at: isoAt(0), updated_at: isoAt(0) })))
      .execute();
  });
  afterAll(async () => {
    await database?.close();
    await target?.cleanup();
  });

  it('reads only the candidate rules and picks what the whole table would (the most specific enclosing rule)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.tuple(adminArea, fc.constantFrom(...ORGS)), { selector: ([area]) => area, maxLength: 12 }).chain((rules) =>
          fc.tuple(
            fc.constant(rules),
            // The report's area: anything, or a rule's own area (at any depth), or one inside it.
            rules.length === 0
              ? adminArea
              : fc.oneof(
                  adminArea,
                  fc.constantFrom(...rules.map(([area]) => area)),
                  fc
                    .tuple(fc.constantFrom(...rules.map(([area]) => area)), segment)
                    .map(([area, more]) => (area.split('-').length < 4 ? `${area}-${more}` : area)),
                ),
          ),
        ),
        fc.constantFrom(...ORGS),
        async ([rules, area], fallback) => {
          await database.db.deleteFrom('routing').execute();
          await database.db
            .insertInto('routing')
            .values([
              { admin_area: NATIONAL_DEFAULT, organization_id: fallback, updated_at: isoAt(0) },
              ...rules.map(([admin_area, organization_id]) => ({ admin_area, organization_id, updated_at: isoAt(0) })),
            ])
            .execute();
          const expected = resolveIntakeOrganization(
            { default_organization_id: fallback, rules: rules.map(([admin_area, organization_id]) => ({ admin_area, organization_id })) },
            area,
          );
          expect(await routeReport(database.db, area)).toBe(expected);
        },
      ),
      { numRuns: backend.name === 'postgres' ? 60 : 150 },
    );
  });

  it('answers 503 with Retry-After when no national default is set', async () => {
    await database.db.deleteFrom('routing').execute();
    await database.db
      .insertInto('routing')
      .values({ admin_area: 'PK-PB', organization_id: ORGS[0] as string, updated_at: isoAt(0) })
      .execute();
    await expect(routeReport(database.db, 'PK-PB-LHR')).rejects.toMatchObject({ status: 503 });
  });
});
