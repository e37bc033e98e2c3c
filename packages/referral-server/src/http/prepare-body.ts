import { toInvalidParams } from '@tahaffuz/referral-contract';
import * as z from 'zod/mini';
import { canonicalJson } from '../canonical-json.js';
import { HttpProblem } from './http-problem.js';
import { parseJsonBody } from './json-body.js';
import { refuseNulInBody } from './text-input.js';
import { normaliseUuids } from './uuid-input.js';

/** A request body ready for its operation: parsed, checked, normalised, validated and canonical. */
export interface PreparedBody {
  /** The text as received. */
  readonly text: string;
  /** The parsed JSON with its UUIDs lower-cased (what is hashed and stored). */
  readonly parsed: unknown;
  /** The value after schema validation. */
  readonly body: unknown;
  /** `canonicalJson(parsed)`. */
  readonly canonical: string;
  /** The canonical form of the body as received, before UUIDs were lower-cased. */
  readonly receivedCanonical: string;
}

/*
 * Everything a body costs in CPU happens here, before the request takes any lock: on SQLite the
 * rest of a request runs inside a write transaction shared with others (decision 0010), and a
 * body parsed in there (say 256 KiB of `[`) made every request queued behind it wait. It needs no
 * database, so it cannot run inside a transaction; the request answers its problem, if any, at the
 * same point as before (after the rate limits and the key check).
 */

/**
 * Parses and validates a request body for an operation's schema, or throws the 400 {@link HttpProblem}
 * that names what is wrong: not JSON, too deep, a key twice, a NUL character, the nil UUID, or a field
 * the schema refuses.
 */
export function prepareBody(schema: z.core.$ZodType, text: string): PreparedBody {
  const received = parseJsonBody(text);
  refuseNulInBody(received);
  const parsed = normaliseUuids(received);
  const result = z.safeParse(schema, parsed);
  if (!result.success) {
    throw new HttpProblem('validation', { detail: 'The request body is not valid.', invalidParams: toInvalidParams(result.error) });
  }
  const canonical = canonicalJson(parsed);
  return { text, parsed, body: result.data, canonical, receivedCanonical: parsed === received ? canonical : canonicalJson(received) };
}
