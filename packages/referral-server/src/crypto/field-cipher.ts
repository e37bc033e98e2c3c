import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { ReferralServerError } from '../errors.js';
import { randomPoolBytes } from '../random-pool.js';
import { formatSealedValue, IV_BYTES, parseSealedValue, type SealedValue, TAG_BYTES, v2Prefix } from './ciphertext-format.js';

/** Name of the environment variable that holds the base64 encryption key. */
export const ENCRYPTION_KEY_ENV = 'TAHAFFUZ_ENCRYPTION_KEY';

/**
 * Name of the environment variable that holds earlier encryption keys, comma-separated: they only
 * decrypt, until `tahaffuz-server encryption rotate` has rewritten every value with the current key.
 */
export const PREVIOUS_ENCRYPTION_KEYS_ENV = 'TAHAFFUZ_ENCRYPTION_KEYS_PREVIOUS';

/**
 * Encrypts and decrypts personal fields (narratives, reporter contact, webhook secrets) with
 * AES-256-GCM. Each value is bound to where it is stored (`context`, e.g. `reports.narrative:<id>`)
 * as additional authenticated data, so a ciphertext copied into another row does not decrypt.
 * The current key encrypts; previous keys only decrypt (key rotation).
 */
export interface FieldCipher {
  encrypt(plaintext: string, context: string): string;
  decrypt(ciphertext: string, context: string): string;
  /** Like {@link FieldCipher.decrypt}, and also says which configured key opened the value. */
  decryptWithKeyId(ciphertext: string, context: string): { readonly plaintext: string; readonly keyId: string };
  /** A keyed hash (HMAC-SHA256, sub-key derived from the current encryption key) for values that must not be stored, such as client addresses. */
  keyedHash(value: string, purpose: string): string;
  /** Id of the current key, which every new value names (`v2.<key id>.…`). */
  readonly keyId: string;
  /** Ids of every configured key, the current one first. */
  readonly keyIds: readonly string[];
}

/** Decodes a base64 key of exactly 32 bytes, or throws an error that says how to make one. */
export function parseEncryptionKey(base64: string, variable: string = ENCRYPTION_KEY_ENV): Buffer {
  const trimmed = base64.trim();
  const key = Buffer.from(trimmed, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) || key.length !== 32) {
    throw new ReferralServerError(
      'invalid_encryption_key',
      `${variable} must be 32 random bytes in base64 (44 characters); make one with: node -e "console.log(require('node:crypto').randomBytes(32).toString('base64'))"`,
    );
  }
  return key;
}

/**
 * Decodes a comma-separated list of base64 keys (the form of
 * {@link PREVIOUS_ENCRYPTION_KEYS_ENV}); blanks are ignored.
 */
export function parseEncryptionKeyList(list: string, variable: string = PREVIOUS_ENCRYPTION_KEYS_ENV): Buffer[] {
  return list
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry, index) => parseEncryptionKey(entry, `Entry ${index + 1} of ${variable}`));
}

/** Makes a new random key in the base64 form {@link parseEncryptionKey} reads. */
export function generateEncryptionKey(): string {
  return randomBytes(32).toString('base64');
}

/**
 * The short id of a key (8 hex characters) that ciphertexts written with it carry. Derived one-way
 * (HKDF), so it tells keys apart without revealing them.
 */
export function encryptionKeyId(key: Buffer): string {
  return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'tahaffuz key id v2', 4)).toString('hex');
}

interface KeyMaterial {
  readonly id: string;
  readonly dataKey: Buffer;
  readonly hashKey: Buffer;
}

function material(key: Buffer): KeyMaterial {
  if (key.length !== 32) {
    throw new ReferralServerError('invalid_encryption_key', 'The encryption key must be 32 bytes (AES-256).');
  }
  return {
    id: encryptionKeyId(key),
    dataKey: Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'tahaffuz field encryption v1', 32)),
    hashKey: Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'tahaffuz keyed hash v1', 32)),
  };
}

