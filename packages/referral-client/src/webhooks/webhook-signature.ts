import { WebhookVerificationError } from '../errors/webhook-verification-error.js';
import { base64ToBytes, bytesToBase64 } from './base64.js';

const SECRET_PREFIX = 'whsec_';
const encoder = new TextEncoder();

/** The key bytes of a `whsec_<base64>` secret (the prefix is optional, as in the reference libraries). */
export function decodeWebhookSecret(secret: string): Uint8Array {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const bytes = base64ToBytes(encoded);
  if (bytes === undefined || bytes.length === 0) {
    throw new WebhookVerificationError('The webhook secret is not `whsec_` followed by base64', {
      reason: 'invalid_secret',
    });
  }
  return bytes;
}

/** `${id}.${timestamp}.` followed by the body's bytes: what Standard Webhooks signs. */
export function signedContent(id: string, timestamp: number | string, body: string | Uint8Array): Uint8Array {
  const head = encoder.encode(`${id}.${timestamp}.`);
  const tail = typeof body === 'string' ? encoder.encode(body) : body;
  const content = new Uint8Array(head.length + tail.length);
  content.set(head, 0);
  content.set(tail, head.length);
  return content;
}

/** HMAC-SHA256 of the signed content with the secret's key, via WebCrypto. */
export async function hmacSha256(key: Uint8Array, content: Uint8Array): Promise<Uint8Array> {
  const cryptoKey = await crypto.subtle.importKey('raw', key as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', cryptoKey, content as BufferSource));
}

/** Compares two byte strings in time that depends on their length only. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let index = 0; index < a.length; index += 1) difference |= (a[index] ?? 0) ^ (b[index] ?? 0);
  return difference === 0;
}

/** What `signWebhook()` signs. */
export interface SignWebhookInput {
  /** The `webhook-id`: unique per message, the same across its delivery attempts. */
  readonly id: string;
  /** The `webhook-timestamp`, in seconds since the epoch. */
  readonly timestamp: number;
  /** The exact body that will be sent. */
  readonly body: string | Uint8Array;
  /** The subscription's `whsec_…` secret. */
  readonly secret: string;
}

/**
 * The `webhook-signature` value for a message: `v1,<base64 HMAC-SHA256>` over
 * `${id}.${timestamp}.${body}` (Standard Webhooks).
 *
 * @example
 * ```ts
 * const signature = await signWebhook({ id: 'msg_1', timestamp: Math.floor(Date.now() / 1000), body, secret });
 * ```
 */
export async function signWebhook(input: SignWebhookInput): Promise<string> {
  const mac = await hmacSha256(decodeWebhookSecret(input.secret), signedContent(input.id, input.timestamp, input.body));
  return `v1,${bytesToBase64(mac)}`;
}
