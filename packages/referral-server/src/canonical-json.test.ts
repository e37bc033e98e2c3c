import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, requestHash } from './canonical-json.js';

function shuffleKeys(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffleKeys(v, seed));
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    const rotated = keys
      .slice(seed % (keys.length || 1))
      .concat(keys.slice(0, seed % (keys.length || 1)))
      .reverse();
    const out: Record<string, unknown> = {};
    for (const key of rotated) {
      Object.defineProperty(out, key, { value: shuffleKeys((value as Record<string, unknown>)[key], seed), enumerable: true });
    }
    return out;
  }
  return value;
}

describe('canonical JSON', () => {
  it('is the same for any key order and spacing, and parses back to an equal value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(), (value, seed) => {
        const shuffled = shuffleKeys(value, seed);
        expect(canonicalJson(shuffled)).toBe(canonicalJson(value));
        expect(requestHash('POST', '/v1/reports', JSON.stringify(shuffled, null, 2))).toBe(
          requestHash('post', '/v1/reports', JSON.stringify(value)),
        );
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a __proto__ key as data', () => {
    const parsed = JSON.parse('{"b":1,"__proto__":{"x":1}}') as unknown;
    expect(canonicalJson(parsed)).toBe('{"__proto__":{"x":1},"b":1}');
  });

  it('tells different bodies and different paths apart', () => {
    expect(requestHash('POST', '/v1/reports', '{"a":1}')).not.toBe(requestHash('POST', '/v1/reports', '{"a":2}'));
    expect(requestHash('POST', '/v1/reports', '{"a":1}')).not.toBe(requestHash('POST', '/v1/cases', '{"a":1}'));
    expect(requestHash('POST', '/v1/reports', 'not json')).toBe(requestHash('POST', '/v1/reports', 'not json'));
  });
});
