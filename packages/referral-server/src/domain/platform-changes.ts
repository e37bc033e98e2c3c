import { resolveIntakeOrganization, type RoutingTable } from '@tahaffuz/referral-contract';
import type { Kysely } from 'kysely';
import type { DialectName } from '../storage/open-database.js';
import type { Database, Mode } from '../storage/schema.js';
import { recordEvent } from './events.js';
import { NATIONAL_DEFAULT } from './routing.js';

/*
 * Routing and the directory are configuration both modes share (docs/decisions/0007), so a change
 * to them is announced in both modes: a test-mode integration sees the same routing.changed or
 * directory.changed as its live twin. Capacity is per mode and announced in its own mode only.
 */

/** Both modes, in the order their events are written. */
export const BOTH_MODES: readonly Mode[] = ['live', 'test'];

/** One row of the routing table: an admin area (or the national default) and its intake organisation. */
export interface RoutingRow {
  readonly admin_area: string;
  readonly organization_id: string;
}

function tableOf(rows: readonly RoutingRow[]): Pick<RoutingTable, 'default_organization_id' | 'rules'> | undefined {
  const fallback = rows.find((r) => r.admin_area === NATIONAL_DEFAULT);
  if (fallback === undefined) return undefined;
  return { default_organization_id: fallback.organization_id, rules: rows.filter((r) => r.admin_area !== NATIONAL_DEFAULT) };
}

/**
 * The organisations whose routing changed between two tables (rows as stored, the national
 * default under `NATIONAL_DEFAULT`): every organisation that receives the reports of some admin
 * area before and not after, or after and not before — so the displaced organisation learns of it
 * as well as the one that now receives them. A new rule for `PK-SD-KHI` displaces whoever received
 * Karachi's reports through `PK-SD`. Comparing where each area named in either table (and an area
 * no rule names) resolves is enough: any other area resolves as the most precise of those does.
 */
export function routingChangedOrganizations(before: readonly RoutingRow[], after: readonly RoutingRow[]): string[] {
  const was = tableOf(before);
  const now = tableOf(after);
  const changed = new Set<string>();
  const areas = new Set([...before, ...after].map((r) => r.admin_area));
  for (const area of areas) {
    const a = was === undefined ? undefined : resolveIntakeOrganization(was, area);
    const b = now === undefined ? undefined : resolveIntakeOrganization(now, area);
    if (a === b) continue;
    if (a !== undefined) changed.add(a);
    if (b !== undefined) changed.add(b);
  }
  return [...changed].sort();
}

/** Sends `routing.changed` to each of these organisations, in both modes, in the caller's transaction. */
export async function announceRoutingChanged(
  trx: Kysely<Database>,
  dialect: DialectName,
  organizationIds: readonly string[],
  now: number,
): Promise<void> {
  for (const organizationId of organizationIds) {
    for (const mode of BOTH_MODES) {
      await recordEvent(
        trx,
        dialect,
        { type: 'routing.changed', mode, organizationIds: [organizationId], data: { organization_id: organizationId } },
        now,
      );
    }
  }
}

/** Sends `directory.changed` to the organisation whose entry (itself or one of its services) changed. */
export async function announceDirectoryChanged(
  trx: Kysely<Database>,
  dialect: DialectName,
  change: { readonly organizationId: string; readonly serviceId?: string; readonly modes: readonly Mode[] },
  now: number,
): Promise<void> {
  const data = { organization_id: change.organizationId, ...(change.serviceId === undefined ? {} : { service_id: change.serviceId }) };
  for (const mode of change.modes) {
    await recordEvent(trx, dialect, { type: 'directory.changed', mode, organizationIds: [change.organizationId], data }, now);
  }
}
