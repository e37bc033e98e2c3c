import { formatPath } from '@tahaffuz/referral-contract';
import { HttpProblem } from './http-problem.js';

/** The deepest nesting of arrays and objects a request body may have. */
export const MAX_JSON_DEPTH = 400;

/** What {@link scanJson} found wrong with a JSON text, with the JSON path it is at. */
export type JsonScanProblem =
  | { readonly kind: 'too-deep'; readonly name: string }
  | { readonly kind: 'duplicate-key'; readonly name: string };

interface Frame {
  readonly object: boolean;
  readonly keys: Set<string> | undefined;
  /** The key or index of the value being read in this container. */
  at: string | number | undefined;
  expectKey: boolean;
}

function pathOf(stack: readonly Frame[], last?: string): string {
  const path: PropertyKey[] = [];
  for (const frame of stack) if (frame.at !== undefined) path.push(frame.at);
  if (last !== undefined) path[path.length] = last;
  return formatPath(path);
}

/** The path to the field holding the nesting: array indices after the last key say nothing more (`[[[…` is `$`). */
function fieldPathOf(stack: readonly Frame[]): string {
  let end = stack.length;
  while (end > 0 && !(stack[end - 1] as Frame).object) end -= 1;
  return pathOf(stack.slice(0, end));
}

/*
 * JSON.parse cannot be told to stop: 256 KiB of `[` costs it tens of milliseconds, and it lets the
 * last of two equal keys win silently (`{"id":"a","id":"b"}`), so a body could mean one thing to
 * the server and another to whoever checked it before. One linear pass over the text first, which
 * builds nothing: it tracks only strings, nesting and the keys of each open object, and stops at
 * the first container past the depth limit. Syntax is left to JSON.parse.
 */

/**
 * Finds nesting past `maxDepth` and duplicate keys in a JSON text, without parsing its values.
 * Returns `undefined` when there is neither (the text may still be invalid JSON).
 */
export function scanJson(text: string, maxDepth: number = MAX_JSON_DEPTH): JsonScanProblem | undefined {
  const stack: Frame[] = [];
  const length = text.length;
  for (let i = 0; i < length; i += 1) {
    const code = text.charCodeAt(i);
    if (code === 0x22 /* " */) {
      let end = i + 1;
      let escaped = false;
      while (end < length) {
        const inner = text.charCodeAt(end);
        if (inner === 0x5c /* \ */) {
          escaped = true;
          end += 2;
        } else if (inner === 0x22) {
          break;
        } else {
          end += 1;
        }
      }
      const top = stack[stack.length - 1];
      if (top?.object === true && top.expectKey && top.keys !== undefined) {
        let key = text.slice(i + 1, end);
        if (escaped) {
          try {
            key = JSON.parse(text.slice(i, end + 1)) as string;
          } catch {
            return undefined; // not JSON: JSON.parse says so
          }
        }
        if (top.keys.has(key)) return { kind: 'duplicate-key', name: pathOf(stack.slice(0, -1), key) };
        top.keys.add(key);
        top.at = key;
        top.expectKey = false;
      }
      i = end;
    } else if (code === 0x7b /* { */ || code === 0x5b /* [ */) {
      if (stack.length >= maxDepth) return { kind: 'too-deep', name: fieldPathOf(stack) };
      const object = code === 0x7b;
      stack.push({ object, keys: object ? new Set() : undefined, at: object ? undefined : 0, expectKey: object });
    } else if (code === 0x7d /* } */ || code === 0x5d /* ] */) {
      stack.pop();
    } else if (code === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top === undefined) continue;
      if (top.object) top.expectKey = true;
      else top.at = (top.at as number) + 1;
    }
  }
  return undefined;
}

/**
 * Parses a request body as JSON, or answers 400 naming what is wrong: an empty body, invalid JSON,
 * nesting deeper than {@link MAX_JSON_DEPTH}, or a key given twice in one object.
 */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') {
    throw new HttpProblem('validation', { invalidParams: [{ name: '$', reason: 'required (a JSON body)' }] });
  }
  const problem = scanJson(text);
  if (problem !== undefined) {
    throw new HttpProblem('validation', {
      detail: 'The request body is not valid.',
      invalidParams: [
        problem.kind === 'too-deep'
          ? { name: problem.name, reason: `nested deeper than ${MAX_JSON_DEPTH} arrays and objects` }
          : { name: problem.name, reason: 'this key appears more than once in its object' },
      ],
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpProblem('validation', { invalidParams: [{ name: '$', reason: 'not valid JSON' }] });
  }
}
