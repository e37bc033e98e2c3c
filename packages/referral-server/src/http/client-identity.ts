import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import type { Kysely } from 'kysely';
import { clientAddressGroup, resolveClientAddress } from '../rate-limit/client-address.js';
import { hitRateLimit, type RateLimitOutcome, type RateLimitRule } from '../rate-limit/rate-limiter.js';
import type { Database } from '../storage/schema.js';
import type { AppEnv } from './env.js';
import { HttpProblem } from './http-problem.js';
import type { ServerContext } from './server-context.js';

/*
 * The keyed hash of a client address (its rate-limit bucket) is the same on every request from
 * that address: keep the last ones computed instead of an HMAC per request. Memory only, bounded.
 */
const CLIENT_HASH_CACHE_SIZE = 1024;
const clientHashes = new WeakMap<ServerContext['cipher'], Map<string, string>>();

/** The rate-limit bucket of a client address: a keyed hash, so no address is ever stored. */
export function clientBucket(ctx: ServerContext, address: string): string {
  let cache = clientHashes.get(ctx.cipher);
  if (cache === undefined) {
    cache = new Map();
    clientHashes.set(ctx.cipher, cache);
  }
  let hash = cache.get(address);
  if (hash === undefined) {
    hash = ctx.cipher.keyedHash(address, 'rate-limit-client');
    if (cache.size >= CLIENT_HASH_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(address, hash);
  }
  return hash;
}

/** The socket's peer address, `unknown` when the adapter does not say. */
export function peerAddress(c: Context<AppEnv>): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The client's rate-limit identity: its address (past trusted proxies only), IPv6 by /64. */
export function clientAddress(c: Context<AppEnv>, ctx: ServerContext): string {
  return clientAddressGroup(resolveClientAddress(peerAddress(c), c.req.header('x-forwarded-for'), ctx.trustedProxies));
}

/** A 429 problem for a rule, with `Retry-After`. */
export function rateLimited(rule: RateLimitRule, outcome: RateLimitOutcome, detail?: string): HttpProblem {
  return new HttpProblem('rate-limited', {
    detail: `${detail ?? `At most ${rule.limit} requests per ${rule.windowMs / 1000} s.`} Retry after ${outcome.retryAfterSeconds} s.`,
    headers: { 'retry-after': String(outcome.retryAfterSeconds) },
  });
}

/** Counts one request against `bucket`; throws a 429 {@link HttpProblem} past the rule. */
export async function enforceRateLimit(
  ctx: ServerContext,
  bucket: string,
  rule: RateLimitRule,
  db: Kysely<Database> = ctx.db,
): Promise<RateLimitOutcome> {
  const outcome = await hitRateLimit(db, bucket, rule, ctx.clock);
  if (!outcome.allowed) throw rateLimited(rule, outcome);
  return outcome;
}

/**
 * Counts a request outside the API's operations (a preflight, the OpenAPI document, readiness)
 * against its client address's budget; on SQLite inside a group commit like every other write.
 * Without limits configured it does nothing.
 */
export async function limitPerClient(c: Context<AppEnv>, ctx: ServerContext): Promise<void> {
  const limits = ctx.rateLimit;
  if (limits === false) return;
  const bucket = `client:${clientBucket(ctx, clientAddress(c, ctx))}`;
  if (ctx.groupCommit === undefined) {
    await enforceRateLimit(ctx, bucket, limits.perClient);
    return;
  }
  await ctx.groupCommit.run((trx) => enforceRateLimit(ctx, bucket, limits.perClient, trx));
}
