import { formatPath } from '@tahaffuz/referral-contract';
import { HttpProblem } from './http-problem.js';

const NUL = '\u0000';
const NUL_REASON = 'must not contain a NUL character (U+0000)';

/*
 * PostgreSQL cannot store U+0000 in text (SQLSTATE 22021) and SQLite would store it, so the same
 * request would fail on one backend and succeed on the other. No field of the API has a use for it:
 * it is refused where text enters, before storage sees it.
 */

/** The JSON path of the first string (value or key) in `value` holding a NUL character, if any. */
function nulPath(value: unknown, path: PropertyKey[] = []): string | undefined {
  if (typeof value === 'string') return value.includes(NUL) ? formatPath(path) : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = nulPath(item, [...path, index]);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value)) {
    if (key.includes(NUL)) return formatPath([...path, key]);
    const found = nulPath(item, [...path, key]);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Answers 400 naming the field when a parsed body holds a NUL character anywhere. */
export function refuseNulInBody(body: unknown): void {
  const name = nulPath(body);
  if (name !== undefined) {
    throw new HttpProblem('validation', { detail: 'The request body is not valid.', invalidParams: [{ name, reason: NUL_REASON }] });
  }
}

/** Answers 400 naming the parameter when a query string name or value holds a NUL character. */
export function refuseNulInQuery(params: URLSearchParams): void {
  for (const [name, value] of params) {
    if (name.includes(NUL) || value.includes(NUL)) {
      throw new HttpProblem('validation', {
        detail: 'Query parameters are not valid.',
        invalidParams: [{ name: name.includes(NUL) ? '$query' : name, reason: NUL_REASON }],
      });
    }
  }
}

/** Whether a string is free of NUL characters (for decoded values such as page tokens). */
export function hasNoNul(text: string): boolean {
  return !text.includes(NUL);
}
