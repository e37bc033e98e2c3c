/**
 * The integrator example: a caseworker's day on the Tahaffuz referral API through the typed
 * client, and a webhook receiver that verifies Standard Webhooks signatures.
 * @module
 */
export { catchUpEvents, main, type CaseworkerDayOptions, type CaseworkerDayResult } from './caseworker-day.js';
export { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from './webhook-receiver.js';
