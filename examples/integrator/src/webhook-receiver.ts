import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isReferralApiError, verifyWebhook, type WebhookEventPayload } from '@tahaffuz/referral-client';

/** A webhook the receiver accepted: its `webhook-id` and its verified payload (ids only). */
export interface ReceivedWebhook {
  readonly id: string;
  readonly payload: WebhookEventPayload;
}

/** A running webhook receiver. */
export interface WebhookReceiver {
  /** The URL to subscribe, e.g. `http://127.0.0.1:41234/tahaffuz/webhooks`. */
  readonly url: string;
  /** Verified webhooks, once each (a redelivery of the same `webhook-id` is acknowledged, not kept twice). */
  readonly received: readonly ReceivedWebhook[];
  /** How many requests were refused because their signature or timestamp did not verify. */
  readonly refused: number;
  /**
   * The secrets to verify with. Set it once the subscription exists; during a rotation give the
   * old and the new secret.
   */
  secrets: readonly string[];
  /** Resolves once a verified webhook satisfies `predicate` (or rejects after `timeoutMs`). */
  waitFor(predicate: (webhook: ReceivedWebhook) => boolean, timeoutMs?: number): Promise<ReceivedWebhook>;
  close(): Promise<void>;
}

function readRaw(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/**
 * Starts a webhook receiver on node:http that verifies every delivery with `verifyWebhook()`
 * (Standard Webhooks signature and timestamp) against the raw body, answers 204 to verified ones
 * and 400 to the rest, and keeps each event once. It listens on loopback, which the reference
 * server's webhooks reach only when allow-listed (`--allow-webhook-target 127.0.0.0/8`).
 *
 * @example
 * ```ts
 * const receiver = await startWebhookReceiver({ port: 8788 });
 * const subscription = await admin.webhooks.create({ url: receiver.url, event_types: ['referral.accepted'] });
 * receiver.secrets = [subscription.secret];
 * ```
 */
export async function startWebhookReceiver(
  options: {
    /** @default 0 (a free port) */
    readonly port?: number;
    /** @default '127.0.0.1' */
    readonly host?: string;
    /** Called for each newly verified webhook. */
    readonly onWebhook?: (webhook: ReceivedWebhook) => void;
  } = {},
): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const seen = new Set<string>();
  const waiters = new Set<{ predicate: (webhook: ReceivedWebhook) => boolean; resolve: (webhook: ReceivedWebhook) => void }>();
  const state = { refused: 0, secrets: [] as readonly string[] };

  const server = createServer((request, response) => {
    if (request.method !== 'POST' || request.url !== '/tahaffuz/webhooks') {
      response.writeHead(404).end();
      return;
    }
    readRaw(request)
      .then(async (body) => {
        const payload = await verifyWebhook({ body, headers: request.headers, secret: state.secrets });
        const id = String(request.headers['webhook-id']);
        // Deliveries are at least once: the webhook-id tells a redelivery from a new event.
        if (!seen.has(id)) {
          seen.add(id);
          const webhook = { id, payload };
          received.push(webhook);
          options.onWebhook?.(webhook);
          for (const waiter of waiters) {
            if (waiter.predicate(webhook)) {
              waiters.delete(waiter);
              waiter.resolve(webhook);
            }
          }
        }
        response.writeHead(204).end();
      })
      .catch((error: unknown) => {
        if (isReferralApiError(error, 'WebhookVerificationError')) {
          state.refused += 1;
          response.writeHead(400, { 'content-type': 'text/plain' }).end(error.message);
        } else {
          response.writeHead(500).end();
        }
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;

  return {
    url: `http://${address}:${port}/tahaffuz/webhooks`,
    received,
    get refused() {
      return state.refused;
    },
    get secrets() {
      return state.secrets;
    },
    set secrets(value) {
      state.secrets = value;
    },
    waitFor(predicate, timeoutMs = 30_000) {
      const already = received.find(predicate);
      if (already !== undefined) return Promise.resolve(already);
      return new Promise((resolve, reject) => {
        const waiter = {
          predicate,
          resolve: (webhook: ReceivedWebhook) => {
            clearTimeout(timer);
            resolve(webhook);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`No matching webhook arrived within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
