import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HttpProblem } from './http-problem.js';
import { NIL_UUID, normaliseUuid, normaliseUuids } from './uuid-input.js';

/** A UUID with each letter in a random case. */
const anyCaseUuid = fc
  .tuple(fc.uuid(), fc.array(fc.boolean(), { minLength: 36, maxLength: 36 }))
  .map(([uuid, flips]) => [...uuid].map((ch, i) => (flips[i] === true ? ch.toUpperCase() : ch)).join(''));

describe('UUID normalisation', () => {
  it('lower-cases a UUID in any case, wherever it sits in a JSON value, and nothing else', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), anyCaseUuid, fc.string(), (value, uuid, key) => {
        const wrapped = { [key]: [value, uuid], id: uuid, nested: { ids: [uuid, uuid] } };
        const out = normaliseUuids(wrapped) as typeof wrapped;
        const lower = uuid.toLowerCase();
        expect(out.id).toBe(lower);
        expect(out.nested.ids).toEqual([lower, lower]);
        expect((out as Record<string, unknown>)[key] === undefined).toBe(false);
        // Idempotent, and the input is never changed in place.
        expect(normaliseUuids(out)).toEqual(out);
        expect(wrapped.id).toBe(uuid);
      }),
    );
  });

  it('leaves every value without a UUID-shaped string as it is (the same object)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        fc.pre(!JSON.stringify(value).match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i));
        expect(normaliseUuids(value)).toBe(value);
      }),
    );
  });

  it('refuses the nil UUID in any case with the path of the field', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ minLength: 1, maxLength: 8 }).filter((k) => /^[a-z_]+$/.test(k)),
          { minLength: 1, maxLength: 4 },
        ),
        (keys) => {
          let value: unknown = NIL_UUID;
          for (const key of [...keys].reverse()) value = { [key]: value };
          try {
            normaliseUuids(value);
            expect.unreachable('the nil UUID was accepted');
          } catch (error) {
            expect(error).toBeInstanceOf(HttpProblem);
            expect((error as HttpProblem).invalidParams).toEqual([{ name: keys.join('.'), reason: 'the nil UUID is not an id' }]);
          }
        },
      ),
    );
  });

  it('keeps a __proto__ key an own property of the copy', () => {
    const input = JSON.parse(`{"__proto__":"6F1D2C3B-0000-4000-8000-000000000001"}`) as Record<string, unknown>;
    const out = normaliseUuids(input) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toBe('6f1d2c3b-0000-4000-8000-000000000001');
    expect(normaliseUuid('not-a-uuid', 'x')).toBe('not-a-uuid');
  });
});
