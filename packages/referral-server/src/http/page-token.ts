import { HttpProblem } from './http-problem.js';
import { hasNoNul } from './text-input.js';

/** An opaque cursor: the sort key of the last item of the page. */
export function encodePageToken(parts: readonly string[]): string {
  return Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
}

/** Decodes a cursor of `length` strings, or answers 400 naming `page_token`. */
export function decodePageToken(token: string, length: number): string[] {
  try {
    const parts = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(parts) && parts.length === length && parts.every((p) => typeof p === 'string' && hasNoNul(p)))
      return parts as string[];
  } catch {
    // answered below
  }
  throw new HttpProblem('validation', { invalidParams: [{ name: 'page_token', reason: 'not a token from a previous page' }] });
}
