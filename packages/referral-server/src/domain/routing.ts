import { resolveIntakeOrganization } from '@tahaffuz/referral-contract';
import type { Kysely } from 'kysely';
import { HttpProblem } from '../http/http-problem.js';
import { prepareQuery } from '../storage/prepared-query.js';
import type { Database, RoutingTable } from '../storage/schema.js';

/** The routing-table key of the national default. */
export const NATIONAL_DEFAULT = '*';

/** Admin area codes have at most four segments (`PK-PB-LHR-X`): a rule can only be one of their prefixes. */
const MAX_SEGMENTS = 4;

/*
 * Only the rules that could apply (the national default and the code's own prefixes) are read,
 * through the primary key, instead of the whole table on every report.
 */
const CANDIDATE_RULES = prepareQuery<
  { a0: string; a1: string; a2: string; a3: string },
  Pick<RoutingTable, 'admin_area' | 'organization_id'>
>((db, p) =>
  db.selectFrom('routing').select(['admin_area', 'organization_id']).where('admin_area', 'in', [NATIONAL_DEFAULT, p.a0, p.a1, p.a2, p.a3]),
);

/** `PK-PB-LHR` -> `PK`, `PK-PB`, `PK-PB-LHR` (repeated to fill the four slots). */
function prefixesOf(adminArea: string): { a0: string; a1: string; a2: string; a3: string } {
  const segments = adminArea.split('-');
  const prefixes = segments.slice(0, MAX_SEGMENTS).map((_, i) => segments.slice(0, i + 1).join('-'));
  const at = (i: number) => prefixes[Math.min(i, prefixes.length - 1)] ?? adminArea;
  return { a0: at(0), a1: at(1), a2: at(2), a3: at(3) };
}

/** The intake organisation responsible for an admin area, from the stored routing table. */
export async function routeReport(db: Kysely<Database>, adminArea: string): Promise<string> {
  const { rows } = await CANDIDATE_RULES.execute(db, prefixesOf(adminArea));
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
