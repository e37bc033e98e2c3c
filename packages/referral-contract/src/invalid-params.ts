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
      return `expected ${issue.expected}`;
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
    case 'invalid_union': {
      const options = 'options' in issue ? issue.options : undefined;
      return options !== undefined && options.length > 0
        ? `expected one of ${options.map(describeValue).join(', ')}`
        : 'matches none of the allowed shapes';
    }
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
 * Pass the parsed `input` too and a missing field says `required` instead of `expected string`
 * (zod leaves the input out of its issues).
 *
 * @example
 * ```ts
 * const result = ReportCreateSchema.safeParse(body);
 * if (!result.success) problem.invalid_params = toInvalidParams(result.error, body);
 * ```
 */
export function toInvalidParams(error: { readonly issues: readonly Issue[] } | readonly Issue[], input?: unknown): InvalidParam[] {
  const issues: readonly Issue[] = 'issues' in error ? error.issues : error;
  const params: InvalidParam[] = [];
  // biome-ignore lint/complexity/noArguments: whether `input` was passed at all; an undefined input is still an input.
  collect(issues, [], params, arguments.length > 1 ? { input } : undefined);
  return params;
}

/** Whether the value at `path` of `input` is absent (its parent exists and lacks the key). */
function isMissing(input: unknown, path: readonly PropertyKey[]): boolean {
  let node = input;
  for (const segment of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return false;
    node = (node as Record<PropertyKey, unknown>)[segment];
  }
  const last = path[path.length - 1];
  return (
    last !== undefined &&
    node !== null &&
    typeof node === 'object' &&
    (!Object.hasOwn(node, last) || (node as Record<PropertyKey, unknown>)[last] === undefined)
  );
}

function collect(
  issues: readonly Issue[],
  prefix: readonly PropertyKey[],
  params: InvalidParam[],
  source: { input: unknown } | undefined,
): void {
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) params.push({ name: formatPath([...path, key]), reason: 'unknown field' });
      continue;
    }
    if (issue.code === 'invalid_union') {
      // When exactly one alternative accepted the value's shape and failed inside it (say the
      // list form of `organization_ids`), its issues name the field to fix; report those.
      const inside = issue.errors.filter((alternative) => alternative.length > 0 && alternative.every((i) => i.path.length > 0));
      const [only] = inside;
      if (inside.length === 1 && only !== undefined) {
        collect(only, path, params, source);
        continue;
      }
    }
    const missing = issue.code === 'invalid_type' && source !== undefined && isMissing(source.input, path);
    params.push({ name: formatPath(path), reason: missing ? 'required' : issueReason(issue) });
  }
}
