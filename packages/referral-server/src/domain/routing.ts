import { resolveIntakeOrganization } from '@tahaffuz/referral-contract';
import type { Kysely } from 'kysely';
import { HttpProblem } from '../http/http-problem.js';
import { prepareQuery } from '../storage/prepared-query.js';
import type { Database, RoutingTable } from '../storage/schema.js';

/** The routing-table key of the national default. */
export const NATIONAL_DEFAULT = '*';

const ROUTING_TABLE = prepareQuery<Record<string, never>, Pick<RoutingTable, 'admin_area' | 'organization_id'>>((db) =>
  db.selectFrom('routing').select(['admin_area', 'organization_id']),
);

/** The intake organisation responsible for an admin area, from the stored routing table. */
export async function routeReport(db: Kysely<Database>, adminArea: string): Promise<string> {
  const { rows } = await ROUTING_TABLE.execute(db, {});
  const fallback = rows.find((row) => row.admin_area === NATIONAL_DEFAULT);
  if (fallback === undefined) {
    throw new HttpProblem('unavailable', {
      detail: 'No routing table is configured, so the report cannot be routed; an admin must set one. Retry later.',
      headers: { 'retry-after': '60' },
    });
  }
  return resolveIntakeOrganization(
    { default_organization_id: fallback.organization_id, rules: rows.filter((row) => row.admin_area !== NATIONAL_DEFAULT) },
    adminArea,
  );
}
