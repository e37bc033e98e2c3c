import { type Action, type AuditEvent, can, type HistoryQuery, type Role, type TargetType } from '@tahaffuz/referral-contract';
import type { Kysely } from 'kysely';
import { recordAudit } from '../domain/audit.js';
import type { HandlerInput } from '../http/create-app.js';
import { HttpProblem } from '../http/http-problem.js';
import { keysetPage } from '../storage/keyset-page.js';
import type { AuditEventsTable, Database } from '../storage/schema.js';

/** The audit actor of a request. */
export function actorOf(input: Pick<HandlerInput, 'key' | 'requestId' | 'now'>) {
  return { key: input.key, mode: input.key.mode, requestId: input.requestId, now: input.now };
}

/** 404 for an object this key may not see (another organisation's, the other mode's, or none). */
export function notFound(kind: string, id: string | undefined): HttpProblem {
  return new HttpProblem('not-found', { detail: `No ${kind} ${id ?? ''} for this key.` });
}

/** 403 unless the key's role may perform `action`. */
export function requireAction(input: Pick<HandlerInput, 'key'>, action: Action): void {
  const role = input.key.role as Role | null;
  if (role === null || !can(role, action)) {
    throw new HttpProblem('forbidden', { detail: `Role ${role ?? 'none'} may not ${action}.` });
  }
}

/** 400 naming `reason` when a transition needs one. */
export function requireReason(reason: string | undefined, why: string): string {
  if (reason === undefined) throw new HttpProblem('validation', { invalidParams: [{ name: 'reason', reason: `required ${why}` }] });
  return reason;
}

/** Parses a JSON column. */
export function json<T>(text: string): T {
  return JSON.parse(text) as T;
}

/** An audit row in its wire shape. */
export function auditFromRow(row: AuditEventsTable): AuditEvent {
  return {
    id: row.id,
    occurred_at: row.at,
    actor: {
      key_id: row.actor_key_id,
      organization_id: row.actor_organization_id,
      role: row.actor_role === 'publishable' ? null : (row.actor_role as Role | null),
    },
    action: row.action,
    target: { type: row.target_type as TargetType, id: row.target_id },
    changed_fields: JSON.parse(row.changed_fields) as string[],
    request_id: row.request_id,
  };
}

/** The audit history of one object the caller was shown to be allowed to see; the read itself is audited. */
export async function historyResponse(
  input: HandlerInput,
  db: Kysely<Database>,
  targetType: TargetType,
  targetId: string,
): Promise<Response> {
  const query = input.query as HistoryQuery;
  const select = db.selectFrom('audit_events').selectAll().where('target_type', '=', targetType).where('target_id', '=', targetId);
  const { page, next_page_token } = await keysetPage(select, {
    orderBy: 'at',
    keyOf: (r) => [r.at, r.id],
    pageSize: query.page_size,
    pageToken: query.page_token,
  });
  await recordAudit(db, actorOf(input), [{ action: `${targetType}.read_history`, targetType, targetId }]);
  return Response.json({ data: page.map(auditFromRow), next_page_token });
}
