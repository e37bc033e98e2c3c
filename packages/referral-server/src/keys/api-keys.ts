import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { type Clock, isoAt, systemClock } from '../clock.js';
import { ReferralServerError } from '../errors.js';
import { newId, randomToken } from '../ids.js';
import type { ApiKeysTable, Database, Mode } from '../storage/schema.js';

/** Secret keys act for one organisation in one role; publishable keys only create reports. */
export type ApiKeyKind = 'secret' | 'publishable';

/** A stored API key as callers see it: never the key itself, never its hash. */
export interface ApiKeyRecord {
  readonly id: string;
  readonly kind: ApiKeyKind;
  readonly mode: Mode;
  readonly prefix: string;
  readonly organizationId: string | null;
  readonly role: string | null;
  readonly allowedOrigins: readonly string[];
  readonly description: string | null;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

/** What {@link createApiKey} needs. */
export interface CreateApiKeyInput {
  readonly kind: ApiKeyKind;
  readonly mode: Mode;
  /** Required for secret keys. */
  readonly organizationId?: string;
  /** Required for secret keys. */
  readonly role?: string;
  /** Required (one or more) for publishable keys: the origins browsers may call from. */
  readonly allowedOrigins?: readonly string[];
  readonly description?: string;
}

const TOKEN = /^tz_(sk|pk)_(live|test)_[0-9A-Za-z]{32}$/;
const PREFIX_LENGTH = 16;

/** Tells a well-formed key's kind and mode from its text, or `undefined` for anything else. */
export function parseApiKey(token: string): { kind: ApiKeyKind; mode: Mode } | undefined {
  const match = TOKEN.exec(token);
  if (match === null) return undefined;
  return { kind: match[1] === 'sk' ? 'secret' : 'publishable', mode: match[2] as Mode };
}

/** SHA-256 hex of a key: keys are 190 random bits, so a fast hash is enough and lookups stay indexable. */
export function hashApiKey(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Normalises an origin (`https://example.org`) or throws: a publishable key answers exact origins only. */
export function normaliseOrigin(origin: string): string {
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

function toRecord(row: ApiKeysTable): ApiKeyRecord {
  return {
    id: row.id,
    kind: row.kind,
    mode: row.mode,
    prefix: row.prefix,
    organizationId: row.organization_id,
    role: row.role,
    allowedOrigins: JSON.parse(row.allowed_origins) as string[],
    description: row.description,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}

/** Creates a key and returns it in plain text once, with its stored record; only its hash is kept. */
export async function createApiKey(
  db: Kysely<Database>,
  input: CreateApiKeyInput,
  clock: Clock = systemClock,
): Promise<{ key: string; record: ApiKeyRecord }> {
  if (input.kind === 'secret' && (input.organizationId === undefined || input.role === undefined)) {
    throw new ReferralServerError('invalid_argument', 'A secret key needs an organisation (--org) and a role (--role).');
  }
  const origins = (input.allowedOrigins ?? []).map(normaliseOrigin);
  if (input.kind === 'publishable' && origins.length === 0) {
    throw new ReferralServerError('invalid_argument', 'A publishable key needs at least one allowed origin (--origin https://…).');
  }
  if (input.organizationId !== undefined) {
    const org = await db.selectFrom('organizations').select('id').where('id', '=', input.organizationId).executeTakeFirst();
    if (org === undefined) {
      throw new ReferralServerError('not_found', `Organisation ${input.organizationId} does not exist; create it (or run seed --demo) first.`);
    }
  }
  const key = `tz_${input.kind === 'secret' ? 'sk' : 'pk'}_${input.mode}_${randomToken(32)}`;
  const row: ApiKeysTable = {
    id: newId('key'),
    kind: input.kind,
    mode: input.mode,
    prefix: key.slice(0, PREFIX_LENGTH),
    hash: hashApiKey(key),
    organization_id: input.organizationId ?? null,
    role: input.kind === 'secret' ? (input.role ?? null) : null,
    allowed_origins: JSON.stringify([...new Set(origins)]),
    description: input.description ?? null,
    created_at: isoAt(clock()),
    revoked_at: null,
  };
  await db.insertInto('api_keys').values(row).execute();
  return { key, record: toRecord(row) };
}

/** The active (not revoked) key a bearer token names, or `undefined`. */
export async function findApiKey(db: Kysely<Database>, token: string): Promise<ApiKeyRecord | undefined> {
  const parsed = parseApiKey(token);
  if (parsed === undefined) return undefined;
  const row = await db
    .selectFrom('api_keys')
    .selectAll()
    .where('hash', '=', hashApiKey(token))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  // The hash already pins kind and mode; checking again costs nothing and guards against a stale row.
  if (row === undefined || row.kind !== parsed.kind || row.mode !== parsed.mode) return undefined;
  return toRecord(row);
}

/** Every key, newest first, without secrets. */
export async function listApiKeys(db: Kysely<Database>): Promise<ApiKeyRecord[]> {
  const rows = await db.selectFrom('api_keys').selectAll().orderBy('created_at', 'desc').orderBy('id').execute();
  return rows.map(toRecord);
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
