import type { OrganizationCreate, RoutingTableUpdate, ServiceCreate } from '@tahaffuz/referral-contract';
import { type Kysely, PostgresAdapter, sql } from 'kysely';
import { isoAt } from '../clock.js';
import { NATIONAL_DEFAULT } from '../domain/routing.js';
import { newId } from '../ids.js';
import type { Database } from '../storage/schema.js';
import { inTransaction } from '../storage/transaction.js';

/** Adds an organisation to the directory; returns its id. */
export async function insertOrganization(
  db: Kysely<Database>,
  input: OrganizationCreate,
  options: { id?: string; isDemo?: boolean; now: number },
): Promise<string> {
  const id = options.id ?? newId();
  const { name, ...rest } = input;
  await db
    .insertInto('organizations')
    .values({
      id,
      name,
      data: JSON.stringify(rest),
      is_demo: options.isDemo === true ? 1 : 0,
      created_at: isoAt(options.now),
      updated_at: isoAt(options.now),
    })
    .execute();
  return id;
}

/** Adds a service to the directory; returns its id. */
export async function insertService(
  db: Kysely<Database>,
  input: ServiceCreate,
  options: { id?: string; isDemo?: boolean; now: number },
): Promise<string> {
  const id = options.id ?? newId();
  const { organization_id, service_type, capacity, coverage, ...rest } = input;
  await db
    .insertInto('services')
    .values({
      id,
      organization_id,
      service_type,
      capacity,
      coverage: JSON.stringify(coverage),
      data: JSON.stringify(rest),
      is_demo: options.isDemo === true ? 1 : 0,
      created_at: isoAt(options.now),
      updated_at: isoAt(options.now),
    })
    .execute();
  return id;
}

/**
 * Replaces the whole routing table in one transaction (a savepoint inside one). On PostgreSQL it
 * first takes a lock on the table that conflicts with itself but not with plain reads, so
 * concurrent replacements run one after another (each sees the last one's rows, and none hits the
 * primary key of rows another is inserting) while readers keep reading the table in force. SQLite
 * runs writers one at a time anyway.
 */
export async function replaceRouting(db: Kysely<Database>, table: RoutingTableUpdate, now: number): Promise<void> {
  await inTransaction(db, async (trx) => {
    if (trx.getExecutor().adapter instanceof PostgresAdapter) await sql`lock table routing in share row exclusive mode`.execute(trx);
    await trx.deleteFrom('routing').execute();
    await trx
      .insertInto('routing')
      .values([
        { admin_area: NATIONAL_DEFAULT, organization_id: table.default_organization_id, updated_at: isoAt(now) },
        ...table.rules.map((rule) => ({ admin_area: rule.admin_area, organization_id: rule.organization_id, updated_at: isoAt(now) })),
      ])
      .execute();
  });
}
