import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { formatPath, toInvalidParams } from './invalid-params.js';

describe('formatPath', () => {
  it('writes JSON paths', () => {
    expect(formatPath(['victims', 'count'])).toBe('victims.count');
    expect(formatPath(['categories', 2])).toBe('categories[2]');
    expect(formatPath(['rules', 0, 'admin_area'])).toBe('rules[0].admin_area');
    expect(formatPath(['x-extra'])).toBe('["x-extra"]');
    expect(formatPath([])).toBe('$');
  });

  it('puts every segment in the path, in order (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.nat(), fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/)), { minLength: 1 }), (path) => {
        const expected = path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
        expect(formatPath(path)).toBe(expected);
      }),
    );
  });
});

describe('toInvalidParams', () => {
  const Schema = z.strictObject({
    victims: z.strictObject({ count: z.int().check(z.gte(1)) }),
    categories: z.array(z.enum(['a', 'b'])).check(z.maxLength(3)),
    name: z.string().check(z.minLength(2)),
  });

  it('gives one entry per field with a reason a person can act on', () => {
    const result = Schema.safeParse({ victims: { count: 0, age: 3 }, categories: ['a', 'c'], name: 'x', extra: 1 });
    expect(result.success).toBe(false);
    expect(toInvalidParams(result.error!)).toEqual([
      { name: 'victims.count', reason: 'must be at least 1' },
      { name: 'victims.age', reason: 'unknown field' },
      { name: 'categories[1]', reason: "expected one of 'a', 'b'" },
      { name: 'name', reason: 'must have at least 2 characters' },
      { name: 'extra', reason: 'unknown field' },
    ]);
  });

  it('names a list that is too long', () => {
    const result = Schema.safeParse({ victims: { count: 1 }, categories: ['a', 'b', 'a', 'b'], name: 'xy' });
    expect(toInvalidParams(result.error!)).toEqual([{ name: 'categories', reason: 'must have at most 3 items' }]);
  });

  it('looks inside the one union alternative that has the right shape', () => {
    const Scope = z.strictObject({
      ids: z.union([z.literal('any'), z.array(z.uuid()).check(z.minLength(1))]),
      mode: z.discriminatedUnion('kind', [z.strictObject({ kind: z.literal('a') }), z.strictObject({ kind: z.literal('b') })]),
    });
    const result = Scope.safeParse({ ids: ['0f8fad5b-d9cb-469f-a165-70867728950e', 42], mode: { kind: 'c' } });
    expect(toInvalidParams(result.error!)).toEqual([
      { name: 'ids[1]', reason: 'expected string' },
      { name: 'mode.kind', reason: "expected one of 'a', 'b'" },
    ]);
    const neither = Scope.safeParse({ ids: 7, mode: { kind: 'a' } });
    expect(toInvalidParams(neither.error!)).toEqual([{ name: 'ids', reason: 'matches none of the allowed shapes' }]);
  });

  it('says when a field is missing (given the input), and keeps custom messages', () => {
    const Schema2 = z.strictObject({
      a: z.string(),
      b: z.string().check(z.refine((v) => v === 'ok', { message: 'must be ok' })),
      c: z.strictObject({ d: z.int() }),
    });
    const input = { b: 'no', c: { d: 'x' } };
    const result = Schema2.safeParse(input);
    expect(toInvalidParams(result.error!.issues, input)).toEqual([
      { name: 'a', reason: 'required' },
      { name: 'b', reason: 'must be ok' },
      { name: 'c.d', reason: 'expected number' },
    ]);
    expect(toInvalidParams(result.error!)[0]).toEqual({ name: 'a', reason: 'expected string' });
  });
});
