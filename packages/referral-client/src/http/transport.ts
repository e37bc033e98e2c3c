import {
  type ReferralApiError,
  describeInvalidParams,
  describeStatus,
  problemCode,
  type ProblemDetails,
} from '../errors/referral-api-error.js';
import { RateLimitError, errorClassForStatus } from '../errors/status-errors.js';
import { NetworkError, TimeoutError } from '../errors/transport-errors.js';
import { ResponseValidationError } from '../errors/validation-errors.js';
import { abortableDelay } from './abortable-delay.js';
import type { ClientHooks, RequestInfo } from './hooks.js';
import { readProblem } from './problem.js';
import { backoffDelay, isRetryable, parseRetryAfter, type AttemptOutcome, type RetryOptions, type TimeoutOptions } from './retry-policy.js';

/**
 * A `fetch` implementation: the global one, or any function with its signature. The client calls
 * it with the URL as a string and a `RequestInit` carrying the attempt's own `signal`.
 */
export type FetchFunction = (input: globalThis.RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/** A query string value; arrays repeat the parameter. */
export type QueryValue = string | number | boolean | null | undefined | readonly (string | number | boolean)[];

/** One call to the API, before retries. */
export interface TransportRequest {
  readonly operation: string;
  readonly method: string;
  /** Path from the API root, starting with `/v1/`, parameters already filled in. */
  readonly path: string;
  readonly query?: Readonly<Record<string, QueryValue>> | undefined;
  readonly body?: unknown;
  readonly idempotencyKey?: string | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** A successful response, body parsed as JSON (`undefined` when empty). */
export interface TransportResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
  readonly requestId: string | undefined;
  readonly method: string;
  readonly url: string;
}

/** Everything the transport needs; the client fills in the defaults. */
export interface TransportOptions {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly fetch?: FetchFunction | undefined;
  readonly retry: RetryOptions;
  readonly timeout: TimeoutOptions;
  readonly hooks?: ClientHooks | undefined;
  /** Source of randomness for the backoff jitter. */
  readonly random?: (() => number) | undefined;
}

/** Sends one call: attempts, timeouts, retries and error mapping. */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

/** Distinguishes our per-attempt timer from every other reason an attempt can fail. */
class AttemptTimedOut {
  constructor(readonly limit: number) {}
}

/** Joins the base URL (which may carry a path prefix) with an API path and query. */
function buildUrl(baseUrl: string, path: string, query?: Readonly<Record<string, QueryValue>>): string {
  const url = new URL(baseUrl.replace(/\/+$/u, '') + path);
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      for (const item of value as readonly (string | number | boolean)[]) url.searchParams.append(name, String(item));
    } else {
      url.searchParams.append(name, String(value));
    }
  }
  return url.href;
}

function parseBody(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

function httpErrorMessage(method: string, url: string, status: number, problem: ProblemDetails | undefined): string {
  const head = `${method} ${url} failed: ${describeStatus(status)}`;
  if (problem === undefined) return head;
  const params = problem.invalid_params ?? [];
  const detail =
    params.length > 0
      ? describeInvalidParams(params, 3, problem.invalid_params_total ?? params.length)
      : (problem.detail ?? problem.title ?? problemCode(problem.type));
  return detail === '' || detail === 'about:blank' ? head : `${head} — ${detail}`;
}

function withAttempts(message: string, attempts: number): string {
  return attempts > 1 ? `${message} (after ${attempts} attempts)` : message;
}

/** What every attempt of a call sends. */
interface CallInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
}

/**
 * Creates the function that performs API calls for a client.
 *
 * Attempts go to `fetch` directly, not through ky: the transport owns retries, timeouts and error
 * mapping, and ky's per-call `Request` construction and clone cost more than the rest of the
 * client's overhead together (docs/decisions/0011-client-fetch-without-ky.md).
 */
