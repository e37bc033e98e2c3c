import type { Kysely } from 'kysely';
import { type Clock, isoAt, systemClock } from '../clock.js';
import { randomPoolBytes } from '../random-pool.js';
import { prepareQuery } from '../storage/prepared-query.js';
import type { Database, IdempotencyKeysTable } from '../storage/schema.js';

/*
 * Idempotency lives in the database so that several server processes agree. A request claims
 * (scope, key) with an insert that only one writer can win; the winner holds a lease identified by
 * a random token. The response is stored in the same transaction as the request's own writes, and
 * only while the token still holds the lease, so a request is applied at most once even when a
 * lease expired under a slow request and another process took over.
 */

/** A response kept for replay. */
export interface StoredResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The outcome of {@link claimIdempotencyKey}. */
export type ClaimOutcome =
  | { readonly kind: 'claimed'; readonly leaseToken: string }
  | { readonly kind: 'replay'; readonly response: StoredResponse }
  | { readonly kind: 'mismatch' }
  | { readonly kind: 'in_flight'; readonly retryAfterSeconds: number };

/** Timing of idempotency records. */
export interface IdempotencyTiming {
  /** How long an unfinished request holds its key before another may take over (a crash leaves one). @default 30_000 */
  readonly leaseMs?: number;
  readonly clock?: Clock;
}

/** Shortest time a finished key is kept, as DESIGN.md requires. */
const MIN_IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000;

const DEFAULT_LEASE_MS = 30_000;

const CLAIM = prepareQuery<
  { scope: string; key: string; requestHash: string; leaseToken: string; leaseExpiresAt: string; createdAt: string },
  never
>((db, p) =>
  db
    .insertInto('idempotency_keys')
    .values({
      scope: p.scope,
      key: p.key,
      request_hash: p.requestHash,
      state: 'in_flight',
      lease_token: p.leaseToken,
      lease_expires_at: p.leaseExpiresAt,
      response_status: null,
      response_headers: null,
      response_body: null,
      created_at: p.createdAt,
    })
    .onConflict((oc) => oc.columns(['scope', 'key']).doNothing()),
);

const FIND = prepareQuery<{ scope: string; key: string }, IdempotencyKeysTable>((db, p) =>
  db.selectFrom('idempotency_keys').selectAll().where('scope', '=', p.scope).where('key', '=', p.key),
);

const COMPLETE = prepareQuery<{ scope: string; key: string; leaseToken: string; status: number; headers: string; body: string }, never>(
  (db, p) =>
    db
      .updateTable('idempotency_keys')
      .set({ state: 'done', response_status: p.status, response_headers: p.headers, response_body: p.body })
      .where('scope', '=', p.scope)
      .where('key', '=', p.key)
      .where('state', '=', 'in_flight')
      .where('lease_token', '=', p.leaseToken),
);

const RELEASE = prepareQuery<{ scope: string; key: string; leaseToken: string }, never>((db, p) =>
  db
    .deleteFrom('idempotency_keys')
    .where('scope', '=', p.scope)
    .where('key', '=', p.key)
    .where('state', '=', 'in_flight')
    .where('lease_token', '=', p.leaseToken),
);

function token(): string {
  return randomPoolBytes(16).toString('base64url');
}

/** Claims an idempotency key for a request with the given hash, or says what to answer instead. */
export async function claimIdempotencyKey(
  db: Kysely<Database>,
  scope: string,
  key: string,
  requestHash: string,
  timing: IdempotencyTiming = {},
): Promise<ClaimOutcome> {
  const clock = timing.clock ?? systemClock;
  const leaseMs = timing.leaseMs ?? DEFAULT_LEASE_MS;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const now = clock();
    const leaseToken = token();
    const inserted = await CLAIM.execute(db, {
      scope,
      key,
      requestHash,
      leaseToken,
      leaseExpiresAt: isoAt(now + leaseMs),
      createdAt: isoAt(now),
    });
    if (Number(inserted.numAffectedRows ?? 0n) === 1) return { kind: 'claimed', leaseToken };

    const row = (await FIND.execute(db, { scope, key })).rows[0];
    if (row === undefined) continue; // purged or released between the two statements: try again
    if (row.request_hash !== requestHash) return { kind: 'mismatch' };
    if (row.state === 'done') {
      return {
        kind: 'replay',
        response: {
          status: row.response_status ?? 500,
          headers: JSON.parse(row.response_headers ?? '{}') as Record<string, string>,
          body: row.response_body ?? '',
        },
      };
    }
    if (row.lease_expires_at > isoAt(now)) {
      const remainingMs = Date.parse(row.lease_expires_at) - now;
      return { kind: 'in_flight', retryAfterSeconds: Math.max(1, Math.ceil(Math.min(remainingMs, 5_000) / 1000)) };
    }
    // The holder crashed or stalled past its lease: take over, unless another request just did.
    const taken = await db
      .updateTable('idempotency_keys')
      .set({ lease_token: leaseToken, lease_expires_at: isoAt(now + leaseMs) })
      .where('scope', '=', scope)
      .where('key', '=', key)
      .where('state', '=', 'in_flight')
      .where('lease_token', '=', row.lease_token)
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) === 1) return { kind: 'claimed', leaseToken };
  }
  return { kind: 'in_flight', retryAfterSeconds: 1 };
}

