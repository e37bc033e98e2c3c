import type { EventType, WebhookEventPayload, WebhookFailureCategory } from '@tahaffuz/referral-contract';
import type { Kysely } from 'kysely';
import { type Clock, isoAt } from '../clock.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import { newId } from '../ids.js';
import type { DialectName } from '../storage/open-database.js';
import type { Database } from '../storage/schema.js';
import { pauseSubscription } from './pause-subscription.js';
import { type SendOutcome, sendWebhook } from './send-webhook.js';
import { signWebhook } from './signature.js';
import { type WebhookTargetPolicy, WebhookTargetRefused } from './target-policy.js';

/** How webhooks are delivered. */
export interface WebhookSettings {
  /** How often the outbox is polled. @default 1000 */
  readonly pollMs?: number;
  /** Delay before retry number `attempt` (1-based). @default 5 s doubling to 1 h */
  readonly backoffMs?: (attempt: number) => number;
  /** Attempts before a delivery is marked failed. @default 12 */
  readonly maxAttempts?: number;
  /** Per-attempt timeout. @default 10000 */
  readonly timeoutMs?: number;
}

const LEASE_MS = 60_000;

/** What a dispatcher works with. */
export interface WebhookDispatcherOptions {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  readonly cipher: FieldCipher;
  readonly clock: Clock;
  /** Where webhooks may go: checked again before every attempt. */
  readonly policy: WebhookTargetPolicy;
  readonly settings?: WebhookSettings | undefined;
}

function defaultBackoff(attempt: number): number {
  return Math.min(3_600_000, 5_000 * 2 ** (attempt - 1));
}

/**
 * Delivers queued events from the database outbox. Several processes may run it at once: a row is
 * leased before it is sent. A crash leaves the lease to expire and the row is sent again — the
 * receiver deduplicates by `webhook-id`, as Standard Webhooks expects.
 */
