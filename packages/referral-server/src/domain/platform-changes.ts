import type { Kysely } from 'kysely';
import type { DialectName } from '../storage/open-database.js';
import type { Database, Mode } from '../storage/schema.js';
import { recordEvent } from './events.js';

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

/**
 * The organisations whose routing changed between two tables: every organisation that gained or
 * lost an admin area (the national default counts as one), so the displaced organisation learns of
 * it as well as the one that now receives the reports.
 */
export function routingChangedOrganizations(before: readonly RoutingRow[], after: readonly RoutingRow[]): string[] {
  const owner = (rows: readonly RoutingRow[]) => new Map(rows.map((r) => [r.admin_area, r.organization_id]));
  const was = owner(before);
  const now = owner(after);
  const changed = new Set<string>();
  for (const area of new Set([...was.keys(), ...now.keys()])) {
    const a = was.get(area);
    const b = now.get(area);
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
