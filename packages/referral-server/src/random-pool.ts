import { randomFillSync } from 'node:crypto';

/*
 * Each `randomBytes(n)` is a call into the CSPRNG; a create needs several small draws (lease
 * token, IVs, the reference), which added up to more CPU than hashing the body. Draw 4 KiB at a
 * time instead, as Node's own `randomUUID` does, and hand out fresh copies: no byte is ever given
 * out twice.
 */
const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let offset = POOL_BYTES;

/** `n` cryptographically random bytes (a new Buffer), drawn from a pooled CSPRNG buffer. */
export function randomPoolBytes(n: number): Buffer {
  if (n > POOL_BYTES / 4) return randomFillSync(Buffer.alloc(n));
  if (offset + n > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const out = Buffer.from(pool.subarray(offset, offset + n));
  // Wipe what was handed out, so the pool never holds a copy of a token or IV in use.
  pool.fill(0, offset, offset + n);
  offset += n;
  return out;
}
