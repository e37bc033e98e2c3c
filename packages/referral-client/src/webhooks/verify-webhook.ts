import { WebhookEventPayloadSchema, toInvalidParams, type WebhookEventPayload } from '@tahaffuz/referral-contract';
import { safeParse } from 'zod/mini';
import { describeInvalidParams } from '../errors/referral-api-error.js';
import { WebhookVerificationError } from '../errors/webhook-verification-error.js';
import { base64ToBytes } from './base64.js';
import { constantTimeEqual, decodeWebhookSecret, hmacSha256, signedContent } from './webhook-signature.js';

/** Request headers as a `Headers` object or a plain object such as Node's `IncomingHttpHeaders`. */
export type WebhookHeaders = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/** What `verifyWebhook()` needs: the raw request and the subscription's secret(s). */
export interface VerifyWebhookInput {
  /** The raw body exactly as received — never a re-serialised JSON object. */
  readonly body: string | Uint8Array;
  readonly headers: WebhookHeaders;
  /** The `whsec_…` secret, or several while a rotation is under way. */
  readonly secret: string | readonly string[];
  /**
   * How far the `webhook-timestamp` may lie from now, in the past or the future, in seconds.
   * @default 300
   */
  readonly toleranceSeconds?: number | undefined;
  /** The current time in milliseconds since the epoch. @default Date.now() */
  readonly now?: number | undefined;
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers as Record<string, string | readonly string[] | undefined>)) {
    if (key.toLowerCase() !== name) continue;
    return typeof value === 'string' ? value : value?.join(' ');
  }
  return undefined;
}

function required(headers: WebhookHeaders, name: string): string {
  const value = header(headers, name);
  if (value === undefined || value.trim() === '') {
    throw new WebhookVerificationError(`The webhook has no ${name} header`, { reason: 'missing_header' });
  }
  return value.trim();
}

/**
 * Checks the signature and timestamp of a webhook and returns its parsed JSON body; throws a
 * `WebhookVerificationError` otherwise. This is the signature check only (see `verifyWebhook()`).
 */
export async function verifyWebhookSignature(input: VerifyWebhookInput): Promise<unknown> {
  const id = required(input.headers, 'webhook-id');
  const timestampText = required(input.headers, 'webhook-timestamp');
  const signatures = required(input.headers, 'webhook-signature');
  if (!/^\d{1,15}$/u.test(timestampText)) {
    throw new WebhookVerificationError('The webhook-timestamp header is not a number of seconds', {
      reason: 'invalid_timestamp',
    });
  }
  const timestamp = Number(timestampText);
  const tolerance = input.toleranceSeconds ?? 300;
  const now = Math.floor((input.now ?? Date.now()) / 1000);
  if (timestamp < now - tolerance) {
    throw new WebhookVerificationError(`The webhook is older than ${tolerance} s (a replay, or a clock off): refusing it`, {
      reason: 'timestamp_too_old',
    });
  }
  if (timestamp > now + tolerance) {
    throw new WebhookVerificationError(`The webhook is dated more than ${tolerance} s in the future: refusing it`, {
      reason: 'timestamp_in_future',
    });
  }

  const candidates: Uint8Array[] = [];
  for (const entry of signatures.split(' ')) {
    const comma = entry.indexOf(',');
    if (comma === -1 || entry.slice(0, comma) !== 'v1') continue;
    const bytes = base64ToBytes(entry.slice(comma + 1));
    if (bytes !== undefined) candidates.push(bytes);
  }
  const secrets = typeof input.secret === 'string' ? [input.secret] : input.secret;
  if (secrets.length === 0) {
    throw new WebhookVerificationError('No webhook secret was given', { reason: 'invalid_secret' });
  }
  const content = signedContent(id, timestampText, input.body);
  let matched = false;
  for (const secret of secrets) {
    const expected = await hmacSha256(decodeWebhookSecret(secret), content);
    // Compare against every candidate, without stopping early, so timing says nothing.
    for (const candidate of candidates) matched = constantTimeEqual(expected, candidate) || matched;
  }
  if (!matched) {
    throw new WebhookVerificationError('No webhook-signature matches the secret: refusing the webhook', {
      reason: 'no_matching_signature',
    });
  }

  let text: string;
  try {
    text = typeof input.body === 'string' ? input.body : new TextDecoder('utf-8', { fatal: true }).decode(input.body);
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new WebhookVerificationError('The webhook body is signed but is not JSON', {
      reason: 'invalid_payload',
      cause: error,
    });
  }
}

/**
 * Verifies a webhook from the referral API (Standard Webhooks: `webhook-id`,
 * `webhook-timestamp`, `webhook-signature`) and returns its payload, checked against the contract.
 * Pass the raw body as received; throws a `WebhookVerificationError` (answer 400) otherwise.
 *
 * @example
 * ```ts
 * // Any framework: read the raw body, never a re-serialised object.
 * const event = await verifyWebhook({ body: await request.text(), headers: request.headers, secret: process.env.TZ_WEBHOOK_SECRET! });
 * if (event.type === 'referral.accepted') console.log(event.data);
 * ```
 */
export async function verifyWebhook(input: VerifyWebhookInput): Promise<WebhookEventPayload> {
  const payload = await verifyWebhookSignature(input);
  const checked = safeParse(WebhookEventPayloadSchema, payload);
  if (!checked.success) {
    throw new WebhookVerificationError(
      `The webhook is signed but its payload does not match the contract — ${describeInvalidParams(toInvalidParams(checked.error.issues))}`,
      { reason: 'invalid_payload', cause: checked.error },
    );
  }
  return checked.data;
}
