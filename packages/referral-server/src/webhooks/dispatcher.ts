import type { EventType, WebhookEventPayload, WebhookFailureCategory } from '@tahaffuz/referral-contract';
import type { Kysely } from 'kysely';
import { type Clock, isoAt } from '../clock.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import { ReferralServerError } from '../errors.js';
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
  /** Per-attempt timeout, DNS included. @default 5000 */
  readonly timeoutMs?: number;
  /** Attempts in flight at once in this process. @default 16 */
  readonly concurrency?: number;
  /** Attempts in flight at once for one organisation in this process, so one cannot take every slot. @default 4 */
  readonly perOrganization?: number;
  /** Failed attempts in a row after which a subscription is paused (the circuit breaker). @default 5 */
  readonly breakerThreshold?: number;
  /** How long a failing subscription stays paused before it is tried again. @default 600000 (10 min) */
  readonly breakerCooldownMs?: number;
}

const LEASE_MS = 60_000;

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  const chosen = value ?? fallback;
  if (!Number.isInteger(chosen) || chosen < 1) {
    throw new ReferralServerError('invalid_argument', `webhooks.${name} must be a whole number of at least 1, not ${String(value)}.`);
  }
  return chosen;
}

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

/** The rows in turns, one of each organisation per turn, each organisation's rows in their order. */
function roundRobin<T extends { readonly organization_id: string }>(rows: readonly T[]): T[] {
  const queues = new Map<string, T[]>();
  for (const row of rows) {
    const queue = queues.get(row.organization_id);
    if (queue === undefined) queues.set(row.organization_id, [row]);
    else queue.push(row);
  }
  const out: T[] = [];
  for (let turn = 0; out.length < rows.length; turn += 1) {
    for (const queue of queues.values()) {
      const row = queue[turn];
      if (row !== undefined) out.push(row);
    }
  }
  return out;
}

function defaultBackoff(attempt: number): number {
  return Math.min(3_600_000, 5_000 * 2 ** (attempt - 1));
}

/**
 * Delivers queued events from the database outbox. Several processes may run it at once: a row is
 * leased before it is sent. A crash leaves the lease to expire and the row is sent again — the
 * receiver deduplicates by `webhook-id`, as Standard Webhooks expects.
 *
 * Attempts run concurrently: up to `concurrency` at once, at most `perOrganization` of them for one
 * organisation, taken round-robin across organisations, so endpoints of one organisation that hang
 * hold its own slots only. A subscription whose attempts fail `breakerThreshold` times in a row is
 * paused for `breakerCooldownMs` (its organisation gets a `webhook.paused` event), then tried again.
 */
export class WebhookDispatcher {
  readonly #db: Kysely<Database>;
  readonly #dialect: DialectName;
  readonly #policy: WebhookTargetPolicy;
  readonly #cipher: FieldCipher;
  readonly #clock: Clock;
  readonly #settings: Required<WebhookSettings>;
  readonly #inFlight = new Set<Promise<void>>();
  /** Attempts in flight per organisation. */
  readonly #perOrganization = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #filling: Promise<number> | undefined;
  #stopped = false;

