import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import type { RateLimitRule } from '../rate-limit/rate-limiter.js';
import type { GroupCommitter } from '../storage/group-commit.js';
import type { DialectName } from '../storage/open-database.js';
import type { Database } from '../storage/schema.js';

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
}

/** Rate limits per API key and per client (a keyed hash of its address). */
export interface RateLimitSettings {
  /** @default { limit: 1200, windowMs: 60_000 } */
  readonly perKey?: RateLimitRule;
  /** @default { limit: 600, windowMs: 60_000 } */
  readonly perClient?: RateLimitRule;
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
  readonly rateLimit: { readonly perKey: RateLimitRule; readonly perClient: RateLimitRule } | false;
  /** Read the client address from `X-Forwarded-For` (only behind a trusted proxy). */
  readonly trustProxy: boolean;
  readonly log: (entry: RequestLogEntry) => void;
  /** Called with an unexpected error of a request (answered 500); must not log personal data. */
  readonly reportError: (requestId: string, error: unknown) => void;
  readonly demo: boolean;
}
