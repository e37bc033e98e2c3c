import { formatPath } from '@tahaffuz/referral-contract';
import { HttpProblem } from './http-problem.js';

const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The nil UUID: never an id of anything, refused wherever an id is sent. */
export const NIL_UUID = '00000000-0000-0000-0000-000000000000';

const NIL_REASON = 'the nil UUID is not an id';

/*
 * A UUID is a number: `6F1D…` and `6f1d…` are the same id (RFC 9562 §4), and Swift's
 * `UUID().uuidString` writes upper case. Ids are stored in lower case, so every string of the
 * request that has the shape of a UUID is lower-cased before validation and lookup — the path,
 * the query and the body alike (docs/decisions/0020-hardening.md). A free-text field holding
 * exactly a UUID and nothing else is lower-cased too; no field of the API has a use for that.
 */

/** Whether `text` has the shape of a UUID (any case). */
function isUuidShaped(text: string): boolean {
  return text.length === 36 && UUID_SHAPE.test(text);
}

/** `text` lower-cased when it has the shape of a UUID; answers 400 naming `name` for the nil UUID. */
export function normaliseUuid(text: string, name: string): string {
  if (!isUuidShaped(text)) return text;
  const lower = text.toLowerCase();
  if (lower === NIL_UUID) {
    throw new HttpProblem('validation', { detail: 'The request is not valid.', invalidParams: [{ name, reason: NIL_REASON }] });
  }
  return lower;
}

/**
 * A copy of a parsed JSON value in which every UUID-shaped string is lower-case (keys are left as
 * they are); the same value when there is none to change. Answers 400 naming the field for the nil UUID.
 */
export function normaliseUuids(value: unknown, path: PropertyKey[] = []): unknown {
  if (typeof value === 'string') return normaliseUuid(value, formatPath(path));
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (const [index, item] of value.entries()) {
      const next = normaliseUuids(item, [...path, index]);
      if (next !== item) {
        copy ??= [...value];
        copy[index] = next;
      }
    }
    return copy ?? value;
  }
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const next = normaliseUuids(item, [...path, key]);
    if (next !== item) {
      // defineProperty, not assignment: a `__proto__` key must stay an own data property.
      copy ??= { ...(value as Record<string, unknown>) };
      Object.defineProperty(copy, key, { value: next, enumerable: true, configurable: true, writable: true });
    }
  }
  return copy ?? value;
}
