import { sql, type Kysely } from 'kysely';
import { isoAt } from '../clock.js';
import { newId } from '../ids.js';
import type { DialectName } from '../storage/open-database.js';
import type { Database, Mode } from '../storage/schema.js';

/** An arbitrary constant naming the PostgreSQL advisory lock that orders event inserts. */
const EVENT_ORDER_LOCK = 7_204_311;

/** A state change to publish: ids only. */
export interface EventInput {
  readonly type: string;
  readonly mode: Mode;
  /** The organisations that may see the event (feed and webhooks). */
  readonly organizationIds: readonly string[];
  readonly data: Readonly<Record<string, string | null>>;
}

/**
 * Appends an event and queues it for every matching webhook subscription, in the caller's
 * transaction, so an event exists exactly when the change that caused it committed.
 */
export async function recordEvent(
  trx: Kysely<Database>,
  dialect: DialectName,
  input: EventInput,
  now: number,
): Promise<string> {
  if (dialect === 'postgres') {
    // A sequence hands out numbers in insert order but transactions commit in any order; a
    // reader paging with `after=` would skip a number that commits late. Holding this lock to the
    // end of the transaction makes sequence order equal commit order. (SQLite writers are serial.)
    await sql`select pg_advisory_xact_lock(${EVENT_ORDER_LOCK})`.execute(trx);
  }
  const id = newId();
  const createdAt = isoAt(now);
  const organizations = [...new Set(input.organizationIds)];
  await trx
    .insertInto('events')
    .values({
      id,
      mode: input.mode,
      type: input.type,
      organization_ids: JSON.stringify(organizations),
      data: JSON.stringify(input.data),
      created_at: createdAt,
    })
    .execute();
  if (organizations.length > 0) {
    const subscriptions = await trx
      .selectFrom('webhook_subscriptions')
      .select(['id', 'event_types'])
      .where('mode', '=', input.mode)
      .where('organization_id', 'in', organizations)
      .where('deleted_at', 'is', null)
      .execute();
    const matching = subscriptions.filter((s) => (JSON.parse(s.event_types) as string[]).includes(input.type));
    if (matching.length > 0) {
      await trx
        .insertInto('webhook_outbox')
        .values(
          matching.map((s) => ({
            id: newId(),
            subscription_id: s.id,
            event_id: id,
            state: 'pending' as const,
            attempts: 0,
            next_attempt_at: createdAt,
            lease_until: null,
            created_at: createdAt,
            delivered_at: null,
          })),
        )
        .execute();
    }
  }
  return id;
}
