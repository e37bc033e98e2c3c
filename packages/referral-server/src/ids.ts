import { randomBytes } from 'node:crypto';

/** Crockford base32 without I, L, O, U: nothing that reads as another character. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function randomString(length: number, alphabet: string): string {
  // Rejection sampling keeps every character equally likely.
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit && out.length < length) out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}

/** A new server-owned id such as `case_7K3MQ9XD2B4F6H8J`: a prefix naming the kind, 80 random bits. */
export function newId(prefix: string): string {
  return `${prefix}_${randomString(16, ALPHABET)}`;
}

/** A new report reference such as `TZ-7K3M-Q9XD`: random, so it reveals nothing about the report. */
export function newReference(): string {
  const body = randomString(8, ALPHABET);
  return `TZ-${body.slice(0, 4)}-${body.slice(4)}`;
}

/** `length` random base62 characters, for secrets that people copy. */
export function randomToken(length: number): string {
  return randomString(length, BASE62);
}
