/** How the client retries a failed attempt. Every field has a default that survives a lossy network. */
export interface RetryOptions {
  /**
   * Retries after the first attempt (so `limit + 1` attempts at most).
   * @default 8
   */
  readonly limit: number;
  /**
   * Backoff before the first retry, doubled for each further one, in milliseconds; the actual wait
   * is drawn uniformly from zero to that value ("full jitter").
   * @default 250
   */
  readonly backoffBase: number;
  /**
   * Upper bound of the backoff before jitter, in milliseconds.
   * @default 5000
   */
  readonly backoffCap: number;
  /**
   * The longest `Retry-After` the client waits for, in milliseconds; a longer one ends the retries
   * and throws (a `RateLimitError` carries `retryAfter` so the caller can come back later).
   * @default 30000
   */
  readonly maxRetryAfter: number;
}

/** How long the client waits. */
export interface TimeoutOptions {
  /**
   * Per-attempt timeout in milliseconds, from sending the request to reading the whole body.
   * @default 10000
   */
  readonly attempt: number;
  /**
   * Total deadline of one call, retries and backoff included, in milliseconds.
   * @default 60000
   */
  readonly total: number;
}

/** The retry defaults: 1,000 creates through a proxy losing 10% of requests and responses end without error. */
export const DEFAULT_RETRY: RetryOptions = Object.freeze({
  limit: 8,
  backoffBase: 250,
  backoffCap: 5000,
  maxRetryAfter: 30_000,
});

/** The timeout defaults. */
export const DEFAULT_TIMEOUT: TimeoutOptions = Object.freeze({ attempt: 10_000, total: 60_000 });

/** Statuses worth another attempt (409 only with problem type `idempotency-in-flight`). */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 409, 429, 500, 502, 503, 504]);

const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** What went wrong with one attempt, as far as the retry decision needs it. */
export type AttemptOutcome =
  | { readonly kind: 'network' }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'status'; readonly status: number; readonly problemCode?: string | undefined };

/**
 * Whether an attempt may be repeated: idempotent methods always, POST and PATCH only with an
 * `Idempotency-Key`; network errors, timeouts and the statuses of `RETRYABLE_STATUSES`, where
 * a 409 counts only as `idempotency-in-flight` (the first request with that key is still running).
 */
export function isRetryable(method: string, hasIdempotencyKey: boolean, outcome: AttemptOutcome): boolean {
  if (!SAFE_METHODS.has(method.toUpperCase()) && !hasIdempotencyKey) return false;
  if (outcome.kind !== 'status') return true;
  if (!RETRYABLE_STATUSES.has(outcome.status)) return false;
  return outcome.status !== 409 || outcome.problemCode === 'idempotency-in-flight';
}

/**
 * The wait before retry number `retry` (1 for the first retry): full jitter over a capped
 * exponential, `random() * min(cap, base * 2 ** (retry - 1))`.
 */
export function backoffDelay(
  retry: number,
  options: Pick<RetryOptions, 'backoffBase' | 'backoffCap'>,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(retry - 1, 0), 30);
  const ceiling = Math.min(options.backoffCap, options.backoffBase * 2 ** exponent);
  return Math.floor(random() * ceiling);
}

const DELTA_SECONDS = /^\s*(\d+(?:\.\d+)?)\s*$/u;

/**
 * Milliseconds to wait according to a `Retry-After` value — delta seconds or an HTTP date —
 * or `undefined` when the header is absent or unreadable. A date in the past gives 0.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const seconds = DELTA_SECONDS.exec(value);
  if (seconds !== null) return Math.round(Number(seconds[1]) * 1000);
  if (!/[a-z]/iu.test(value)) return undefined;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
