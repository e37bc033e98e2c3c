/** Ciphertext of a queued report: AES-GCM with a fresh 96-bit IV, bound to the report's id. */
export interface Sealed {
  readonly iv: Uint8Array;
  readonly data: ArrayBuffer;
}

/** A new AES-256-GCM key that no script can read out (`extractable: false`), only use. */
export function generateQueueKey(): Promise<CryptoKey> {
  return crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
}

/**
 * Encrypts a JSON value. The report's id is the additional data, so a ciphertext moved to another
 * record does not decrypt.
 */
export async function seal(key: CryptoKey, id: string, value: unknown): Promise<Sealed> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const plaintext = new TextEncoder().encode(JSON.stringify(value));
  const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(id) }, key, plaintext);
  return { iv, data };
}

/** Decrypts what {@link seal} made for the same id; throws when the key, id or bytes differ. */
export async function open(key: CryptoKey, id: string, sealed: Sealed): Promise<unknown> {
  const plaintext = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: sealed.iv as Uint8Array<ArrayBuffer>, additionalData: new TextEncoder().encode(id) },
    key,
    sealed.data,
  );
  return JSON.parse(new TextDecoder().decode(plaintext)) as unknown;
}
