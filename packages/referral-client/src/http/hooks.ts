/** What a hook learns about an attempt: the operation and ids, never bodies or personal data. */
export interface RequestInfo {
  /** The operation id, e.g. `reports.create`. */
  readonly operation: string;
  readonly method: string;
  /** Absolute URL; paths and filters carry ids and codes only. */
  readonly url: string;
  /** 1 for the first attempt of a call, 2 for its first retry, and so on. */
  readonly attempt: number;
  /** The call's `Idempotency-Key` (POST only). */
  readonly idempotencyKey: string | undefined;
}

/** A response arrived for an attempt (any status). */
export interface ResponseInfo extends RequestInfo {
  readonly status: number;
  /** The server's `X-Request-Id`. */
  readonly requestId: string | undefined;
  /** Time from sending to having read the whole body, in milliseconds. */
  readonly durationMs: number;
}

/** The client is about to wait and try again. */
export interface RetryInfo extends RequestInfo {
  /** What failed: an HTTP status, `network` or `timeout`. */
  readonly reason: number | 'network' | 'timeout';
  /** How long the client waits before the next attempt, in milliseconds. */
  readonly delayMs: number;
}

/**
 * Observation hooks, e.g. for metrics and logs. They receive ids, statuses and timings only; an
 * exception thrown by a hook fails the call.
 */
export interface ClientHooks {
  /** Called before each attempt is sent. */
  readonly beforeRequest?: ((info: RequestInfo) => void) | undefined;
  /** Called when an attempt receives a response, whatever its status. */
  readonly afterResponse?: ((info: ResponseInfo) => void) | undefined;
  /** Called before the client waits to retry. */
  readonly beforeRetry?: ((info: RetryInfo) => void) | undefined;
}