export class WebhookDispatcher {
  readonly #db: Kysely<Database>;
  readonly #dialect: DialectName;
  readonly #policy: WebhookTargetPolicy;
  readonly #cipher: FieldCipher;
  readonly #clock: Clock;
  readonly #settings: Required<WebhookSettings>;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(options: WebhookDispatcherOptions) {
    const settings = options.settings ?? {};
    this.#db = options.db;
    this.#dialect = options.dialect;
    this.#policy = options.policy;
    this.#cipher = options.cipher;
    this.#clock = options.clock;
    this.#settings = {
      pollMs: settings.pollMs ?? 1_000,
      backoffMs: settings.backoffMs ?? defaultBackoff,
      maxAttempts: settings.maxAttempts ?? 12,
      timeoutMs: settings.timeoutMs ?? 10_000,
    };
  }

  /** Starts polling. */
  start(): void {
    const tick = () => {
      if (this.#stopped) return;
      this.#running = this.runOnce()
        .then(() => undefined)
        .catch(() => undefined)
        .finally(() => {
          if (!this.#stopped) this.#timer = setTimeout(tick, this.#settings.pollMs).unref();
        });
    };
    this.#timer = setTimeout(tick, 0).unref();
  }

  /** Stops polling and waits for the round in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    await this.#running;
  }

  /** Sends every due delivery once; returns how many were attempted. */
  async runOnce(): Promise<number> {
    const now = this.#clock();
    const due = await this.#db
      .selectFrom('webhook_outbox')
      .innerJoin('webhook_subscriptions', 'webhook_subscriptions.id', 'webhook_outbox.subscription_id')
      .select(['webhook_outbox.id', 'webhook_outbox.lease_until'])
      .where('webhook_outbox.state', '=', 'pending')
      .where('webhook_outbox.next_attempt_at', '<=', isoAt(now))
      .where((eb) => eb.or([eb('webhook_outbox.lease_until', 'is', null), eb('webhook_outbox.lease_until', '<', isoAt(now))]))
      // A paused subscription's deliveries wait (for good, or until its cool-down ends).
      .where((eb) =>
        eb.or([
          eb('webhook_subscriptions.status', '!=', 'paused'),
          eb.and([eb('webhook_subscriptions.paused_until', 'is not', null), eb('webhook_subscriptions.paused_until', '<=', isoAt(now))]),
        ]),
      )
      .orderBy('webhook_outbox.next_attempt_at')
      .limit(20)
      .execute();
    let attempted = 0;
    for (const candidate of due) {
      if (this.#stopped) break;
      let claim = this.#db
        .updateTable('webhook_outbox')
        .set({ lease_until: isoAt(now + LEASE_MS) })
        .where('id', '=', candidate.id)
        .where('state', '=', 'pending');
      claim =
        candidate.lease_until === null ? claim.where('lease_until', 'is', null) : claim.where('lease_until', '=', candidate.lease_until);
      if (Number((await claim.executeTakeFirst()).numUpdatedRows) !== 1) continue;
      await this.#deliver(candidate.id);
      attempted += 1;
    }
    return attempted;
  }

  async #deliver(outboxId: string): Promise<void> {
    const row = await this.#db
      .selectFrom('webhook_outbox')
      .innerJoin('webhook_subscriptions', 'webhook_subscriptions.id', 'webhook_outbox.subscription_id')
      .innerJoin('events', 'events.id', 'webhook_outbox.event_id')
      .select([
        'webhook_outbox.id as outbox_id',
        'webhook_outbox.attempts',
        'webhook_outbox.subscription_id',
        'webhook_subscriptions.mode',
        'webhook_subscriptions.organization_id',
        'webhook_subscriptions.url',
        'webhook_subscriptions.secret_enc',
        'webhook_subscriptions.previous_secret_enc',
        'webhook_subscriptions.previous_secret_expires_at',
        'webhook_subscriptions.deleted_at',
        'webhook_subscriptions.status',
        'webhook_subscriptions.paused_until',
        'events.id as event_id',
        'events.type',
        'events.data',
        'events.created_at',
      ])
      .where('webhook_outbox.id', '=', outboxId)
      .executeTakeFirst();
    if (row === undefined) return;
    if (row.deleted_at !== null || row.status === 'disabled') {
      await this.#db
        .updateTable('webhook_outbox')
        .set({ state: 'failed', lease_until: null, last_error: 'subscription_inactive' })
        .where('id', '=', outboxId)
        .execute();
      return;
    }
    if (row.status === 'paused' && (row.paused_until === null || row.paused_until > isoAt(this.#clock()))) {
      // Paused since this row was picked: held, not attempted.
      await this.#db.updateTable('webhook_outbox').set({ lease_until: null }).where('id', '=', outboxId).execute();
      return;
    }
    const payload: WebhookEventPayload = {
      type: row.type as EventType,
      timestamp: row.created_at,
      data: JSON.parse(row.data) as WebhookEventPayload['data'],
    };
    const body = JSON.stringify(payload);
    const context = `webhook_subscriptions.secret:${row.subscription_id}`;
    const started = this.#clock();
    const secrets = [this.#cipher.decrypt(row.secret_enc, context)];
    // After a rotation the old secret signs too for a grace period, so receivers can switch without losing messages.
    if (row.previous_secret_enc !== null && row.previous_secret_expires_at !== null && row.previous_secret_expires_at > isoAt(started)) {
      secrets.push(this.#cipher.decrypt(row.previous_secret_enc, context));
    }
    const timestamp = Math.floor(started / 1000);
    const headers = {
      'content-type': 'application/json',
      'webhook-id': row.event_id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': secrets.map((secret) => signWebhook(secret, row.event_id, timestamp, body)).join(' '),
      'user-agent': 'tahaffuz-referral-server',
    };
    const outcome = await this.#attempt(row.url, row.mode, headers, body);
    const status = outcome.status;
    const error: WebhookFailureCategory | null = outcome.failure;
    const finished = this.#clock();
    const attempts = row.attempts + 1;
    const succeeded = error === null;
    const failedForGood = !succeeded && attempts >= this.#settings.maxAttempts;
    await this.#db.transaction().execute(async (trx) => {
      await trx
        .insertInto('webhook_deliveries')
        .values({
          id: newId(),
          outbox_id: outboxId,
          subscription_id: row.subscription_id,
          attempted_at: isoAt(started),
          status_code: status,
          error,
          duration_ms: Math.max(0, finished - started),
        })
        .execute();
      await trx
        .updateTable('webhook_outbox')
        .set({
          attempts,
          state: succeeded ? 'delivered' : failedForGood ? 'failed' : 'pending',
          delivered_at: succeeded ? isoAt(finished) : null,
          next_attempt_at: succeeded || failedForGood ? isoAt(finished) : isoAt(finished + this.#settings.backoffMs(attempts)),
          lease_until: null,
          last_response_status: status,
          last_error: error,
          last_attempt_at: isoAt(started),
        })
        .where('id', '=', outboxId)
        .execute();
    });
    if (error === 'refused_target') {
      const subscription = { id: row.subscription_id, mode: row.mode, organization_id: row.organization_id };
      await pauseSubscription(this.#db, this.#dialect, subscription, 'refused_target', null, finished);
    }
  }

  /** Checks the target again (DNS answers change) and sends to the address that was checked. */
  async #attempt(text: string, mode: 'live' | 'test', headers: Record<string, string>, body: string): Promise<SendOutcome> {
    // Real time, not the injected clock: a test's clock may stand still or jump.
    const deadline = performance.now() + this.#settings.timeoutMs;
    let url: URL;
    let target: Awaited<ReturnType<WebhookTargetPolicy['resolve']>>;
    try {
      url = this.#policy.checkUrl(text, mode);
      target = await this.#policy.resolve(url, this.#settings.timeoutMs);
    } catch (cause) {
      return { status: null, failure: cause instanceof WebhookTargetRefused ? 'refused_target' : 'connect_failed' };
    }
    return sendWebhook(url, target, headers, body, Math.max(1, deadline - performance.now()));
  }
}
