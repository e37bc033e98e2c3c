import type { Kysely } from 'kysely';
import { ReferralServerError } from '../errors.js';
import type { Database } from '../storage/schema.js';
import { sealedKeyIdOf } from './ciphertext-format.js';
import { ENCRYPTION_KEY_ENV, type FieldCipher, PREVIOUS_ENCRYPTION_KEYS_ENV } from './field-cipher.js';

/** Setting holding a value encrypted with the database's key: a wrong key is refused at start. */
export const KEY_CHECK_SETTING = 'encryption_key_check';
/** Context of {@link KEY_CHECK_SETTING}'s ciphertext. */
export const KEY_CHECK_CONTEXT = `settings.${KEY_CHECK_SETTING}`;
/**
 * Setting holding the ids of every key stored values may be encrypted with (JSON array): each
 * process adds its current key before writing; a finished rotation leaves only the current one.
 */
export const KEY_IDS_SETTING = 'encryption_key_ids';

async function setting(db: Kysely<Database>, name: string): Promise<string | undefined> {
  return (await db.selectFrom('settings').select('value').where('name', '=', name).executeTakeFirst())?.value;
}

async function putSettingOnce(db: Kysely<Database>, name: string, value: string): Promise<string> {
  await db
    .insertInto('settings')
    .values({ name, value })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  return (await setting(db, name)) ?? value;
}

/** Replaces a setting only if it still holds `expected` (`undefined`: absent). */
export async function swapSetting(db: Kysely<Database>, name: string, expected: string | undefined, value: string): Promise<boolean> {
  if (expected === undefined) {
    const inserted = await db
      .insertInto('settings')
      .values({ name, value })
      .onConflict((oc) => oc.column('name').doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1;
  }
  const updated = await db.updateTable('settings').set({ value }).where('name', '=', name).where('value', '=', expected).executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/** The key ids stored values may be under, as recorded in {@link KEY_IDS_SETTING}. */
export function parseKeyIds(text: string | undefined): string[] {
  if (text === undefined) return [];
  const parsed: unknown = JSON.parse(text);
  return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string') : [];
}

/** What {@link checkEncryptionKeys} found. */
export interface KeyCheckResult {
  /** Key ids that stored values may be encrypted with (including the current one, now recorded). */
  readonly keyIdsInUse: readonly string[];
}

/**
 * Checks the configured keys against the database before anything is written with them:
 * the check value must decrypt, and (with `requireAllInUse`, as at server start) every key id that
 * stored values may still be under must be configured. Then records the current key id as in use.
 */
export async function checkEncryptionKeys(
  db: Kysely<Database>,
  cipher: FieldCipher,
  options: { readonly requireAllInUse: boolean },
): Promise<KeyCheckResult> {
  const check = await putSettingOnce(db, KEY_CHECK_SETTING, cipher.encrypt('tahaffuz', KEY_CHECK_CONTEXT));
  let checkKeyId: string;
  try {
    checkKeyId = cipher.decryptWithKeyId(check, KEY_CHECK_CONTEXT).keyId;
  } catch (cause) {
    const stored = sealedKeyIdOf(check);
    const unknown = stored !== undefined && stored !== 'v1' && !cipher.keyIds.includes(stored);
    throw new ReferralServerError(
      unknown ? 'unknown_encryption_key' : 'invalid_encryption_key',
      unknown
        ? `The encryption key is not the one this database was written with: its values are under key id ${stored}, which is not among the configured keys (${cipher.keyIds.join(', ')}). Start with that key as ${ENCRYPTION_KEY_ENV}, or, while rotating to a new key, give it in ${PREVIOUS_ENCRYPTION_KEYS_ENV}.`
        : `The encryption key is not the one this database was written with (configured key ids: ${cipher.keyIds.join(', ')}); start with the original ${ENCRYPTION_KEY_ENV}, or give it in ${PREVIOUS_ENCRYPTION_KEYS_ENV} while rotating to a new key.`,
      { cause },
    );
  }

  for (;;) {
    const recorded = await setting(db, KEY_IDS_SETTING);
    // A database from before key ids: everything in it was written with the key that opens the check value.
    const inUse = recorded === undefined ? [checkKeyId] : parseKeyIds(recorded);
    const missing = inUse.filter((id) => !cipher.keyIds.includes(id));
    if (options.requireAllInUse && missing.length > 0) {
      throw new ReferralServerError(
        'unknown_encryption_key',
        `Stored values may still be encrypted with key id ${missing.join(', ')}, which is not configured. Give that key in ${PREVIOUS_ENCRYPTION_KEYS_ENV} until "tahaffuz-server encryption rotate" has finished; "tahaffuz-server encryption status" counts the values under each key id.`,
      );
    }
    if (inUse.includes(cipher.keyId) && recorded !== undefined) return { keyIdsInUse: inUse };
    const next = [...new Set([...inUse, cipher.keyId])];
    if (await swapSetting(db, KEY_IDS_SETTING, recorded, JSON.stringify(next))) return { keyIdsInUse: next };
    // Another process recorded its key at the same moment: read again.
  }
}