  constructor(options: WebhookDispatcherOptions) {
    const settings = options.settings ?? {};
    this.#db = options.db;
    this.#dialect = options.dialect;
    this.#policy = options.policy;
    this.#cipher = options.cipher;
    this.#clock = options.clock;
    this.#settings = {
      pollMs: positiveInteger('pollMs', settings.pollMs, 1_000),
      backoffMs: settings.backoffMs ?? defaultBackoff,
      maxAttempts: positiveInteger('maxAttempts', settings.maxAttempts, 12),
      timeoutMs: positiveInteger('timeoutMs', settings.timeoutMs, 5_000),
      concurrency: positiveInteger('concurrency', settings.concurrency, 16),
      perOrganization: positiveInteger('perOrganization', settings.perOrganization, 4),
      breakerThreshold: positiveInteger('breakerThreshold', settings.breakerThreshold, 5),
      breakerCooldownMs: positiveInteger('breakerCooldownMs', settings.breakerCooldownMs, 600_000),
    };
  }

  /** Starts polling. */
  start(): void {
    const tick = () => {
      if (this.#stopped) return;
      this.#fill()
        .catch(() => undefined)
        .finally(() => {
          if (!this.#stopped) this.#timer = setTimeout(tick, this.#settings.pollMs).unref();
        });
    };
    this.#timer = setTimeout(tick, 0).unref();
  }

  /** Stops polling and waits for the attempts in flight (each ends within the per-attempt timeout). */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    await this.#filling?.catch(() => undefined);
    await Promise.all(this.#inFlight);
  }

  /** Starts every due delivery there is a slot for, waits for them, and returns how many were attempted. */
  async runOnce(): Promise<number> {
    const before = new Set(this.#inFlight);
    const started = await this.#fill();
    await Promise.all([...this.#inFlight].filter((attempt) => !before.has(attempt)));
    return started;
  }

  /** Claims due rows for the free slots and starts them; one fill at a time. */
  #fill(): Promise<number> {
    this.#filling ??= this.#claimAndStart().finally(() => {
      this.#filling = undefined;
    });
    return this.#filling;
  }

  async #claimAndStart(): Promise<number> {
    const free = this.#settings.concurrency - this.#inFlight.size;
    if (free <= 0 || this.#stopped) return 0;
    const now = this.#clock();
    const saturated = [...this.#perOrganization].filter(([, n]) => n >= this.#settings.perOrganization).map(([id]) => id);
    let select = this.#db
      .selectFrom('webhook_outbox')
      .innerJoin('webhook_subscriptions', 'webhook_subscriptions.id', 'webhook_outbox.subscription_id')
      .select(['webhook_outbox.id', 'webhook_outbox.lease_until', 'webhook_subscriptions.organization_id'])
      .where('webhook_outbox.state', '=', 'pending')
      .where('webhook_outbox.next_attempt_at', '<=', isoAt(now))
      .where((eb) => eb.or([eb('webhook_outbox.lease_until', 'is', null), eb('webhook_outbox.lease_until', '<', isoAt(now))]))
      // A paused subscription's deliveries wait (for good, or until its cool-down ends).
      .where((eb) =>
        eb.or([
          eb('webhook_subscriptions.status', '!=', 'paused'),
          eb.and([eb('webhook_subscriptions.paused_until', 'is not', null), eb('webhook_subscriptions.paused_until', '<=', isoAt(now))]),
        ]),
      );
    // An organisation at its limit waits for its own slots: its backlog must not hide others' rows.
    if (saturated.length > 0) select = select.where('webhook_subscriptions.organization_id', 'not in', saturated);
    const due = await select
      .orderBy('webhook_outbox.next_attempt_at')
      .limit(Math.max(50, 4 * free))
      .execute();
    let started = 0;
    for (const candidate of roundRobin(due)) {
      if (this.#stopped || this.#inFlight.size >= this.#settings.concurrency) break;
      const organization = candidate.organization_id;
      if ((this.#perOrganization.get(organization) ?? 0) >= this.#settings.perOrganization) continue;
      let claim = this.#db
        .updateTable('webhook_outbox')
        .set({ lease_until: isoAt(now + LEASE_MS) })
        .where('id', '=', candidate.id)
        .where('state', '=', 'pending');
      claim =
        candidate.lease_until === null ? claim.where('lease_until', 'is', null) : claim.where('lease_until', '=', candidate.lease_until);
      if (Number((await claim.executeTakeFirst()).numUpdatedRows) !== 1) continue;
      this.#perOrganization.set(organization, (this.#perOrganization.get(organization) ?? 0) + 1);
      const attempt: Promise<void> = this.#deliver(candidate.id)
        .catch(async () => {
          // Storage failed mid-attempt: let the lease go so the row is retried at once, not after it expires.
          await this.#db
            .updateTable('webhook_outbox')
            .set({ lease_until: null })
            .where('id', '=', candidate.id)
            .execute()
            .catch(() => undefined);
        })
        .finally(() => {
          this.#inFlight.delete(attempt);
          const left = (this.#perOrganization.get(organization) ?? 1) - 1;
          if (left <= 0) this.#perOrganization.delete(organization);
          else this.#perOrganization.set(organization, left);
          // A slot is free: fill it now rather than at the next poll.
          if (!this.#stopped) void this.#fill().catch(() => undefined);
        });
      this.#inFlight.add(attempt);
      started += 1;
    }
    return started;
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
    const breaker = await this.#db.transaction().execute(async (trx) => {
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
      return this.#countOutcome(trx, row.subscription_id, error, finished);
    });
    const subscription = { id: row.subscription_id, mode: row.mode, organization_id: row.organization_id };
    if (error === 'refused_target') {
      await pauseSubscription(this.#db, this.#dialect, subscription, 'refused_target', null, finished);
    } else if (breaker !== undefined && breaker.failures >= this.#settings.breakerThreshold) {
      const until = finished + this.#settings.breakerCooldownMs;
      if (breaker.status === 'enabled') {
        await pauseSubscription(this.#db, this.#dialect, subscription, 'failing', until, finished);
      } else {
        // The attempt after a cool-down failed too: paused again, and its owner was told already.
        await this.#db
          .updateTable('webhook_subscriptions')
          .set({ paused_until: isoAt(until) })
          .where('id', '=', row.subscription_id)
          .where('status', '=', 'paused')
          .where('paused_reason', '=', 'failing')
          .execute();
      }
    }
  }

  /**
   * The circuit breaker's count, in the attempt's transaction: a success closes it (and ends a
   * failing pause), a failure of the receiver adds one. Returns the count after a failure.
   */
  async #countOutcome(
    trx: Kysely<Database>,
    subscriptionId: string,
    error: WebhookFailureCategory | null,
    at: number,
  ): Promise<{ failures: number; status: 'enabled' | 'disabled' | 'paused' } | undefined> {
    if (error === null) {
      await trx
        .updateTable('webhook_subscriptions')
        .set({ consecutive_failures: 0 })
        .where('id', '=', subscriptionId)
        .where('consecutive_failures', '!=', 0)
        .execute();
      await trx
        .updateTable('webhook_subscriptions')
        .set({ status: 'enabled', paused_reason: null, paused_until: null, updated_at: isoAt(at) })
        .where('id', '=', subscriptionId)
        .where('status', '=', 'paused')
        .where('paused_reason', '=', 'failing')
        .execute();
      return undefined;
    }
    if (error === 'refused_target' || error === 'subscription_inactive') return undefined;
    const counted = await trx
      .updateTable('webhook_subscriptions')
      .set((eb) => ({ consecutive_failures: eb('consecutive_failures', '+', 1) }))
      .where('id', '=', subscriptionId)
      .returning(['consecutive_failures', 'status'])
      .executeTakeFirst();
    return counted === undefined ? undefined : { failures: Number(counted.consecutive_failures), status: counted.status };
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
