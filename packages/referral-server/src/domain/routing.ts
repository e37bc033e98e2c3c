import { resolveIntakeOrganization } from '@tahaffuz/referral-contract';
import type { Kysely } from 'kysely';
import { HttpProblem } from '../http/http-problem.js';
import type { Database } from '../storage/schema.js';

/** The routing-table key of the national default. */
export const NATIONAL_DEFAULT = '*';

/** The intake organisation responsible for an admin area, from the stored routing table. */
export async function routeReport(db: Kysely<Database>, adminArea: string): Promise<string> {
  const rows = await db.selectFrom('routing').select(['admin_area', 'organization_id']).execute();
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
