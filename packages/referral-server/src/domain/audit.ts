import type { ApiKey } from '@tahaffuz/referral-contract';
import type { Kysely } from 'kysely';
import { isoAt } from '../clock.js';
import { newId } from '../ids.js';
import type { Database, Mode } from '../storage/schema.js';

/** One audit entry: who did or read what; field names, never values. */
export interface AuditInput {
  readonly action: string;
  readonly targetType: string;
  readonly targetId: string;
  readonly changedFields?: readonly string[];
}

/** Appends audit events (the table is only ever inserted into). */
export async function recordAudit(
  db: Kysely<Database>,
  actor: { readonly key: ApiKey | undefined; readonly mode: Mode; readonly requestId: string; readonly now: number },
  entries: readonly AuditInput[],
): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insertInto('audit_events')
    .values(
      entries.map((entry) => ({
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
      })),
    )
    .execute();
}
