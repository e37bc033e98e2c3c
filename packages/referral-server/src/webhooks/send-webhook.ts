import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { WebhookFailureCategory } from '@tahaffuz/referral-contract';
import type { ResolvedTarget } from './target-policy.js';

/** The outcome of one attempt: the status when there was an answer, and a coarse failure category. */
export interface SendOutcome {
  readonly status: number | null;
  readonly failure: WebhookFailureCategory | null;
}

/**
 * POSTs one webhook to `url`, connecting to `target` (the address that was checked) whatever DNS
 * answers now, with TLS still verified against the URL's host name. No redirect is followed. The
 * outcome names a category only: the exact network error would tell which ports of a host listen.
 */
export function sendWebhook(
  url: URL,
  target: ResolvedTarget,
  headers: Readonly<Record<string, string>>,
  body: string,
  timeoutMs: number,
): Promise<SendOutcome> {
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if (options.all === true) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<SendOutcome>((done) => {
    let settled = false;
    const finish = (outcome: SendOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      done(outcome);
    };
    const req = request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: pinned,
        // A fresh connection each time: a pooled socket could have been opened to another address.
        agent: false,
      },
      (response: IncomingMessage) => {
        const status = response.statusCode ?? 0;
        // The body is not read: nothing in it matters, and a receiver could send it forever.
        response.destroy();
        finish({ status, failure: status >= 200 && status <= 299 ? null : 'http_status' });
      },
    );
    const timer = setTimeout(() => {
      finish({ status: null, failure: 'timeout' });
      req.destroy();
    }, timeoutMs);
    timer.unref();
    req.on('error', () => finish({ status: null, failure: 'connect_failed' }));
    req.end(body);
  });
}
