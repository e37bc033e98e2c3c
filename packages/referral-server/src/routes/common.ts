import { type Action, type AuditEvent, can, type HistoryQuery, type Role, type TargetType } from '@tahaffuz/referral-contract';
import type { Kysely } from 'kysely';
import { recordAudit } from '../domain/audit.js';
import type { HandlerInput } from '../http/create-app.js';
import { HttpProblem } from '../http/http-problem.js';
import { decodePageToken, encodePageToken } from '../http/page-token.js';
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

/** One page of rows ordered by (`at`, id), and the token of the next page. */
export function pageOf<T extends { id: string }>(rows: readonly T[], pageSize: number, at: (row: T) => string) {
  const page = rows.slice(0, pageSize);
  const last = page.at(-1);
  return {
    page,
    next_page_token: rows.length > pageSize && last !== undefined ? encodePageToken([at(last), last.id]) : null,
  };
}

/** The (at, id) cursor of a page token. */
export function cursorOf(token: string | undefined): [string, string] | undefined {
  return token === undefined ? undefined : (decodePageToken(token, 2) as [string, string]);
}

function auditFromRow(row: AuditEventsTable): AuditEvent {
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
  const cursor = cursorOf(query.page_token);
  let select = db.selectFrom('audit_events').selectAll().where('target_type', '=', targetType).where('target_id', '=', targetId);
  if (cursor !== undefined) {
    const [at, id] = cursor;
    select = select.where((eb) => eb.or([eb('at', '>', at), eb.and([eb('at', '=', at), eb('id', '>', id)])]));
  }
  const rows = await select.orderBy('at').orderBy('id').limit(query.page_size + 1).execute();
  const { page, next_page_token } = pageOf(rows, query.page_size, (r) => r.at);
  await recordAudit(db, actorOf(input), [{ action: `${targetType}.read_history`, targetType, targetId }]);
  return Response.json({ data: page.map(auditFromRow), next_page_token });
}
