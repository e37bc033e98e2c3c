import {
  can,
  type EventType,
  type WebhookDelivery,
  type WebhookDeliveryListQuery,
  type WebhookSubscription,
  type WebhookSubscriptionCreate,
  type WebhookSubscriptionListQuery,
} from '@tahaffuz/referral-contract';
import type { Kysely } from 'kysely';
import { isoAt } from '../clock.js';
import { recordAudit } from '../domain/audit.js';
import type { HandlerInput, OperationHandler, OperationPreparer } from '../http/create-app.js';
import { HttpProblem } from '../http/http-problem.js';
import { respondInTransaction, writeTransaction } from '../http/respond.js';
import { newId } from '../ids.js';
import { keysetPage } from '../storage/keyset-page.js';
import type { Database, Mode, WebhookOutboxTable, WebhookSubscriptionsTable } from '../storage/schema.js';
import { inTransaction } from '../storage/transaction.js';
import { newWebhookSecret } from '../webhooks/signature.js';
import { type WebhookTargetPolicy, WebhookTargetRefused } from '../webhooks/target-policy.js';
import { findApiKey } from '../keys/api-keys.js';
import { actorOf, json, notFound } from './common.js';

function subscriptionFromRow(row: WebhookSubscriptionsTable): WebhookSubscription {
  return {
    id: row.id,
    organization_id: row.organization_id,
    url: row.url,
    event_types: json<EventType[]>(row.event_types),
    description: row.description,
    status: row.status,
    paused_reason: row.paused_reason,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

async function ownSubscription(
  db: Kysely<Database>,
  input: Pick<HandlerInput, 'key'>,
  id: string | undefined,
): Promise<WebhookSubscriptionsTable> {
  const row = await db
    .selectFrom('webhook_subscriptions')
    .selectAll()
    .where('id', '=', id ?? '')
    .where('mode', '=', input.key.mode)
    .where('organization_id', '=', input.key.organization_id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (row === undefined) throw notFound('webhook subscription', id);
  return row;
}

/**
 * How long a subscription waits for its host to resolve, before its transaction opens. A host that
 * does not resolve in time (or at all) is accepted, and checked again before every delivery.
 */
const SUBSCRIBE_RESOLVE_MS = 3_000;
/** The same, should the check have to run inside the transaction (where it holds SQLite's writer). */
const IN_TRANSACTION_RESOLVE_MS = 500;

/** Why a URL is refused as a webhook target, or `undefined` when it may be subscribed. */
async function refusalOf(policy: WebhookTargetPolicy, url: string, mode: Mode, timeoutMs: number): Promise<string | undefined> {
  try {
    await policy.resolve(policy.checkUrl(url, mode), timeoutMs);
    return undefined;
  } catch (error) {
    return error instanceof WebhookTargetRefused ? error.message : undefined;
  }
}

/** The target check of a subscription's URL, made before the transaction. */
interface PreparedTarget {
  readonly url: string;
  readonly mode: Mode;
  readonly refusal: string | undefined;
}

/**
 * Resolves the URL's host before the request's transaction opens, for a caller whose key may
 * manage webhooks: nobody else makes this server look names up.
 */
const prepareTarget: OperationPreparer = async ({ c, ctx, bodyText }): Promise<PreparedTarget | undefined> => {
  if (bodyText === undefined) return undefined;
  const token = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
  const key = token === undefined ? undefined : await findApiKey(ctx.db, token);
  if (key === undefined || key.role === null || !can(key.role, 'webhooks:manage')) return undefined;
  const url: unknown = (JSON.parse(bodyText) as { url?: unknown } | null)?.url;
  if (typeof url !== 'string') return undefined;
  return { url, mode: key.mode, refusal: await refusalOf(ctx.webhookTargets, url, key.mode, SUBSCRIBE_RESOLVE_MS) };
};

async function checkTarget(input: HandlerInput, url: string): Promise<void> {
  const prepared = input.prepared as PreparedTarget | undefined;
  const refusal =
    prepared !== undefined && prepared.url === url && prepared.mode === input.key.mode
      ? prepared.refusal
      : await refusalOf(input.ctx.webhookTargets, url, input.key.mode, IN_TRANSACTION_RESOLVE_MS);
  if (refusal === undefined) return;
  throw new HttpProblem('validation', {
    detail: `This URL cannot receive webhooks: it ${refusal}.`,
    invalidParams: [{ name: 'url', reason: refusal }],
  });
}

const createSubscription: OperationHandler = Object.assign(
  async (input: HandlerInput) => {
    const body = input.body as WebhookSubscriptionCreate;
    await checkTarget(input, body.url);
    const id = newId();
    const secret = newWebhookSecret();
    const at = isoAt(input.now);
    const row: WebhookSubscriptionsTable = {
      id,
      mode: input.key.mode,
      organization_id: input.key.organization_id,
      url: body.url,
      event_types: JSON.stringify(body.event_types),
      description: body.description ?? null,
      status: 'enabled',
      paused_reason: null,
      paused_until: null,
      consecutive_failures: 0,
      secret_enc: input.ctx.cipher.encrypt(secret, `webhook_subscriptions.secret:${id}`),
      previous_secret_enc: null,
      previous_secret_expires_at: null,
      created_at: at,
      updated_at: at,
      deleted_at: null,
    };
    return writeTransaction(input.ctx.db, async (trx) => {
      const limit = input.ctx.maxWebhookSubscriptions;
      const { count } = await trx
        .selectFrom('webhook_subscriptions')
        .select((eb) => eb.fn.countAll<number | string | bigint>().as('count'))
        .where('organization_id', '=', input.key.organization_id)
        .where('mode', '=', input.key.mode)
        .where('deleted_at', 'is', null)
        .executeTakeFirstOrThrow();
      if (Number(count) >= limit) {
        throw new HttpProblem('webhook-subscription-limit', {
          detail: `An organisation may have ${limit} webhook subscriptions in ${input.key.mode} mode, and this one has ${Number(count)}; delete one first (one subscription can take several event types).`,
        });
      }
      await trx.insertInto('webhook_subscriptions').values(row).execute();
      await recordAudit(trx, actorOf(input), [
        { action: 'webhook_subscription.create', targetType: 'webhook_subscription', targetId: id, changedFields: Object.keys(body) },
      ]);
      return respondInTransaction(input.c, trx, 201, { ...subscriptionFromRow(row), secret });
    });
  },
  { prepare: prepareTarget },
);

const listSubscriptions: OperationHandler = async (input) => {
  const query = input.query as WebhookSubscriptionListQuery;
  const select = input.ctx.db
    .selectFrom('webhook_subscriptions')
    .selectAll()
    .where('mode', '=', input.key.mode)
    .where('organization_id', '=', input.key.organization_id)
    .where('deleted_at', 'is', null);
  const { page, next_page_token } = await keysetPage(select, {
    orderBy: 'created_at',
    keyOf: (r) => [r.created_at, r.id],
    pageSize: query.page_size,
    pageToken: query.page_token,
  });
  return Response.json({ data: page.map(subscriptionFromRow), next_page_token });
};

const deleteSubscription: OperationHandler = async (input) => {
  const row = await ownSubscription(input.ctx.db, input, input.params.id);
  await inTransaction(input.ctx.db, async (trx) => {
    await trx
      .updateTable('webhook_subscriptions')
      .set({ deleted_at: isoAt(input.now), updated_at: isoAt(input.now) })
      .where('id', '=', row.id)
      .execute();
    await recordAudit(trx, actorOf(input), [
      { action: 'webhook_subscription.delete', targetType: 'webhook_subscription', targetId: row.id, changedFields: ['deleted_at'] },
    ]);
  });
  return new Response(null, { status: 204 });
};

/** A rotated secret signs from now on; the old one signs beside it for 24 hours (Standard Webhooks allows several signatures). */
const rotateSecret: OperationHandler = async (input) =>
  writeTransaction(input.ctx.db, async (trx) => {
    const row = await ownSubscription(trx, input, input.params.id);
    const secret = newWebhookSecret();
    const at = isoAt(input.now);
    const update = {
      secret_enc: input.ctx.cipher.encrypt(secret, `webhook_subscriptions.secret:${row.id}`),
      previous_secret_enc: row.secret_enc,
      previous_secret_expires_at: isoAt(input.now + 24 * 3_600_000),
      updated_at: at,
    };
    await trx.updateTable('webhook_subscriptions').set(update).where('id', '=', row.id).execute();
    await recordAudit(trx, actorOf(input), [
      { action: 'webhook_subscription.rotate_secret', targetType: 'webhook_subscription', targetId: row.id, changedFields: ['secret'] },
    ]);
    return respondInTransaction(input.c, trx, 200, { ...subscriptionFromRow({ ...row, ...update }), secret });
  });

function deliveryStatus(row: WebhookOutboxTable): WebhookDelivery['status'] {
  if (row.state === 'delivered') return 'succeeded';
  if (row.state === 'failed') return 'failed';
  return row.attempts === 0 ? 'pending' : 'retrying';
}

const listDeliveries: OperationHandler = async (input) => {
  const sub = await ownSubscription(input.ctx.db, input, input.params.id);
  const query = input.query as WebhookDeliveryListQuery;
  let select = input.ctx.db
    .selectFrom('webhook_outbox')
    .innerJoin('events', 'events.id', 'webhook_outbox.event_id')
    .selectAll('webhook_outbox')
    .select('events.type as event_type')
    .where('webhook_outbox.subscription_id', '=', sub.id);
  if (query.status === 'succeeded') select = select.where('webhook_outbox.state', '=', 'delivered');
  if (query.status === 'failed') select = select.where('webhook_outbox.state', '=', 'failed');
  if (query.status === 'pending') select = select.where('webhook_outbox.state', '=', 'pending').where('webhook_outbox.attempts', '=', 0);
  if (query.status === 'retrying') select = select.where('webhook_outbox.state', '=', 'pending').where('webhook_outbox.attempts', '>', 0);
  const { page, next_page_token } = await keysetPage(select, {
    orderBy: 'webhook_outbox.created_at',
    idColumn: 'webhook_outbox.id',
    keyOf: (r) => [r.created_at, r.id],
    pageSize: query.page_size,
    pageToken: query.page_token,
  });
  const data: WebhookDelivery[] = page.map((r) => ({
    id: r.id,
    subscription_id: r.subscription_id,
    event_id: r.event_id,
    event_type: r.event_type as EventType,
    status: deliveryStatus(r),
    attempts: r.attempts,
    last_response_status: r.last_response_status,
    last_error: r.last_error,
    created_at: r.created_at,
    last_attempt_at: r.last_attempt_at,
    next_attempt_at: r.state === 'pending' ? r.next_attempt_at : null,
    delivered_at: r.delivered_at,
  }));
  return Response.json({ data, next_page_token });
};

/** The webhook subscription operations. */
export const webhookHandlers: Readonly<Record<string, OperationHandler>> = {
  'webhooks.create': createSubscription,
  'webhooks.list': listSubscriptions,
  'webhooks.delete': deleteSubscription,
  'webhooks.rotateSecret': rotateSecret,
  'webhooks.deliveries': listDeliveries,
};
