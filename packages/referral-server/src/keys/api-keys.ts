import { createHash } from 'node:crypto';
import { type ApiKey, type KeyKind, type KeyMode, parseApiKey, type Role } from '@tahaffuz/referral-contract';
import type { Kysely } from 'kysely';
import { type Clock, isoAt, systemClock } from '../clock.js';
import { ReferralServerError } from '../errors.js';
import { newId, randomToken } from '../ids.js';
import { prepareQuery } from '../storage/prepared-query.js';
import type { ApiKeysTable, Database } from '../storage/schema.js';

/** What {@link createApiKey} needs. Publishable keys take allowed origins; secret keys a role. */
export type CreateApiKeyInput =
  | {
      readonly kind: 'secret';
      readonly mode: KeyMode;
      readonly organizationId: string;
      readonly role: Role;
      readonly name?: string;
    }
  | {
      readonly kind: 'publishable';
      readonly mode: KeyMode;
      readonly organizationId: string;
      /** The origins browsers may call from (`https://partner.example.org`). */
      readonly allowedOrigins: readonly string[];
      readonly name?: string;
    };

/** SHA-256 hex of a key: keys carry 190 random bits, so a fast hash is enough and lookups stay indexed. */
function hashApiKey(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Normalises an origin (`https://example.org`) or throws: a publishable key answers exact origins only. */
function normaliseOrigin(origin: string): string {
  let url: URL;
  try {
    url = new URL(origin);
  } catch (cause) {
    throw new ReferralServerError('invalid_argument', `Origin "${origin}" is not a URL such as https://partner.example.org.`, { cause });
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin === 'null') {
    throw new ReferralServerError('invalid_argument', `Origin "${origin}" must be an http(s) origin such as https://partner.example.org.`);
  }
  return url.origin;
}

/** A stored key in its wire shape (the contract's `ApiKey`): never the key, never its hash. */
export function apiKeyFromRow(row: ApiKeysTable): ApiKey {
  return {
    id: row.id,
    kind: row.kind,
    mode: row.mode,
    organization_id: row.organization_id,
    name: row.name,
    role: row.role as Role | null,
    allowed_origins: JSON.parse(row.allowed_origins) as string[],
    last4: row.last4,
    created_at: row.created_at,
    revoked_at: row.revoked_at,
  };
}

/** Creates a key and returns it in plain text once, with its stored record; only its hash is kept. */
export async function createApiKey(
  db: Kysely<Database>,
  input: CreateApiKeyInput,
  clock: Clock = systemClock,
): Promise<{ key: string; record: ApiKey }> {
  const origins = input.kind === 'publishable' ? [...new Set(input.allowedOrigins.map(normaliseOrigin))] : [];
  if (input.kind === 'publishable' && origins.length === 0) {
    throw new ReferralServerError('invalid_argument', 'A publishable key needs at least one allowed origin (--origin https://…).');
  }
  const org = await db.selectFrom('organizations').select('id').where('id', '=', input.organizationId).executeTakeFirst();
  if (org === undefined) {
    throw new ReferralServerError(
      'not_found',
      `Organisation ${input.organizationId} does not exist; create it (or run seed --demo) first.`,
    );
  }
  const kind: KeyKind = input.kind;
  const key = `tz_${kind === 'secret' ? 'sk' : 'pk'}_${input.mode}_${randomToken(32)}`;
  const row: ApiKeysTable = {
    id: newId(),
    kind,
    mode: input.mode,
    last4: key.slice(-4),
    hash: hashApiKey(key),
    organization_id: input.organizationId,
    name: input.name ?? `${input.mode} ${input.kind === 'secret' ? input.role : 'publishable'} key`,
    role: input.kind === 'secret' ? input.role : null,
    allowed_origins: JSON.stringify(origins),
    created_at: isoAt(clock()),
    revoked_at: null,
  };
  await db.insertInto('api_keys').values(row).execute();
  if (origins.length > 0) {
    await db
      .insertInto('api_key_origins')
      .values(origins.map((origin) => ({ origin, key_id: row.id })))
      .execute();
  }
  return { key, record: apiKeyFromRow(row) };
}

const ORIGIN_ALLOWED = prepareQuery<{ origin: string }, { key_id: string }>((db, p) =>
  db
    .selectFrom('api_key_origins')
    .innerJoin('api_keys', 'api_keys.id', 'api_key_origins.key_id')
    .select('api_key_origins.key_id')
    .where('api_key_origins.origin', '=', p.origin)
    .where('api_keys.revoked_at', 'is', null)
    .limit(1),
);

/** Whether an unrevoked publishable key allows `origin` (a browser's `Origin` header), by index. */
export async function originAllowedByAnyPublishableKey(db: Kysely<Database>, origin: string): Promise<boolean> {
  return (await ORIGIN_ALLOWED.execute(db, { origin })).rows.length > 0;
}

const FIND_ACTIVE = prepareQuery<{ hash: string }, ApiKeysTable>((db, p) =>
  db.selectFrom('api_keys').selectAll().where('hash', '=', p.hash).where('revoked_at', 'is', null),
);

/** The active (not revoked) key a bearer token names, or `undefined`. */
export async function findApiKey(db: Kysely<Database>, token: string): Promise<ApiKey | undefined> {
  const parsed = parseApiKey(token);
  if (parsed === undefined) return undefined;
  const row = (await FIND_ACTIVE.execute(db, { hash: hashApiKey(token) })).rows[0];
  if (row === undefined || row.kind !== parsed.kind || row.mode !== parsed.mode) return undefined;
  return apiKeyFromRow(row);
}

/** Every key, newest first, without secrets. */
export async function listApiKeys(db: Kysely<Database>): Promise<ApiKey[]> {
  const rows = await db.selectFrom('api_keys').selectAll().orderBy('created_at', 'desc').orderBy('id').execute();
  return rows.map(apiKeyFromRow);
}

/** Revokes a key at once; false if no active key has that id. */
export async function revokeApiKey(db: Kysely<Database>, id: string, clock: Clock = systemClock): Promise<boolean> {
  const result = await db
    .updateTable('api_keys')
    .set({ revoked_at: isoAt(clock()) })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
