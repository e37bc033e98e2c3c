import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY, backoffDelay, isRetryable, parseRetryAfter, type AttemptOutcome } from './retry-policy.js';

const methods = fc.constantFrom('GET', 'HEAD', 'PUT', 'DELETE', 'POST', 'PATCH', 'get', 'post');
const outcomes: fc.Arbitrary<AttemptOutcome> = fc.oneof(
  fc.constant({ kind: 'network' as const }),
  fc.constant({ kind: 'timeout' as const }),
  fc.record({
    kind: fc.constant('status' as const),
    status: fc.integer({ min: 100, max: 599 }),
    problemCode: fc.option(fc.constantFrom('idempotency-in-flight', 'id-conflict', 'conflict', 'validation'), {
      nil: undefined,
    }),
  }),
);

describe('isRetryable', () => {
  it('agrees with the rules for every method, key presence and outcome', () => {
    fc.assert(
      fc.property(methods, fc.boolean(), outcomes, (method, hasKey, outcome) => {
        const upper = method.toUpperCase();
        const methodAllows = hasKey || !['POST', 'PATCH'].includes(upper);
        const outcomeAllows =
          outcome.kind !== 'status' ||
          [408, 429, 500, 502, 503, 504].includes(outcome.status) ||
          (outcome.status === 409 && outcome.problemCode === 'idempotency-in-flight');
        expect(isRetryable(method, hasKey, outcome)).toBe(methodAllows && outcomeAllows);
      }),
    );
  });

  it('never retries a POST without an Idempotency-Key', () => {
    expect(isRetryable('POST', false, { kind: 'network' })).toBe(false);
    expect(isRetryable('POST', false, { kind: 'status', status: 503 })).toBe(false);
    expect(isRetryable('POST', true, { kind: 'status', status: 503 })).toBe(true);
  });

  it('retries a 409 only when the first request with the key is still in flight', () => {
    expect(isRetryable('POST', true, { kind: 'status', status: 409, problemCode: 'idempotency-in-flight' })).toBe(true);
    expect(isRetryable('POST', true, { kind: 'status', status: 409, problemCode: 'id-conflict' })).toBe(false);
    expect(isRetryable('GET', false, { kind: 'status', status: 409 })).toBe(false);
  });
});

describe('backoffDelay', () => {
  it('stays within full jitter of the capped exponential', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: 1, max: 60_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (retry, base, cap, random) => {
          const ceiling = Math.min(cap, base * 2 ** (retry - 1));
          const delay = backoffDelay(retry, { backoffBase: base, backoffCap: cap }, () => random);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(ceiling);
          expect(Number.isInteger(delay)).toBe(true);
        },
      ),
    );
  });

  it('grows with the default settings and stops at the cap', () => {
    const max = () => 0.999_999;
    expect(backoffDelay(1, DEFAULT_RETRY, max)).toBe(249);
    expect(backoffDelay(2, DEFAULT_RETRY, max)).toBe(499);
    expect(backoffDelay(8, DEFAULT_RETRY, max)).toBe(4999);
    expect(backoffDelay(40, DEFAULT_RETRY, max)).toBe(4999);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta seconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 86_400 }), (seconds) => {
        expect(parseRetryAfter(String(seconds))).toBe(seconds * 1000);
        expect(parseRetryAfter(` ${seconds} `)).toBe(seconds * 1000);
      }),
    );
  });

  it('reads HTTP dates relative to now, never negative', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1_600_000_000, max: 2_000_000_000 }), fc.integer({ min: -3600, max: 3600 }), (nowSeconds, offset) => {
        const now = nowSeconds * 1000;
        const header = new Date(now + offset * 1000).toUTCString();
        expect(parseRetryAfter(header, now)).toBe(Math.max(0, offset * 1000));
      }),
    );
  });

  it('gives undefined for absent or unreadable values', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const result = parseRetryAfter(text, 0);
        expect(result === undefined || (Number.isFinite(result) && result >= 0)).toBe(true);
      }),
    );
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter('-5')).toBeUndefined();
    expect(parseRetryAfter('')).toBeUndefined();
  });
});
