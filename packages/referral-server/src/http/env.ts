import type { ApiKey } from '@tahaffuz/referral-contract';

/** Idempotency state of the current POST, set by the idempotency middleware. */
export interface IdempotencyState {
  readonly scope: string;
  readonly key: string;
  readonly leaseToken: string;
  /** When the key was claimed (RFC 3339): the stored response's links to objects are purged with it. */
  readonly claimedAt: string;
  /** Encrypts a response body for storage: stored responses can carry decrypted personal fields. */
  readonly seal: (text: string) => string;
  /** Set once the response was stored inside the request's own transaction. */
  completed: boolean;
}

/** Hono's per-request variables in this server. */
export interface AppEnv {
  Variables: {
    requestId: string;
    /** The request URL, parsed once. */
    url: URL;
    apiKey: ApiKey;
    /** The request body as received, for hashing. */
    rawBody: string;
    /** The parsed JSON body (`undefined` when there was none). */
    body: unknown;
    idempotency: IdempotencyState | undefined;
    routeTemplate: string;
    operationId: string;
    /** Set by a request that erased content: the SQLite WAL is checkpointed once its transaction committed. */
    checkpointWal: boolean | undefined;
  };
}
