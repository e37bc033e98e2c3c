import { ReferralApiError } from '../errors/referral-api-error.js';
import type { ClientHooks } from '../http/hooks.js';
import { DEFAULT_RETRY, DEFAULT_TIMEOUT, type RetryOptions, type TimeoutOptions } from '../http/retry-policy.js';
import type { FetchFunction, TransportOptions } from '../http/transport.js';

/** Options of `createReferralClient()` and `createReportSubmitter()`. */
export interface ReferralClientOptions {
  /** The API's origin, with a path prefix if it has one, e.g. `https://referrals.example.org`. */
  readonly baseUrl: string | URL;
  /**
   * A secret key (`tz_sk_live_…`, `tz_sk_test_…`) for a server, or a publishable key
   * (`tz_pk_…`) for a page, which may only create reports.
   */
  readonly apiKey: string;
  /**
   * The `fetch` to use, e.g. one with a proxy agent or a test double.
   * @default globalThis.fetch
   */
  readonly fetch?: FetchFunction | undefined;
  /**
   * Per-attempt timeout and total deadline in milliseconds; a number sets the per-attempt timeout.
   * @default { attempt: 10_000, total: 60_000 }
   */
  readonly timeout?: number | Partial<TimeoutOptions> | undefined;
  /**
   * Retry settings; a number sets `limit`, `false` turns retries off. The defaults are the ones
   * the lossy-network test of the reference server passes with.
   * @default { limit: 8, backoffBase: 250, backoffCap: 5000, maxRetryAfter: 30_000 }
   */
  readonly retry?: number | false | Partial<RetryOptions> | undefined;
  /**
   * Observation hooks (ids, statuses and timings only).
   * @default {}
   */
  readonly hooks?: ClientHooks | undefined;
}

function resolveRetry(retry: ReferralClientOptions['retry']): RetryOptions {
  if (retry === undefined) return DEFAULT_RETRY;
  if (retry === false) return { ...DEFAULT_RETRY, limit: 0 };
  if (typeof retry === 'number') return { ...DEFAULT_RETRY, limit: retry };
  return { ...DEFAULT_RETRY, ...retry };
}

function resolveTimeout(timeout: ReferralClientOptions['timeout']): TimeoutOptions {
  if (timeout === undefined) return DEFAULT_TIMEOUT;
  if (typeof timeout === 'number') return { ...DEFAULT_TIMEOUT, attempt: timeout };
  return { ...DEFAULT_TIMEOUT, ...timeout };
}

/**
 * Checks a client's options and fills in the defaults, throwing a `ReferralApiError` that names
 * `factory` (the function the caller called) and the bad option.
 */
export function resolveTransportOptions(factory: string, options: ReferralClientOptions): TransportOptions {
  const baseUrl = String(options.baseUrl);
  if (!URL.canParse(baseUrl) || !/^https?:$/u.test(new URL(baseUrl).protocol)) {
    throw new ReferralApiError(`${factory}: baseUrl must be an http(s) URL, got ${JSON.stringify(baseUrl)}`);
  }
  if (typeof options.apiKey !== 'string' || options.apiKey.trim() === '') {
    throw new ReferralApiError(`${factory}: apiKey is required (tz_sk_… or tz_pk_…)`);
  }
  const retry = resolveRetry(options.retry);
  const timeout = resolveTimeout(options.timeout);
  const checkNumber = (name: string, value: number, minimum: number): void => {
    if (!Number.isFinite(value) || value < minimum) {
      throw new ReferralApiError(`${factory}: ${name} must be a number >= ${minimum}, got ${String(value)}`);
    }
  };
  checkNumber('retry.limit', retry.limit, 0);
  checkNumber('retry.backoffBase', retry.backoffBase, 0);
  checkNumber('retry.backoffCap', retry.backoffCap, 0);
  checkNumber('retry.maxRetryAfter', retry.maxRetryAfter, 0);
  checkNumber('timeout.attempt', timeout.attempt, 1);
  checkNumber('timeout.total', timeout.total, 1);
  return { baseUrl, apiKey: options.apiKey, fetch: options.fetch, retry, timeout, hooks: options.hooks };
}
