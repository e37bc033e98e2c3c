import { formatPath } from '@tahaffuz/referral-contract';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HttpProblem } from './http-problem.js';
import { MAX_JSON_DEPTH, parseJsonBody, scanJson } from './json-body.js';

function refusal(text: string): unknown {
  try {
    parseJsonBody(text);
  } catch (error) {
    expect(error).toBeInstanceOf(HttpProblem);
    return (error as HttpProblem).invalidParams;
  }
  return undefined;
}

/** Strings full of the characters that could fool a scanner: quotes, escapes and brackets. */
const tricky = fc.string({ unit: fc.constantFrom('"', '\\', '[', ']', '{', '}', ',', ':', 'a', 'é', '\u2028', '\n') });

describe('parsing request bodies', () => {
  it('parses every JSON text without duplicate keys within the depth limit exactly as JSON.parse does', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), tricky, (value, text) => {
        const document = JSON.stringify({ value, text, [text]: [text] });
        expect(parseJsonBody(document)).toEqual(JSON.parse(document));
        const spaced = JSON.stringify(value, null, 2);
        if (spaced !== undefined) expect(parseJsonBody(spaced)).toEqual(JSON.parse(spaced));
      }),
    );
  });

  it('accepts nesting up to the limit and refuses one level more, of arrays and objects alike', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 * MAX_JSON_DEPTH }), fc.boolean(), (depth, objects) => {
        const text = objects ? `${'{"a":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}` : `${'['.repeat(depth)}${']'.repeat(depth)}`;
        const params = refusal(text);
        if (depth <= MAX_JSON_DEPTH) expect(params).toBeUndefined();
        else expect(params).toEqual([expect.objectContaining({ reason: `nested deeper than ${MAX_JSON_DEPTH} arrays and objects` })]);
      }),
      { numRuns: 200 },
    );
  });

  it('stops at the depth limit of 256 KiB of brackets without reading the rest', () => {
    expect(scanJson('['.repeat(256 * 1024))).toEqual({ kind: 'too-deep', name: '$' });
    // Named by the field that holds the nesting, not by hundreds of array indices.
    expect(refusal(`{"a":{"b":${'['.repeat(MAX_JSON_DEPTH)}`)).toEqual([
      { name: 'a.b', reason: `nested deeper than ${MAX_JSON_DEPTH} arrays and objects` },
    ]);
  });

  it('refuses a key given twice in one object, at any depth, naming it; equal keys in different objects are fine', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }), { minKeys: 1, maxKeys: 5 }),
        fc.array(fc.constantFrom('a', 'b_c'), { maxLength: 4 }),
        fc.nat(),
        fc.jsonValue({ maxDepth: 2 }),
        (object, wrappers, pick, extra) => {
          const keys = Object.keys(object);
          const duplicated = keys[pick % keys.length] as string;
          // The same key again, spelled with escapes where it has any character to escape.
          const spelled = JSON.stringify(duplicated).replace(/[a-z]/, (ch) => `\\u00${ch.charCodeAt(0).toString(16)}`);
          let text = `${JSON.stringify(object).slice(0, -1)},${spelled}:${JSON.stringify(extra)}}`;
          for (const wrapper of [...wrappers].reverse()) text = `{"${wrapper}":${text},"${wrapper}x":${JSON.stringify(object)}}`;
          const params = refusal(text) as { name: string; reason: string }[];
          expect(params).toHaveLength(1);
          expect(params[0]).toEqual({
            name: formatPath([...wrappers, duplicated]),
            reason: 'this key appears more than once in its object',
          });
        },
      ),
    );
    expect(refusal('{"id":"a","id":"b"}')).toEqual([{ name: 'id', reason: 'this key appears more than once in its object' }]);
    expect(refusal('[{"id":1},{"id":2},{"x":{"y":1,"y":2}}]')).toEqual([
      { name: '[2].x.y', reason: 'this key appears more than once in its object' },
    ]);
  });

  it('refuses empty and invalid bodies with a reason', () => {
    expect(refusal('  ')).toEqual([{ name: '$', reason: 'required (a JSON body)' }]);
    expect(refusal('{"a":')).toEqual([{ name: '$', reason: 'not valid JSON' }]);
    expect(refusal('{"a\\u12":1}')).toEqual([{ name: '$', reason: 'not valid JSON' }]);
  });
});
