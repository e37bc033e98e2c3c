import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { ReferralServerError } from '../errors.js';
import { randomPoolBytes } from '../random-pool.js';

/** Name of the environment variable that holds the base64 encryption key. */
export const ENCRYPTION_KEY_ENV = 'TAHAFFUZ_ENCRYPTION_KEY';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypts and decrypts personal fields (narratives, reporter contact, webhook secrets) with
 * AES-256-GCM. Each value is bound to where it is stored (`context`, e.g. `reports.narrative:<id>`)
 * as additional authenticated data, so a ciphertext copied into another row does not decrypt.
 */
export interface FieldCipher {
  encrypt(plaintext: string, context: string): string;
  decrypt(ciphertext: string, context: string): string;
  /** A keyed hash (HMAC-SHA256, sub-key derived from the encryption key) for values that must not be stored, such as client addresses. */
  keyedHash(value: string, purpose: string): string;
}

/** Decodes a base64 key of exactly 32 bytes, or throws an error that says how to make one. */
export function parseEncryptionKey(base64: string): Buffer {
  const trimmed = base64.trim();
  const key = Buffer.from(trimmed, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) || key.length !== 32) {
    throw new ReferralServerError(
      'invalid_encryption_key',
      `${ENCRYPTION_KEY_ENV} must be 32 random bytes in base64 (44 characters); make one with: node -e "console.log(require('node:crypto').randomBytes(32).toString('base64'))"`,
    );
  }
  return key;
}

/** Makes a new random key in the base64 form {@link parseEncryptionKey} reads. */
export function generateEncryptionKey(): string {
  return randomBytes(32).toString('base64');
}

/** Creates the cipher for a 32-byte key. */
export function createFieldCipher(key: Buffer): FieldCipher {
  if (key.length !== 32) {
    throw new ReferralServerError('invalid_encryption_key', 'The encryption key must be 32 bytes (AES-256).');
  }
  const dataKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'tahaffuz field encryption v1', 32));
  const hashKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'tahaffuz keyed hash v1', 32));
  return {
    encrypt(plaintext, context) {
      const iv = randomPoolBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', dataKey, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return `${VERSION}.${iv.toString('base64url')}.${body.toString('base64url')}`;
    },
    decrypt(ciphertext, context) {
      const [version, ivText, bodyText] = ciphertext.split('.');
      if (version !== VERSION || ivText === undefined || bodyText === undefined) {
        throw new ReferralServerError('decryption_failed', `Stored value for ${context} is not in the ${VERSION} format.`);
      }
      const iv = Buffer.from(ivText, 'base64url');
      const body = Buffer.from(bodyText, 'base64url');
      if (iv.length !== IV_BYTES || body.length < TAG_BYTES) {
        throw new ReferralServerError('decryption_failed', `Stored value for ${context} is truncated.`);
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', dataKey, iv);
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
        return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch (cause) {
        throw new ReferralServerError(
          'decryption_failed',
          `Stored value for ${context} does not decrypt: the encryption key differs from the one it was written with, or the value was altered.`,
          { cause },
        );
      }
    },
    keyedHash(value, purpose) {
      return createHmac('sha256', hashKey).update(`${purpose}\u0000${value}`).digest('base64url');
    },
  };
}
