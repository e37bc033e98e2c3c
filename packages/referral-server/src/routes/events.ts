import type { Event, EventListQuery, EventType } from '@tahaffuz/referral-contract';
import type { OperationHandler } from '../http/create-app.js';
import { HttpProblem } from '../http/http-problem.js';
import { decodePageToken, encodePageToken } from '../http/page-token.js';
import type { EventsTable } from '../storage/schema.js';

/** A stored event in its wire shape. */
function eventFromRow(row: Pick<EventsTable, 'id' | 'type' | 'created_at' | 'data'>): Event {
  return { id: row.id, type: row.type as EventType, created_at: row.created_at, data: JSON.parse(row.data) as Event['data'] };
}

/*
 * The feed lists events in sequence order. `after` names the last event a system saw (an id, so it
 * survives a restore), `page_token` continues a listing; both become a sequence number.
 */
const listEvents: OperationHandler = async ({ ctx, key, query: rawQuery }) => {
  const query = rawQuery as EventListQuery;
  let afterSeq = 0;
  if (query.page_token !== undefined) {
    const [seq] = decodePageToken(query.page_token, 1);
    afterSeq = Number(seq);
    if (!Number.isSafeInteger(afterSeq))
      throw new HttpProblem('validation', { invalidParams: [{ name: 'page_token', reason: 'not a token from a previous page' }] });
  } else if (query.after !== undefined) {
    const anchor = await ctx.db
      .selectFrom('events')
      .select('seq')
      .where('id', '=', query.after)
      .where('mode', '=', key.mode)
      .executeTakeFirst();
    if (anchor === undefined) throw new HttpProblem('not-found', { detail: `No event ${query.after} for this key.` });
    afterSeq = Number(anchor.seq);
  }
  let select = ctx.db
    .selectFrom('events')
    .select(['seq', 'id', 'type', 'created_at', 'data'])
    .where('mode', '=', key.mode)
    .where('seq', '>', afterSeq)
    .where('organization_ids', 'like', `%"${key.organization_id}"%`);
  if (query.type !== undefined) select = select.where('type', '=', query.type);
  const rows = await select
    .orderBy('seq')
    .limit(query.page_size + 1)
    .execute();
  const page = rows.slice(0, query.page_size);
  const last = page.at(-1);
  return Response.json({
    data: page.map(eventFromRow),
    next_page_token: rows.length > query.page_size && last !== undefined ? encodePageToken([String(last.seq)]) : null,
  });
};

/** The events feed. */
export const eventHandlers: Readonly<Record<string, OperationHandler>> = { 'events.list': listEvents };