export function createTransport(options: TransportOptions): Transport {
  const { retry, timeout, hooks = {} } = options;
  const random = options.random ?? Math.random;
  const customFetch = options.fetch;
  const authorization = `Bearer ${options.apiKey}`;

  function attemptOnce(
    url: string,
    init: CallInit,
    limit: number,
    signal: AbortSignal | undefined,
  ): Promise<{ response: Response; text: string }> {
    const controller = new AbortController();
    const attemptInit: RequestInit = { ...init, signal: controller.signal };
    return new Promise((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        cleanup();
        controller.abort(signal?.reason);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        cleanup();
        const reason = new AttemptTimedOut(limit);
        controller.abort(reason);
        reject(reason);
      }, limit);
      signal?.addEventListener('abort', onAbort, { once: true });
      // Called as `globalThis.fetch(…)` when no fetch is given, so that a fetch replaced after the
      // client was created is the one used, and browsers see it called on the global object.
      let sent: Promise<Response>;
      try {
        sent = customFetch === undefined ? globalThis.fetch(url, attemptInit) : customFetch(url, attemptInit);
      } catch (error) {
        // A fetch of the caller's that throws instead of rejecting still fails only this attempt.
        cleanup();
        reject(error);
        return;
      }
      // Reading the body belongs to the attempt: a connection can stall after the headers.
      sent
        .then(async (response) => ({ response, text: await response.text() }))
        .then(
          (result) => {
            cleanup();
            resolve(result);
          },
          (error: unknown) => {
            cleanup();
            reject(error);
          },
        );
    });
  }

  return async function send(request) {
    const { method, operation, idempotencyKey, signal } = request;
    signal?.throwIfAborted();
    const url = buildUrl(options.baseUrl, request.path, request.query);
    const headers: Record<string, string> = { accept: 'application/json', authorization };
    if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
    const init: CallInit = { method, headers };
    if (request.body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(request.body);
    }

    const deadline = Date.now() + timeout.total;
    let lastError: ReferralApiError | undefined;
    for (let attempt = 1; ; attempt += 1) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new TimeoutError(withAttempts(`${method} ${url} failed: no response within the ${timeout.total} ms deadline`, attempt - 1), {
          method,
          url,
          kind: 'deadline',
          timeout: timeout.total,
          cause: lastError,
        });
      }
      const info: RequestInfo = { operation, method, url, attempt, idempotencyKey };
      hooks.beforeRequest?.(info);
      const limitedByDeadline = remaining < timeout.attempt;
      const limit = Math.min(timeout.attempt, remaining);
      const started = Date.now();

      let outcome: AttemptOutcome;
      let retryAfter: number | undefined;
      const settled = await attemptOnce(url, init, limit, signal).then(
        (received) => ({ received, error: undefined }),
        (error: unknown) => ({ received: undefined, error }),
      );
      const { received, error } = settled;
      if (received === undefined) {
        if (signal?.aborted) throw signal.reason;
        if (!(error instanceof AttemptTimedOut)) {
          const reason = error instanceof Error ? error.message : String(error);
          lastError = new NetworkError(withAttempts(`${method} ${url} failed: network error (${reason})`, attempt), {
            method,
            url,
            cause: error,
          });
          outcome = { kind: 'network' };
        } else if (limitedByDeadline) {
          throw new TimeoutError(withAttempts(`${method} ${url} failed: no response within the ${timeout.total} ms deadline`, attempt), {
            method,
            url,
            kind: 'deadline',
            timeout: timeout.total,
            cause: lastError,
          });
        } else {
          lastError = new TimeoutError(withAttempts(`${method} ${url} failed: no response within ${error.limit} ms`, attempt), {
            method,
            url,
            kind: 'attempt',
            timeout: error.limit,
          });
          outcome = { kind: 'timeout' };
        }
      } else {
        const { response, text } = received;
        const { status } = response;
        const requestId = response.headers.get('x-request-id') ?? undefined;
        hooks.afterResponse?.({ ...info, status, requestId, durationMs: Date.now() - started });
        if (response.ok) {
          const parsed = parseBody(text);
          if (!parsed.ok) {
            throw new ResponseValidationError(`${method} ${url} answered ${status} with a body that is not JSON`, {
              method,
              url,
              status,
              requestId,
              operation,
              issues: [],
              body: text,
            });
          }
          return { status, headers: response.headers, body: parsed.value, requestId, method, url };
        }
        const problem = readProblem(text);
        retryAfter = parseRetryAfter(response.headers.get('retry-after'));
        const context = { method, url, status, problem, requestId };
        const message = withAttempts(httpErrorMessage(method, url, status, problem), attempt);
        lastError =
          status === 429
            ? new RateLimitError(message, {
                ...context,
                retryAfter: retryAfter === undefined ? undefined : retryAfter / 1000,
              })
            : new (errorClassForStatus(status))(message, context);
        outcome = { kind: 'status', status, problemCode: problem === undefined ? undefined : problemCode(problem.type) };
      }

      if (attempt > retry.limit || !isRetryable(method, idempotencyKey !== undefined, outcome)) throw lastError;
      if (retryAfter !== undefined && retryAfter > retry.maxRetryAfter) throw lastError;
      const delayMs = retryAfter ?? backoffDelay(attempt, retry, random);
      // Sleeping past the deadline only to fail there helps nobody: report the real failure now.
      if (Date.now() + delayMs >= deadline) throw lastError;
      hooks.beforeRetry?.({
        ...info,
        reason: outcome.kind === 'status' ? outcome.status : outcome.kind,
        delayMs,
      });
      await abortableDelay(delayMs, signal);
    }
  };
}
