import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isReferralServerError } from '../errors.js';
import { encryptV1 } from '../test-support/legacy-ciphertext.js';
import { createFieldCipher, encryptionKeyId, generateEncryptionKey, parseEncryptionKey, parseEncryptionKeyList } from './field-cipher.js';

describe('field cipher', () => {
  const cipher = createFieldCipher(parseEncryptionKey(generateEncryptionKey()));

  it('round-trips any string and never contains the plaintext', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 4, unit: 'grapheme' }), fc.string(), (plain, context) => {
        const enc = cipher.encrypt(plain, context);
        expect(enc).not.toContain(plain);
        expect(cipher.decrypt(enc, context)).toBe(plain);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a ciphertext moved to another row, altered, or read with another key', () => {
    const enc = cipher.encrypt('a narrative', 'reports.narrative:1');
    expect(() => cipher.decrypt(enc, 'reports.narrative:2')).toThrow(/does not decrypt/);
    // Change a character well inside the body (a base64 string's last character may carry unused bits).
    const at = enc.length - 3;
    const flipped = `${enc.slice(0, at)}${enc[at] === 'A' ? 'B' : 'A'}${enc.slice(at + 1)}`;
    expect(flipped).not.toBe(enc);
    expect(() => cipher.decrypt(flipped, 'reports.narrative:1')).toThrow(/does not decrypt|truncated/);
    const other = createFieldCipher(parseEncryptionKey(generateEncryptionKey()));
    let caught: unknown;
    try {
      other.decrypt(enc, 'reports.narrative:1');
    } catch (error) {
      caught = error;
    }
    expect(isReferralServerError(caught) && caught.code).toBe('unknown_encryption_key');
    expect(String((caught as Error).message)).not.toContain('a narrative');
  });

  it('encrypts the same value differently each time', () => {
    expect(cipher.encrypt('same', 'c')).not.toBe(cipher.encrypt('same', 'c'));
  });

  it('rejects keys that are not 32 bytes of base64 with a message that says how to make one', () => {
    expect(() => parseEncryptionKey('short')).toThrow(/randomBytes\(32\)/);
    expect(() => parseEncryptionKey(Buffer.alloc(31).toString('base64'))).toThrow(/32 random bytes/);
    expect(parseEncryptionKey(Buffer.alloc(32, 7).toString('base64'))).toHaveLength(32);
  });

  it('keyed hashes are stable per key and purpose and differ across keys', () => {
    const again = createFieldCipher(parseEncryptionKey(Buffer.alloc(32, 1).toString('base64')));
    const same = createFieldCipher(parseEncryptionKey(Buffer.alloc(32, 1).toString('base64')));
    expect(again.keyedHash('203.0.113.9', 'client')).toBe(same.keyedHash('203.0.113.9', 'client'));
    expect(again.keyedHash('203.0.113.9', 'client')).not.toBe(again.keyedHash('203.0.113.9', 'other'));
    expect(again.keyedHash('203.0.113.9', 'client')).not.toBe(cipher.keyedHash('203.0.113.9', 'client'));
    expect(again.keyedHash('203.0.113.9', 'client')).not.toContain('203');
  });

  it('encrypts with the current key and decrypts with the current or a previous one, v1 values too', () => {
    const [oldKey, newKey] = [generateEncryptionKey(), generateEncryptionKey()];
    const before = createFieldCipher(parseEncryptionKey(oldKey));
    const during = createFieldCipher(parseEncryptionKey(newKey), parseEncryptionKeyList(` ${oldKey} ,, ${newKey}`));
    expect(during.keyId).toBe(encryptionKeyId(parseEncryptionKey(newKey)));
    expect(during.keyIds).toEqual([during.keyId, before.keyId]);
    expect(during.keyId).toMatch(/^[0-9a-f]{8}$/);
    expect(during.keyId).not.toBe(before.keyId);

    const old = before.encrypt('old text', 'cases.free_text:c1');
    expect(old.startsWith(`v2.${before.keyId}.`)).toBe(true);
    expect(during.decryptWithKeyId(old, 'cases.free_text:c1')).toEqual({ plaintext: 'old text', keyId: before.keyId });
    const legacy = encryptV1(oldKey, 'legacy text', 'cases.free_text:c1');
    expect(during.decryptWithKeyId(legacy, 'cases.free_text:c1')).toEqual({ plaintext: 'legacy text', keyId: before.keyId });
    expect(during.encrypt('new text', 'cases.free_text:c1').startsWith(`v2.${during.keyId}.`)).toBe(true);

    const after = createFieldCipher(parseEncryptionKey(newKey));
    expect(() => after.decrypt(old, 'cases.free_text:c1')).toThrow(new RegExp(`key id ${before.keyId}, which is not configured`));
    expect(() => after.decrypt(legacy, 'cases.free_text:c1')).toThrow(
      /v1, written before key ids.*does not decrypt with any configured key/,
    );
    // The keyed hash follows the current key.
    expect(during.keyedHash('203.0.113.9', 'client')).toBe(after.keyedHash('203.0.113.9', 'client'));
    expect(during.keyedHash('203.0.113.9', 'client')).not.toBe(before.keyedHash('203.0.113.9', 'client'));
  });

  it('names the entry of a bad previous key without echoing it', () => {
    expect(() => parseEncryptionKeyList(`${generateEncryptionKey()},not-a-key`)).toThrow(
      /Entry 2 of TAHAFFUZ_ENCRYPTION_KEYS_PREVIOUS must be 32 random bytes/,
    );
    try {
      parseEncryptionKeyList('c2VjcmV0');
    } catch (error) {
      expect(String(error)).not.toContain('c2VjcmV0');
    }
  });
});
