import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isReferralServerError } from '../errors.js';
import { encryptV1 } from '../test-support/legacy-ciphertext.js';
import { formatSealedValue, parseSealedValue, sealedKeyIdOf, type SealedValue } from './ciphertext-format.js';
import { createFieldCipher, encryptionKeyId, generateEncryptionKey, parseEncryptionKey } from './field-cipher.js';

const bytes = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max }).map((a) => Buffer.from(a));
const keyId = fc.uint8Array({ minLength: 4, maxLength: 4 }).map((a) => Buffer.from(a).toString('hex'));
const sealed: fc.Arbitrary<SealedValue> = fc.oneof(
  fc.record({ version: fc.constant('v1' as const), iv: bytes(12, 12), body: bytes(16, 200) }),
  fc.record({ version: fc.constant('v2' as const), keyId, iv: bytes(12, 12), body: bytes(16, 200) }),
);

function thrown(run: () => unknown, code = 'decryption_failed'): Error {
  try {
    run();
  } catch (error) {
    expect(isReferralServerError(error) && error.code).toBe(code);
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('ciphertext format', () => {
  it('parses what it formats, and names the key id by the prefix alone', () => {
    fc.assert(
      fc.property(sealed, (value) => {
        const text = formatSealedValue(value);
        expect(parseSealedValue(text, 'c')).toEqual(value);
        expect(sealedKeyIdOf(text)).toBe(value.version === 'v1' ? 'v1' : value.keyId);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses unknown versions, malformed key ids and non-canonical or short parts, naming the context only', () => {
    fc.assert(
      fc.property(sealed, fc.integer({ min: 3, max: 99 }), (value, version) => {
        const text = formatSealedValue(value);
        const other = `v${version}${text.slice(2)}`;
        expect(thrown(() => parseSealedValue(other, 'reports.free_text:r1')).message).toMatch(
          /reports\.free_text:r1.*not in a known ciphertext format/,
        );
        expect(sealedKeyIdOf(other)).toBeUndefined();
      }),
      { numRuns: 100 },
    );
    const good = formatSealedValue({ version: 'v2', keyId: '0a1b2c3d', iv: Buffer.alloc(12, 1), body: Buffer.alloc(20, 2) });
    for (const bad of [
      good.replace('0a1b2c3d', '0A1B2C3D'),
      good.replace('0a1b2c3d', '0a1b2c3'),
      good.replace('0a1b2c3d', 'zzzzzzzz'),
      good.slice(0, -10),
      `${good}.x`,
      good.replace(/\.([^.]+)$/, '.$1='),
      formatSealedValue({ version: 'v2', keyId: '0a1b2c3d', iv: Buffer.alloc(11), body: Buffer.alloc(20) }),
      formatSealedValue({ version: 'v1', iv: Buffer.alloc(12), body: Buffer.alloc(15) }),
      'plain text',
      '',
    ]) {
      const error = thrown(() => parseSealedValue(bad, 'cases.free_text:c1'));
      expect(error.message).toContain('cases.free_text:c1');
      if (bad !== '') expect(error.message).not.toContain(bad);
    }
    // A canonical-looking part whose last character carries stray bits is not accepted as the same bytes.
    const iv = Buffer.alloc(12, 0).toString('base64url');
    const body = Buffer.alloc(17).toString('base64url'); // 23 characters: the last one holds 2 unused bits
    expect(() => parseSealedValue(`v1.${iv}.${body.slice(0, -1)}B`, 'c')).toThrow(/malformed/);
  });

  it('detects any one-character change of a ciphertext', () => {
    const key = generateEncryptionKey();
    const previous = generateEncryptionKey();
    const cipher = createFieldCipher(parseEncryptionKey(key), [parseEncryptionKey(previous)]);
    const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.';
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 80 }), fc.boolean(), fc.nat(), fc.nat(), (plain, legacy, at, by) => {
        const text = legacy ? encryptV1(previous, plain, 'reports.reporter:r1') : cipher.encrypt(plain, 'reports.reporter:r1');
        expect(cipher.decrypt(text, 'reports.reporter:r1')).toBe(plain);
        const index = at % text.length;
        const original = text.charAt(index);
        const replacement = alphabet.charAt((alphabet.indexOf(original) + 1 + (by % (alphabet.length - 1))) % alphabet.length);
        const tampered = `${text.slice(0, index)}${replacement}${text.slice(index + 1)}`;
        expect(tampered).not.toBe(text);
        expect(() => cipher.decrypt(tampered, 'reports.reporter:r1')).toThrow();
      }),
      { numRuns: 400 },
    );
  });

  it('refuses a value under a key id that is not configured, naming the key id and the context, never the plaintext', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 6, maxLength: 40 }).filter((s) => s.trim().length >= 6),
        (plain) => {
          const oldKey = parseEncryptionKey(generateEncryptionKey());
          const newKey = parseEncryptionKey(generateEncryptionKey());
          const text = createFieldCipher(oldKey).encrypt(plain, 'webhook_subscriptions.secret:wh_1');
          const error = thrown(
            () => createFieldCipher(newKey).decrypt(text, 'webhook_subscriptions.secret:wh_1'),
            'unknown_encryption_key',
          );
          expect(error.message).toContain(encryptionKeyId(oldKey));
          expect(error.message).toContain('webhook_subscriptions.secret:wh_1');
          expect(error.message).toContain('TAHAFFUZ_ENCRYPTION_KEYS_PREVIOUS');
          expect(error.message).not.toContain(plain);
          // Relabelling it with the configured key id does not help: the header is authenticated.
          const relabelled = text.replace(encryptionKeyId(oldKey), encryptionKeyId(newKey));
          expect(() => createFieldCipher(newKey).decrypt(relabelled, 'webhook_subscriptions.secret:wh_1')).toThrow(/does not decrypt/);
          const downgraded = text.replace(/^v2\.[0-9a-f]{8}\./, 'v1.');
          expect(() => createFieldCipher(oldKey).decrypt(downgraded, 'webhook_subscriptions.secret:wh_1')).toThrow(/does not decrypt/);
        },
      ),
      { numRuns: 30 },
    );
  });
});