// v2 authenticates its header too, so a value cannot be relabelled (to v1 or another key id).
function aadOf(value: SealedValue, context: string): Buffer {
  return Buffer.from(value.version === 'v1' ? context : `${v2Prefix(value.keyId)}${context}`, 'utf8');
}

function open(key: KeyMaterial, value: SealedValue, context: string): string | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.dataKey, value.iv);
    decipher.setAAD(aadOf(value, context));
    decipher.setAuthTag(value.body.subarray(value.body.length - TAG_BYTES));
    return Buffer.concat([decipher.update(value.body.subarray(0, value.body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/**
 * Creates the cipher for a 32-byte key, which encrypts, and earlier keys, which only decrypt.
 *
 * @example
 * ```ts
 * const cipher = createFieldCipher(parseEncryptionKey(newKey), [parseEncryptionKey(oldKey)]);
 * cipher.decrypt(storedUnderOldKey, 'reports.free_text:…'); // still reads
 * cipher.encrypt('text', 'reports.free_text:…'); // v2.<id of newKey>.…
 * ```
 */
export function createFieldCipher(key: Buffer, previousKeys: readonly Buffer[] = []): FieldCipher {
  const current = material(key);
  const keys = new Map<string, KeyMaterial>([[current.id, current]]);
  for (const previous of previousKeys) {
    const next = material(previous);
    const known = keys.get(next.id);
    if (known !== undefined && !known.dataKey.equals(next.dataKey)) {
      throw new ReferralServerError(
        'invalid_encryption_key',
        `Two different encryption keys have the same key id ${next.id}; generate a new key.`,
      );
    }
    keys.set(next.id, next);
  }
  const keyIds = [...keys.keys()];
  const configured = `configured key ids: ${keyIds.map((id) => (id === current.id ? `${id} (current)` : id)).join(', ')}`;

  function decryptWithKeyId(ciphertext: string, context: string): { plaintext: string; keyId: string } {
    const value = parseSealedValue(ciphertext, context);
    if (value.version === 'v1') {
      for (const candidate of keys.values()) {
        const plaintext = open(candidate, value, context);
        if (plaintext !== undefined) return { plaintext, keyId: candidate.id };
      }
      throw new ReferralServerError(
        'decryption_failed',
        `Stored value for ${context} (v1, written before key ids) does not decrypt with any configured key (${configured}): the key it was written with is missing from ${PREVIOUS_ENCRYPTION_KEYS_ENV}, or the value was altered.`,
      );
    }
    const candidate = keys.get(value.keyId);
    if (candidate === undefined) {
      throw new ReferralServerError(
        'unknown_encryption_key',
        `Stored value for ${context} is encrypted with key id ${value.keyId}, which is not configured (${configured}): add that key to ${PREVIOUS_ENCRYPTION_KEYS_ENV} until "tahaffuz-server encryption rotate" has rewritten it.`,
      );
    }
    const plaintext = open(candidate, value, context);
    if (plaintext === undefined) {
      throw new ReferralServerError(
        'decryption_failed',
        `Stored value for ${context} does not decrypt with key id ${value.keyId}: the value was altered or copied from another row.`,
      );
    }
    return { plaintext, keyId: candidate.id };
  }

  return {
    keyId: current.id,
    keyIds,
    encrypt(plaintext, context) {
      const iv = randomPoolBytes(IV_BYTES);
      const sealed = { version: 'v2', keyId: current.id, iv, body: Buffer.alloc(0) } as const;
      const cipher = createCipheriv('aes-256-gcm', current.dataKey, iv);
      cipher.setAAD(aadOf(sealed, context));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return formatSealedValue({ ...sealed, body });
    },
    decrypt(ciphertext, context) {
      return decryptWithKeyId(ciphertext, context).plaintext;
    },
    decryptWithKeyId,
    keyedHash(value, purpose) {
      return createHmac('sha256', current.hashKey).update(`${purpose}\u0000${value}`).digest('base64url');
    },
  };
}
