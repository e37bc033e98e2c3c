import type { Kysely } from 'kysely';
import { type Clock, isoAt, systemClock } from '../clock.js';
import { prepareQuery } from '../storage/prepared-query.js';
import type { Database } from '../storage/schema.js';

/** A limit: at most `limit` requests in any sliding `windowMs`. */
export interface RateLimitRule {
  readonly limit: number;
  readonly windowMs: number;
}

/** The outcome of one {@link hitRateLimit}. */
export interface RateLimitOutcome {
  readonly allowed: boolean;
  /** The requests counted in the sliding window ending now, this one included (an estimate, see below). */
  readonly count: number;
  readonly remaining: number;
  /** Seconds until one more request would be within the rule; what `Retry-After` says on a 429. */
  readonly retryAfterSeconds: number;
}

/*
 * Sliding-window counters (the estimate of Cloudflare's and nginx's limiters): each bucket keeps a
 * count per fixed window, and the rate at instant t is the current window's count plus the previous
 * window's count weighted by how much of the previous window still lies inside [t - windowMs, t].
 * Unlike fixed windows, a burst at the end of one window and the start of the next is counted
 * together, and nobody can time a flood to the clock-aligned reset. Counted in the database with one
 * upsert that also returns the previous window's count, so every process behind a load balancer
 * counts against the same bucket, and on SQLite the write is part of the request's group commit.
 * Buckets hold ids or keyed hashes only and expire once they can no longer be a previous window.
 */

const HIT = prepareQuery<
  { bucket: string; windowStart: number; previousStart: number; expiresAt: string },
  { count: number; previous: number | null }
>((db, p) =>
  db
    .insertInto('rate_limit_buckets')
    .values({ bucket: p.bucket, window_start: p.windowStart, count: 1, expires_at: p.expiresAt })
    .onConflict((oc) => oc.columns(['bucket', 'window_start']).doUpdateSet((eb) => ({ count: eb('rate_limit_buckets.count', '+', 1) })))
    .returning((eb) => [
      'count',
      eb
        .selectFrom('rate_limit_buckets as previous_window')
        .select('previous_window.count')
        .where('previous_window.bucket', '=', p.bucket)
        .where('previous_window.window_start', '=', p.previousStart)
        .as('previous'),
    ]),
);

/**
 * The sliding-window estimate at `elapsed` ms into the current window, and how long until one more
 * request would fit under `limit`. Pure; exported for its tests.
 */
export function slidingWindow(
  rule: RateLimitRule,
  current: number,
  previous: number,
  elapsed: number,
): { readonly count: number; readonly waitMs: number } {
  const w = rule.windowMs;
  const count = current + previous * ((w - elapsed) / w);
  // One more request fits when current + 1 + previous·(w − e)/w ≤ limit, still in this window …
  const room = rule.limit - current - 1;
  if (room >= previous) return { count, waitMs: 0 };
  if (room >= 0 && previous > 0) {
    const e = w * (1 - room / previous);
    return { count, waitMs: wholeMs(e - elapsed) };
  }
  // … or else in the next one, where this window's count becomes the weighted one.
  const x = current === 0 ? 0 : w * (1 - (rule.limit - 1) / current);
  return { count, waitMs: wholeMs(w - elapsed + Math.max(0, x)) };
}

/** Whole milliseconds, rounded up, without floating-point dust turning 40 000 into 40 001. */
function wholeMs(ms: number): number {
  return Math.max(0, Math.ceil(ms - 1e-6));
}

/** Counts one request against `bucket` and says whether it is within the rule (refused requests count too). */
export async function hitRateLimit(
  db: Kysely<Database>,
  bucket: string,
  rule: RateLimitRule,
  clock: Clock = systemClock,
): Promise<RateLimitOutcome> {
  const now = clock();
  const windowStart = Math.floor(now / rule.windowMs) * rule.windowMs;
  // Kept through the next window, where it is the previous one.
  const expiresAt = isoAt(windowStart + 2 * rule.windowMs);
  const { rows } = await HIT.execute(db, { bucket, windowStart, previousStart: windowStart - rule.windowMs, expiresAt });
  const current = Number(rows[0]?.count ?? Number.POSITIVE_INFINITY);
  const previous = Number(rows[0]?.previous ?? 0);
  const { count, waitMs } = slidingWindow(rule, current, previous, now - windowStart);
  return {
    allowed: count <= rule.limit,
    count,
    remaining: Math.max(0, Math.floor(rule.limit - count)),
    retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
  };
}

/** Deletes buckets that can no longer count in any window; returns how many. */
export async function purgeRateLimitBuckets(db: Kysely<Database>, clock: Clock = systemClock): Promise<number> {
  const result = await db.deleteFrom('rate_limit_buckets').where('expires_at', '<=', isoAt(clock())).executeTakeFirst();
  return Number(result.numDeletedRows);
}
