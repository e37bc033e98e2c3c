import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateQueueKey, open, seal } from './sealed-box.js';

const ID = '0b8f2f6e-5a8e-4c1f-9d57-2f1f7d0e8a11';

describe('seal and open (AES-GCM, WebCrypto)', () => {
  it('give back any JSON value, and the ciphertext holds none of its text', async () => {
    const key = await generateQueueKey();
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 8, unit: 'grapheme' }), async (secret) => {
        const value = { narrative: secret, nested: [secret] };
        const sealed = await seal(key, ID, value);
        expect(await open(key, ID, sealed)).toEqual(value);
        const bytes = Buffer.from(sealed.data);
        expect(bytes.includes(Buffer.from(secret, 'utf8'))).toBe(false);
      }),
      { numRuns: 50 },
    );
  });

  it('cannot be exported, and does not open under another id or key', async () => {
    const key = await generateQueueKey();
    expect(key.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('raw', key)).rejects.toThrow();
    const sealed = await seal(key, ID, { a: 1 });
    await expect(open(key, '11111111-1111-4111-8111-111111111111', sealed)).rejects.toThrow();
    await expect(open(await generateQueueKey(), ID, sealed)).rejects.toThrow();
  });

  it('uses a fresh IV every time', async () => {
    const key = await generateQueueKey();
    const a = await seal(key, ID, 'same');
    const b = await seal(key, ID, 'same');
    expect(Buffer.from(a.iv).equals(Buffer.from(b.iv))).toBe(false);
  });
});
