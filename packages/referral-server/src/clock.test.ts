import fc from 'fast-check';
import { expect, it } from 'vitest';
import { isoAt } from './clock.js';

it('isoAt formats like Date#toISOString whatever instants came before (its cache never answers for another)', () => {
  const instant = fc.oneof(fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.constantFrom(0, 1, 1_700_000_000_000, 1_700_000_000_001));
  fc.assert(
    fc.property(fc.array(instant, { minLength: 1, maxLength: 30 }), (instants) => {
      for (const ms of instants) expect(isoAt(ms)).toBe(new Date(ms).toISOString());
    }),
  );
});