/**
 * Stores the response for a claimed key; call it inside the transaction that made the request's
 * changes. False when the lease was lost to another request: the caller must roll back.
 */
export async function completeIdempotencyKey(
  db: Kysely<Database>,
  scope: string,
  key: string,
  leaseToken: string,
  response: StoredResponse,
): Promise<boolean> {
  const result = await COMPLETE.execute(db, {
    scope,
    key,
    leaseToken,
    status: response.status,
    headers: JSON.stringify(response.headers),
    body: response.body,
  });
  return Number(result.numAffectedRows ?? 0n) === 1;
}

/** Gives a claimed key back (the request failed without changing anything) so a retry runs afresh. */
export async function releaseIdempotencyKey(db: Kysely<Database>, scope: string, key: string, leaseToken: string): Promise<void> {
  await RELEASE.execute(db, { scope, key, leaseToken });
}

/** Deletes records older than the retention (never less than 24 h), and their links to objects; returns how many records. */
export async function purgeIdempotencyKeys(
  db: Kysely<Database>,
  retentionMs: number = MIN_IDEMPOTENCY_RETENTION_MS,
  clock: Clock = systemClock,
): Promise<number> {
  const cutoff = isoAt(clock() - Math.max(retentionMs, MIN_IDEMPOTENCY_RETENTION_MS));
  const result = await db.deleteFrom('idempotency_keys').where('created_at', '<', cutoff).executeTakeFirst();
  await db.deleteFrom('idempotency_objects').where('created_at', '<', cutoff).execute();
  return Number(result.numDeletedRows);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// The fields of a response that name a report, case, consent or referral it carries data of.
const OBJECT_FIELDS = new Set(['id', 'case_id', 'consent_id', 'report_id', 'referral_id', 'report_ids', 'case_ids']);

/** The ids of the reports, cases, consents and referrals a JSON response body names (lower case, sorted, once each). */
export function objectIdsOf(body: unknown): string[] {
  const found = new Set<string>();
  const walk = (value: unknown, field: string | undefined): void => {
    if (typeof value === 'string') {
      if (field !== undefined && OBJECT_FIELDS.has(field) && UUID.test(value)) found.add(value.toLowerCase());
    } else if (Array.isArray(value)) {
      for (const item of value) walk(item, field);
    } else if (value !== null && typeof value === 'object') {
      for (const [name, item] of Object.entries(value)) walk(item, name);
    }
  };
  walk(body, undefined);
  return [...found].sort();
}

/**
 * Links a stored response to the objects it holds, inside the request's transaction, so that
 * erasing one of them deletes the response ({@link deleteResponsesHolding}).
 */
export async function linkStoredResponse(
  db: Kysely<Database>,
  record: { readonly scope: string; readonly key: string; readonly createdAt: string },
  objectIds: readonly string[],
): Promise<void> {
  if (objectIds.length === 0) return;
  await db
    .insertInto('idempotency_objects')
    .values(objectIds.map((object_id) => ({ object_id, scope: record.scope, key: record.key, created_at: record.createdAt })))
    .onConflict((oc) => oc.columns(['object_id', 'scope', 'key']).doNothing())
    .execute();
}

/**
 * Deletes every stored response that holds one of the objects, and its links; returns how many
 * responses. A retry with such a key then runs afresh and meets the erased object (404 or an
 * invalid transition), never a copy of its content.
 */
export async function deleteResponsesHolding(db: Kysely<Database>, objectIds: readonly string[]): Promise<number> {
  if (objectIds.length === 0) return 0;
  const records = await db
    .selectFrom('idempotency_objects')
    .select(['scope', 'key'])
    .distinct()
    .where('object_id', 'in', [...objectIds])
    .execute();
  let deleted = 0;
  for (const record of records) {
    const result = await db
      .deleteFrom('idempotency_keys')
      .where('scope', '=', record.scope)
      .where('key', '=', record.key)
      .executeTakeFirst();
    deleted += Number(result.numDeletedRows);
    await db.deleteFrom('idempotency_objects').where('scope', '=', record.scope).where('key', '=', record.key).execute();
  }
  return deleted;
}
