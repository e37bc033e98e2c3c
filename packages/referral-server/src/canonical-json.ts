import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted (by UTF-16 code units, as RFC 8785) at every depth and no
 * whitespace: two bodies that mean the same compare equal whatever their key order or spacing.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      Object.defineProperty(out, key, {
        value: sortKeys((value as Record<string, unknown>)[key]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}

/** SHA-256 (hex) of a request's method, path and canonical body; a body that is not JSON is hashed as text. */
export function requestHash(method: string, path: string, rawBody: string): string {
  let canonical = rawBody;
  if (rawBody.trim() !== '') {
    try {
      canonical = canonicalJson(JSON.parse(rawBody));
    } catch {
      canonical = `raw:${rawBody}`;
    }
  }
  return requestHashOfCanonical(method, path, canonical);
}

/** {@link requestHash} when the caller already has the canonical JSON of the parsed body. */
export function requestHashOfCanonical(method: string, path: string, canonical: string): string {
  return createHash('sha256').update(`${method.toUpperCase()} ${path}\n${canonical}`, 'utf8').digest('hex');
}
