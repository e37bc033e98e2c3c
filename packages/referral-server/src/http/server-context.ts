import type { Kysely } from 'kysely';
import type { ErasureJournal } from '../domain/erasure-journal.js';
import type { Clock } from '../clock.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import type { TrustedProxies } from '../rate-limit/client-address.js';
import type { RateLimitRule } from '../rate-limit/rate-limiter.js';
import type { GroupCommitter } from '../storage/group-commit.js';
import type { DialectName } from '../storage/open-database.js';
import type { Database } from '../storage/schema.js';
import type { WebhookTargetPolicy } from '../webhooks/target-policy.js';

/** One line of the request log: ids, route, status and timing only, never personal data. */
export interface RequestLogEntry {
  readonly request_id: string;
  readonly method: string;
  /** The route template (`/v1/reports/{id}`), not the concrete path. */
  readonly route: string;
  readonly status: number;
  readonly duration_ms: number;
  readonly key_id?: string;
  readonly operation?: string;
  /** The client closed the connection before its request was read (`status` is then 499, never sent). */
  readonly aborted?: true;
}

/**
 * The ceiling of one publishable key over all its client addresses. While the key's valid requests
 * in the window are past `limit`, each client address gets only `clientAllowance` of its own in the
 * window: spam spread over many addresses is held to a trickle per address, and a genuine reporter,
 * who sends one report (or a few), still gets through.
 */
export interface RateLimitCeiling extends RateLimitRule {
  readonly clientAllowance: number;
}

/** Rate limits per client address (a keyed hash of it), per secret key and per publishable key and client. */
export interface RateLimitSettings {
  /** Every request of one secret key. @default { limit: 1200, windowMs: 60_000 } */
  readonly perKey?: RateLimitRule;
  /** Every request from one client address (IPv6 by /64), whatever its key. @default { limit: 600, windowMs: 60_000 } */
  readonly perClient?: RateLimitRule;
  /** Requests with one publishable key from one client address. @default { limit: 30, windowMs: 60_000 } */
  readonly perPublishableClient?: RateLimitRule;
  /**
   * The valid requests of one publishable key from every address together; see {@link RateLimitCeiling}.
   * @default { limit: 1200, windowMs: 60_000, clientAllowance: 3 }
   */
  readonly publishableCeiling?: RateLimitCeiling;
}

/** {@link RateLimitSettings} with every default filled in. */
export interface ResolvedRateLimits {
  readonly perKey: RateLimitRule;
  readonly perClient: RateLimitRule;
  readonly perPublishableClient: RateLimitRule;
  readonly publishableCeiling: RateLimitCeiling;
}

/** Everything a request handler needs, made once per server. */
export interface ServerContext {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  /** On SQLite: runs each request in a savepoint of a transaction shared by the requests queued with it. */
  readonly groupCommit: GroupCommitter | undefined;
  readonly cipher: FieldCipher;
  readonly clock: Clock;
  readonly leaseMs: number;
  readonly maxBodyBytes: number;
  readonly rateLimit: ResolvedRateLimits | false;
  /** The proxies whose `X-Forwarded-For` hop names the client (none: the header is ignored). */
  readonly trustedProxies: TrustedProxies;
  readonly log: (entry: RequestLogEntry) => void;
  /** Called with an unexpected error of a request (answered 500); must not log personal data. */
  readonly reportError: (requestId: string, error: unknown) => void;
  readonly demo: boolean;
  /** Where erasures are journalled, if anywhere (docs/decisions/0018-erasure-and-restore.md). */
  readonly erasureJournal?: ErasureJournal | undefined;
  /**
   * Moves the SQLite write-ahead log into the main file and empties it, so erased content leaves
   * the log (with `secure_delete`, the main file's old copies are zeroed). Absent on PostgreSQL.
   */
  readonly checkpointWal?: (() => void) | undefined;
  /** Where webhook subscriptions may point. */
  readonly webhookTargets: WebhookTargetPolicy;
  /** Subscriptions one organisation may have in one mode. */
  readonly maxWebhookSubscriptions: number;
}
