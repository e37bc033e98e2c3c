import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_SCHEDULE, expiryOf, retryDelay } from './retry-schedule.js';

describe('retryDelay', () => {
  it('doubles from 30 s up to one hour', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => retryDelay(n))).toEqual([
      30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000,
    ]);
    expect(retryDelay(10_000)).toBe(3_600_000);
  });

  it('never decreases, never exceeds the cap and is never below the base', () => {
    const schedule = fc.record({
      maxAgeDays: fc.integer({ min: 1, max: 365 }),
      baseMs: fc.integer({ min: 1, max: 60_000 }),
      capMs: fc.integer({ min: 60_000, max: 86_400_000 }),
    });
    fc.assert(
      fc.property(schedule, fc.integer({ min: 1, max: 10_000 }), (s, n) => {
        const delay = retryDelay(n, s);
        expect(delay).toBeLessThanOrEqual(s.capMs);
        expect(delay).toBeGreaterThanOrEqual(s.baseMs);
        expect(retryDelay(n + 1, s)).toBeGreaterThanOrEqual(delay);
      }),
    );
  });
});

describe('expiryOf', () => {
  it('is 30 days after queueing by default', () => {
    expect(expiryOf(0)).toBe(30 * 86_400_000);
    expect(expiryOf(1_000, { ...DEFAULT_RETRY_SCHEDULE, maxAgeDays: 2 })).toBe(1_000 + 2 * 86_400_000);
  });
});
