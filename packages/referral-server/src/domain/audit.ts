import type { ApiKey } from '@tahaffuz/referral-contract';
import type { Kysely } from 'kysely';
import { isoAt } from '../clock.js';
import { newId } from '../ids.js';
import { prepareQuery } from '../storage/prepared-query.js';
import type { AuditEventsTable, Database, Mode } from '../storage/schema.js';

/** One audit entry: who did or read what; field names, never values. */
export interface AuditInput {
  readonly action: string;
  readonly targetType: string;
  readonly targetId: string;
  readonly changedFields?: readonly string[];
}

const INSERT_ONE = prepareQuery<AuditEventsTable, never>((db, p) =>
  db.insertInto('audit_events').values({
    id: p.id,
    mode: p.mode,
    at: p.at,
    actor_key_id: p.actor_key_id,
    actor_organization_id: p.actor_organization_id,
    actor_role: p.actor_role,
    action: p.action,
    target_type: p.target_type,
    target_id: p.target_id,
    changed_fields: p.changed_fields,
    request_id: p.request_id,
  }),
);

/** Appends audit events (the table is only ever inserted into). */
export async function recordAudit(
  db: Kysely<Database>,
  actor: { readonly key: ApiKey | undefined; readonly mode: Mode; readonly requestId: string; readonly now: number },
  entries: readonly AuditInput[],
): Promise<void> {
  if (entries.length === 0) return;
  const rows = entries.map(
    (entry): AuditEventsTable => ({
      id: newId(),
      mode: actor.mode,
      at: isoAt(actor.now),
      actor_key_id: actor.key?.id ?? null,
      actor_organization_id: actor.key?.organization_id ?? null,
      actor_role: actor.key?.kind === 'publishable' ? 'publishable' : (actor.key?.role ?? null),
      action: entry.action,
      target_type: entry.targetType,
      target_id: entry.targetId,
      changed_fields: JSON.stringify([...(entry.changedFields ?? [])].sort()),
      request_id: actor.requestId,
    }),
  );
  const [only] = rows;
  if (rows.length === 1 && only !== undefined) await INSERT_ONE.execute(db, only);
  else await db.insertInto('audit_events').values(rows).execute();
}
