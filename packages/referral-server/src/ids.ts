import { randomUUID } from 'node:crypto';
import { randomPoolBytes } from './random-pool.js';

/** Crockford base32 without I, L, O, U: nothing that reads as another character. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function randomString(length: number, alphabet: string): string {
  // Rejection sampling keeps every character equally likely.
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    for (const byte of randomPoolBytes(length * 2)) {
      if (byte < limit && out.length < length) out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}

/** A new server-owned id: a random UUID, as the contract's `IdSchema` requires. */
export function newId(): string {
  return randomUUID();
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
