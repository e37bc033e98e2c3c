import type { Kysely } from 'kysely';
import { type Clock, isoAt, systemClock } from '../clock.js';
import { prepareQuery } from '../storage/prepared-query.js';
import type { Database } from '../storage/schema.js';

/** A limit: at most `limit` requests per `windowMs`. */
export interface RateLimitRule {
  readonly limit: number;
  readonly windowMs: number;
}

/** The outcome of one {@link hitRateLimit}. */
export interface RateLimitOutcome {
  readonly allowed: boolean;
  readonly remaining: number;
  /** Seconds until the window ends; what `Retry-After` says on a 429. */
  readonly retryAfterSeconds: number;
}

/*
 * Fixed windows counted in the database with one upsert, so every process behind a load balancer
 * counts against the same bucket. Buckets hold ids or keyed hashes only and expire with their window.
 */

const HIT = prepareQuery<{ bucket: string; windowStart: number; expiresAt: string }, { count: number }>((db, p) =>
  db
    .insertInto('rate_limit_buckets')
    .values({ bucket: p.bucket, window_start: p.windowStart, count: 1, expires_at: p.expiresAt })
    .onConflict((oc) => oc.columns(['bucket', 'window_start']).doUpdateSet((eb) => ({ count: eb('rate_limit_buckets.count', '+', 1) })))
    .returning('count'),
);

/** Counts one request against `bucket` and says whether it is within the rule. */
export async function hitRateLimit(
  db: Kysely<Database>,
  bucket: string,
  rule: RateLimitRule,
  clock: Clock = systemClock,
): Promise<RateLimitOutcome> {
  const now = clock();
  const windowStart = Math.floor(now / rule.windowMs) * rule.windowMs;
  const windowEnd = windowStart + rule.windowMs;
  const { rows } = await HIT.execute(db, { bucket, windowStart, expiresAt: isoAt(windowEnd) });
  const count = Number(rows[0]?.count ?? Number.POSITIVE_INFINITY);
  return {
    allowed: count <= rule.limit,
    remaining: Math.max(0, rule.limit - count),
    retryAfterSeconds: Math.max(1, Math.ceil((windowEnd - now) / 1000)),
  };
}

/** Deletes buckets whose window has ended; returns how many. */
export async function purgeRateLimitBuckets(db: Kysely<Database>, clock: Clock = systemClock): Promise<number> {
  const result = await db.deleteFrom('rate_limit_buckets').where('expires_at', '<=', isoAt(clock())).executeTakeFirst();
  return Number(result.numDeletedRows);
}
