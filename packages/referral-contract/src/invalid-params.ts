import type * as z from 'zod/mini';
import type { InvalidParam } from './problem.js';

type Issue = z.core.$ZodIssue;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** The JSON path of a list of path segments: `victims.count`, `categories[2]`, `$` for the root. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out === '' ? '$' : out;
}

/** The JSON path an issue is about: `victims.count`, `categories[2]`, `$` for the body itself. */
export function formatIssuePath(issue: Pick<Issue, 'path'>): string {
  return formatPath(issue.path);
}

function describeValue(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}

/** A reason a person can act on, from the issue's details (zod/mini ships no messages). */
export function issueReason(issue: Issue): string {
  if (issue.message !== '' && issue.message !== 'Invalid input') return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? `required (${issue.expected})` : `expected ${issue.expected}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map(describeValue).join(', ')}`;
    case 'invalid_format':
      return `not a valid ${issue.format === 'regex' ? 'value' : issue.format}`;
    case 'too_small':
      return issue.origin === 'string'
        ? `must have at least ${String(issue.minimum)} characters`
        : issue.origin === 'array' || issue.origin === 'set'
          ? `must have at least ${String(issue.minimum)} items`
          : `must be ${issue.inclusive === false ? 'above' : 'at least'} ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'string'
        ? `must have at most ${String(issue.maximum)} characters`
        : issue.origin === 'array' || issue.origin === 'set'
          ? `must have at most ${String(issue.maximum)} items`
          : `must be ${issue.inclusive === false ? 'below' : 'at most'} ${String(issue.maximum)}`;
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    case 'unrecognized_keys':
      return 'unknown field';
    case 'invalid_union':
      return 'matches none of the allowed shapes';
    case 'invalid_key':
      return 'invalid key';
    case 'invalid_element':
      return 'invalid element';
    default:
      return 'invalid';
  }
}

/**
 * The `invalid_params` of a problem from a zod error (or its issues): one entry per field, an
 * unknown key named by its own path (`reporter.contact`), so a person can find what to fix.
 *
 * @example
 * ```ts
 * const result = ReportCreateSchema.safeParse(body);
 * if (!result.success) problem.invalid_params = toInvalidParams(result.error);
 * ```
 */
export function toInvalidParams(error: { readonly issues: readonly Issue[] } | readonly Issue[]): InvalidParam[] {
  const issues: readonly Issue[] = 'issues' in error ? error.issues : error;
  const params: InvalidParam[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) params.push({ name: formatPath([...issue.path, key]), reason: 'unknown field' });
    } else {
      params.push({ name: formatIssuePath(issue), reason: issueReason(issue) });
    }
  }
  return params;
}
