import * as z from 'zod/mini';

/**
 * Why a webhook subscription is paused: `refused_target` — its URL reaches (or resolves to) an
 * address webhooks may not reach, or a live subscription is not https; `failing` — its deliveries
 * failed too many times in a row (the circuit breaker), retried again after a cool-down.
 */
export const WEBHOOK_PAUSE_REASONS = ['refused_target', 'failing'] as const;
/** Why a webhook subscription is paused. */
export const WebhookPauseReasonSchema = /* @__PURE__ */ z.enum(WEBHOOK_PAUSE_REASONS);
/** Why a webhook subscription is paused. */
export type WebhookPauseReason = z.infer<typeof WebhookPauseReasonSchema>;
