import * as z from 'zod/mini';
import { IdSchema, ShortTextSchema, TimestampSchema, uniqueItems } from './primitives.js';
import { EVENT_TYPES, EventDataSchema, EventTypeSchema } from './event.js';
import { PageQueryShape } from './list.js';
import { WebhookPauseReasonSchema } from './webhook-pause.js';

/**
 * Whether a subscription receives deliveries. `paused`: the server holds them — for good while its
 * target is refused, until a cool-down ends while it keeps failing (`paused_reason` says which).
 */
export const WEBHOOK_SUBSCRIPTION_STATUSES = ['enabled', 'disabled', 'paused'] as const;
/** A subscription status. */
export const WebhookSubscriptionStatusSchema = /* @__PURE__ */ z.enum(WEBHOOK_SUBSCRIPTION_STATUSES);
/** A subscription status. */
export type WebhookSubscriptionStatus = z.infer<typeof WebhookSubscriptionStatusSchema>;

/** The pattern of a Standard Webhooks signing secret: `whsec_` and base64 of 24 to 64 bytes. */
export const WEBHOOK_SECRET_PATTERN = /^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/;

/** The body of `POST /v1/webhooks`. */
export const WebhookSubscriptionCreateSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    // http or https here; the server refuses private, loopback, link-local, unique-local, multicast
    // and unspecified targets (after DNS resolution) unless its operator allow-lists them, and http
    // for live subscriptions. `z.httpUrl()` would demand a dotted domain name.
    url: z.url({ protocol: /^https?$/ }),
    event_types: z.array(EventTypeSchema).check(z.minLength(1), z.maxLength(EVENT_TYPES.length), uniqueItems()),
    description: z.optional(ShortTextSchema),
  }))();
/** The body of `POST /v1/webhooks`. */
export type WebhookSubscriptionCreate = z.infer<typeof WebhookSubscriptionCreateSchema>;

/** A webhook subscription of one organisation. */
export const WebhookSubscriptionSchema = /* @__PURE__ */ (() =>
  z.object({
    id: IdSchema,
    organization_id: IdSchema,
    url: z.string(),
    event_types: z.array(EventTypeSchema),
    description: z.nullable(z.string()),
    status: WebhookSubscriptionStatusSchema,
    /** Why it is paused; `null` unless `status` is `paused`. */
    paused_reason: z.nullable(WebhookPauseReasonSchema),
    created_at: TimestampSchema,
    updated_at: TimestampSchema,
  }))();
/** A webhook subscription. */
export type WebhookSubscription = z.infer<typeof WebhookSubscriptionSchema>;

/** A subscription with its signing secret: answered once, by create and by rotate-secret. */
export const WebhookSubscriptionCreatedSchema = /* @__PURE__ */ (() =>
  z.object({
    ...WebhookSubscriptionSchema.shape,
    secret: z.string().check(z.regex(WEBHOOK_SECRET_PATTERN)),
  }))();
/** A subscription with its signing secret. */
export type WebhookSubscriptionCreated = z.infer<typeof WebhookSubscriptionCreatedSchema>;

/** The state of one delivery attempt series. */
export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'succeeded', 'retrying', 'failed'] as const;
/** A delivery status. */
export const WebhookDeliveryStatusSchema = /* @__PURE__ */ z.enum(WEBHOOK_DELIVERY_STATUSES);
/** A delivery status. */
export type WebhookDeliveryStatus = z.infer<typeof WebhookDeliveryStatusSchema>;

/**
 * Why the last attempt of a delivery failed, as a coarse category (the exact network error would
 * tell a port scanner which ports of a host are open): `refused_target` — the target is (or
 * resolves to) an address webhooks may not reach, nothing was sent; `connect_failed` — the host
 * did not resolve, refused or dropped the connection, or TLS failed; `timeout` — no answer within
 * the per-attempt timeout; `http_status` — answered outside 2xx (`last_response_status` says
 * which; redirects are not followed); `subscription_inactive` — the subscription was deleted or
 * disabled before the attempt.
 */
export const WEBHOOK_FAILURE_CATEGORIES = ['refused_target', 'connect_failed', 'timeout', 'http_status', 'subscription_inactive'] as const;
/** Why a delivery attempt failed. */
export const WebhookFailureCategorySchema = /* @__PURE__ */ z.enum(WEBHOOK_FAILURE_CATEGORIES);
/** Why a delivery attempt failed. */
export type WebhookFailureCategory = z.infer<typeof WebhookFailureCategorySchema>;

/** One event's delivery to one subscription, from the outbox. */
export const WebhookDeliverySchema = /* @__PURE__ */ (() =>
  z.object({
    id: IdSchema,
    subscription_id: IdSchema,
    event_id: IdSchema,
    event_type: EventTypeSchema,
    status: WebhookDeliveryStatusSchema,
    attempts: z.int().check(z.gte(0)),
    last_response_status: z.nullable(z.int()),
    last_error: z.nullable(WebhookFailureCategorySchema),
    created_at: TimestampSchema,
    last_attempt_at: z.nullable(TimestampSchema),
    next_attempt_at: z.nullable(TimestampSchema),
    delivered_at: z.nullable(TimestampSchema),
  }))();
/** One delivery. */
export type WebhookDelivery = z.infer<typeof WebhookDeliverySchema>;

/** The query of `GET /v1/webhooks/{id}/deliveries`. */
export const WebhookDeliveryListQuerySchema = /* @__PURE__ */ (() =>
  z.strictObject({
    ...PageQueryShape,
    status: z.optional(WebhookDeliveryStatusSchema),
  }))();
/** The query of `GET /v1/webhooks/{id}/deliveries`. */
export type WebhookDeliveryListQuery = z.infer<typeof WebhookDeliveryListQuerySchema>;

/** The query of `GET /v1/webhooks`. */
export const WebhookSubscriptionListQuerySchema = /* @__PURE__ */ (() => z.strictObject({ ...PageQueryShape }))();
/** The query of `GET /v1/webhooks`. */
export type WebhookSubscriptionListQuery = z.infer<typeof WebhookSubscriptionListQuerySchema>;

/**
 * The body of a webhook request (Standard Webhooks): the event type, when it happened and ids
 * only. The event id travels in the `webhook-id` header.
 */
export const WebhookEventPayloadSchema = /* @__PURE__ */ z.object({
  type: EventTypeSchema,
  timestamp: TimestampSchema,
  data: EventDataSchema,
});
/** The body of a webhook request. */
export type WebhookEventPayload = z.infer<typeof WebhookEventPayloadSchema>;
