import type { WebhookPauseReason } from '@tahaffuz/referral-contract';
import type { Kysely } from 'kysely';
import { isoAt } from '../clock.js';
import { recordEvent } from '../domain/events.js';
import type { DialectName } from '../storage/open-database.js';
import type { Database, Mode } from '../storage/schema.js';
import { inTransaction } from '../storage/transaction.js';
import type { WebhookTargetPolicy } from './target-policy.js';

/** The subscription to pause. */
export interface PausedSubscription {
  readonly id: string;
  readonly mode: Mode;
  readonly organization_id: string;
}

/**
 * Pauses an enabled subscription and tells its organisation with a `webhook.paused` event, in one
 * transaction; returns whether it was enabled (a subscription already paused is left as it is, so
 * its owner is told once). `until` ends the pause (the circuit breaker's cool-down); `null` holds
 * it for good — a refused target — and then its pending deliveries fail at once: they would never
 * be sent.
 */
export async function pauseSubscription(
  db: Kysely<Database>,
  dialect: DialectName,
  subscription: PausedSubscription,
  reason: WebhookPauseReason,
  until: number | null,
  now: number,
): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const paused = await trx
      .updateTable('webhook_subscriptions')
      .set({ status: 'paused', paused_reason: reason, paused_until: until === null ? null : isoAt(until), updated_at: isoAt(now) })
      .where('id', '=', subscription.id)
      .where('status', '=', 'enabled')
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (Number(paused.numUpdatedRows) !== 1) return false;
    if (until === null) {
      await trx
        .updateTable('webhook_outbox')
        .set({ state: 'failed', lease_until: null, last_error: 'refused_target' })
        .where('subscription_id', '=', subscription.id)
        .where('state', '=', 'pending')
        .execute();
    }
    await recordEvent(
      trx,
      dialect,
      {
        type: 'webhook.paused',
        mode: subscription.mode,
        organizationIds: [subscription.organization_id],
        data: { organization_id: subscription.organization_id, webhook_subscription_id: subscription.id, reason },
      },
      now,
    );
    return true;
  });
}

/**
 * The start-up pass: pauses every enabled subscription whose stored URL breaks the target rule as
 * far as it can be checked without DNS (an address host, an internal name, http for live), e.g. one
 * created before the rule or while an allow-list was configured. A host name that resolves inside
 * is caught before its next delivery. Returns the ids paused.
 */
export async function pauseRefusedSubscriptions(
  db: Kysely<Database>,
  dialect: DialectName,
  policy: WebhookTargetPolicy,
  now: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('webhook_subscriptions')
    .select(['id', 'mode', 'organization_id', 'url'])
    .where('status', '=', 'enabled')
    .where('deleted_at', 'is', null)
    .execute();
  const paused: string[] = [];
  for (const row of rows) {
    try {
      policy.checkUrl(row.url, row.mode);
    } catch {
      if (await pauseSubscription(db, dialect, row, 'refused_target', null, now)) paused.push(row.id);
    }
  }
  return paused;
}
