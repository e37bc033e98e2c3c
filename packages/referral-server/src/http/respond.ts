import type { Context } from 'hono';
import type { Kysely } from 'kysely';
import { completeIdempotencyKey, linkStoredResponse, objectIdsOf } from '../idempotency/idempotency-store.js';
import type { Database } from '../storage/schema.js';
import { inTransaction } from '../storage/transaction.js';
import type { AppEnv } from './env.js';
import { HttpProblem } from './http-problem.js';

/**
 * The JSON response of a change, stored as the idempotent response inside the same transaction
 * as the change: either both commit or neither does, so a retry after a crash never applies the
 * change twice and never replays a response for a change that was lost. Pass `personal: false`
 * only for bodies that can never carry personal data (a report's receipt: id, reference, time);
 * they are stored as they are instead of encrypted.
 */
export async function respondInTransaction(
  c: Context<AppEnv>,
  trx: Kysely<Database>,
  status: 200 | 201,
  body: unknown,
  options: { readonly personal?: boolean } = {},
): Promise<Response> {
  const text = JSON.stringify(body);
  const idempotency = c.get('idempotency');
  if (idempotency !== undefined) {
    const stored = await completeIdempotencyKey(trx, idempotency.scope, idempotency.key, idempotency.leaseToken, {
      status,
      headers: { 'content-type': 'application/json' },
      // Stored JSON can hold decrypted personal fields: sealed unless the caller says it cannot.
      body: options.personal === false ? text : idempotency.seal(text),
    });
    if (!stored) {
      // Our lease expired and another request holds the key now: undo, and let the client retry.
      throw new HttpProblem('idempotency-in-flight', {
        detail: 'This request took longer than its idempotency lease; retry with the same Idempotency-Key.',
        headers: { 'retry-after': '1' },
      });
    }
    // Erasure of an object deletes the sealed responses that hold it (a receipt holds nothing to erase).
    if (options.personal !== false) {
      await linkStoredResponse(
        trx,
        { scope: idempotency.scope, key: idempotency.key, createdAt: idempotency.claimedAt },
        objectIdsOf(body),
      );
    }
    idempotency.completed = true;
  }
  return new Response(text, { status, headers: { 'content-type': 'application/json' } });
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    code === '23505' || (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT_PRIMARYKEY')) || code === 'SQLITE_CONSTRAINT_UNIQUE'
  );
}

/**
 * Runs a write transaction, once more if it lost a race on a unique key to a concurrent request
 * (the second run then sees the winner's row and answers accordingly).
 */
export async function writeTransaction<T>(db: Kysely<Database>, body: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  try {
    return await inTransaction(db, body);
  } catch (error) {
    // Inside an outer transaction (SQLite) writers are serial: no race to retry.
    if (!isUniqueViolation(error) || db.isTransaction) throw error;
    return inTransaction(db, body);
  }
}
