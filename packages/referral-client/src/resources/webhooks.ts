import type { WebhookDelivery, WebhookSubscription, WebhookSubscriptionCreated } from '@tahaffuz/referral-contract';
import type { OperationCaller } from '../client/operation-caller.js';
import type { CallOptions, ListQuery, OperationBody } from '../client/operation-types.js';
import type { PagePromise } from '../pagination/page-promise.js';

/** `tz.webhooks`: your organisation's webhook subscriptions and their delivery logs. */
export interface WebhooksResource {
  /** Subscribes a URL to event types; the answer carries the signing secret, this once. */
  create(input: OperationBody<'webhooks.create'>, options?: CallOptions): Promise<WebhookSubscriptionCreated>;
  list(query?: ListQuery<'webhooks.list'>, options?: CallOptions): PagePromise<WebhookSubscription>;
  delete(id: string, options?: CallOptions): Promise<void>;
  /** Issues a new signing secret (answered this once); the old one keeps signing for a grace period. */
  rotateSecret(id: string, options?: CallOptions): Promise<WebhookSubscriptionCreated>;
  /** A subscription's delivery log. */
  deliveries(id: string, query?: ListQuery<'webhooks.deliveries'>, options?: CallOptions): PagePromise<WebhookDelivery>;
}

/** Builds `tz.webhooks`. */
export function webhooksResource(caller: OperationCaller): WebhooksResource {
  return {
    create: (input, options) => caller.call('webhooks.create', { body: input }, options),
    list: (query, options) => caller.list('webhooks.list', { query }, options),
    delete: async (id, options) => {
      await caller.call('webhooks.delete', { id }, options);
    },
    rotateSecret: (id, options) => caller.call('webhooks.rotateSecret', { id }, options),
    deliveries: (id, query, options) => caller.list('webhooks.deliveries', { id, query }, options),
  };
}
