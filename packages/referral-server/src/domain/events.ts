import { sql, type Kysely } from 'kysely';
import { isoAt } from '../clock.js';
import { newId } from '../ids.js';
import type { DialectName } from '../storage/open-database.js';
import { prepareQuery } from '../storage/prepared-query.js';
import type { Database, Mode, WebhookSubscriptionsTable } from '../storage/schema.js';

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

const INSERT_EVENT = prepareQuery<
  { id: string; mode: Mode; type: string; organizationIds: string; data: string; createdAt: string },
  never
>((db, p) =>
  db.insertInto('events').values({
    id: p.id,
    mode: p.mode,
    type: p.type,
    organization_ids: p.organizationIds,
    data: p.data,
    created_at: p.createdAt,
  }),
);

type QueuedSubscription = Pick<WebhookSubscriptionsTable, 'id' | 'event_types' | 'status' | 'paused_until'>;

/** Subscriptions of one organisation (the usual case: an event concerns one). */
const SUBSCRIPTIONS_OF_ONE = prepareQuery<{ mode: Mode; organizationId: string }, QueuedSubscription>((db, p) =>
  db
    .selectFrom('webhook_subscriptions')
    .select(['id', 'event_types', 'status', 'paused_until'])
    .where('mode', '=', p.mode)
    .where('organization_id', 'in', [p.organizationId])
    .where('deleted_at', 'is', null),
);

/**
 * Appends an event and queues it for every matching webhook subscription, in the caller's
 * transaction, so an event exists exactly when the change that caused it committed.
 */
export async function recordEvent(trx: Kysely<Database>, dialect: DialectName, input: EventInput, now: number): Promise<string> {
  if (dialect === 'postgres') {
    // A sequence hands out numbers in insert order but transactions commit in any order; a
    // reader paging with `after=` would skip a number that commits late. Holding this lock to the
    // end of the transaction makes sequence order equal commit order. (SQLite writers are serial.)
    await sql`select pg_advisory_xact_lock(${EVENT_ORDER_LOCK})`.execute(trx);
  }
  const id = newId();
  const createdAt = isoAt(now);
  const organizations = [...new Set(input.organizationIds)];
  await INSERT_EVENT.execute(trx, {
    id,
    mode: input.mode,
    type: input.type,
    organizationIds: JSON.stringify(organizations),
    data: JSON.stringify(input.data),
    createdAt,
  });
  if (organizations.length > 0) {
    const [onlyOrganization] = organizations;
    const subscriptions =
      organizations.length === 1 && onlyOrganization !== undefined
        ? (await SUBSCRIPTIONS_OF_ONE.execute(trx, { mode: input.mode, organizationId: onlyOrganization })).rows
        : await trx
            .selectFrom('webhook_subscriptions')
            .select(['id', 'event_types', 'status', 'paused_until'])
            .where('mode', '=', input.mode)
            .where('organization_id', 'in', organizations)
            .where('deleted_at', 'is', null)
            .execute();
    // A subscription paused for good (its target is refused) would never send what is queued for it.
    const matching = subscriptions.filter(
      (s) => !(s.status === 'paused' && s.paused_until === null) && (JSON.parse(s.event_types) as string[]).includes(input.type),
    );
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
