import * as z from 'zod/mini';
import { IdSchema, TimestampSchema } from './primitives.js';
import { PageQueryShape } from './list.js';
import { WebhookPauseReasonSchema } from './webhook-pause.js';

/** Every event type, as delivered by `GET /v1/events` and by webhooks. */
export const EVENT_TYPES = [
  'report.received',
  'case.opened',
  'case.closed',
  'referral.requested',
  'referral.accepted',
  'referral.rejected',
  'referral.on_hold',
  'referral.completed',
  'referral.failed',
  'referral.cancelled',
  'consent.withdrawn',
  // Sent to each organisation whose routing (admin areas it receives reports from) changed.
  'routing.changed',
  // Sent to each organisation whose directory entries (the organisation or its services) changed.
  'directory.changed',
  // Sent to an organisation when one of its webhook subscriptions is paused (its target is refused, or it keeps failing).
  'webhook.paused',
] as const;
/** An event type. */
export const EventTypeSchema = /* @__PURE__ */ z.enum(EVENT_TYPES);
/** An event type. */
export type EventType = z.infer<typeof EventTypeSchema>;

/** What an event carries: ids (and for `webhook.paused` a reason category) only, never personal data. */
export const EventDataSchema = /* @__PURE__ */ (() =>
  z.object({
    report_id: z.optional(IdSchema),
    case_id: z.optional(IdSchema),
    referral_id: z.optional(IdSchema),
    consent_id: z.optional(IdSchema),
    service_id: z.optional(IdSchema),
    organization_id: z.optional(IdSchema),
    webhook_subscription_id: z.optional(IdSchema),
    /** Why a subscription was paused (`webhook.paused` only): a category, never an error text. */
    reason: z.optional(WebhookPauseReasonSchema),
  }))();
/** What an event carries. */
export type EventData = z.infer<typeof EventDataSchema>;

/** A state change, as listed by `GET /v1/events?after=` and delivered by webhooks. */
export const EventSchema = /* @__PURE__ */ z.object({
  id: IdSchema,
  type: EventTypeSchema,
  created_at: TimestampSchema,
  data: EventDataSchema,
});
/** An event. */
export type Event = z.infer<typeof EventSchema>;

/** The filters of `GET /v1/events`: `after` an event id, oldest first. */
export const EventListQuerySchema = /* @__PURE__ */ (() =>
  z.strictObject({
    ...PageQueryShape,
    after: z.optional(IdSchema),
    type: z.optional(EventTypeSchema),
  }))();
/** The filters of `GET /v1/events`. */
export type EventListQuery = z.infer<typeof EventListQuerySchema>;
