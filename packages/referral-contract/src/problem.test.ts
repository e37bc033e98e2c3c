import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PROBLEM_DEFINITIONS, PROBLEM_SLUGS, PROBLEM_TYPES, problemSlug, ProblemSchema } from './problem.js';

describe('problem types', () => {
  it('map every slug to its URI and back', () => {
    for (const slug of PROBLEM_SLUGS) {
      expect(PROBLEM_TYPES[slug]).toBe(`https://tahaffuz.dev/problems/${slug}`);
      expect(problemSlug(PROBLEM_TYPES[slug])).toBe(slug);
    }
  });

  it('answer undefined for any other URI (property)', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        fc.pre(!(PROBLEM_SLUGS as string[]).includes(text));
        expect(problemSlug(`https://tahaffuz.dev/problems/${text}`)).toBeUndefined();
        expect(problemSlug(text)).toBeUndefined();
      }),
    );
    expect(problemSlug('https://tahaffuz.dev/problems/toString')).toBeUndefined();
  });

  it('carry the statuses the client and server agree on', () => {
    const status = (slug: keyof typeof PROBLEM_DEFINITIONS) => PROBLEM_DEFINITIONS[slug].status;
    expect(status('validation')).toBe(400);
    expect(status('idempotency-key-missing')).toBe(400);
    expect(status('idempotency-key-reused')).toBe(422);
    expect(status('idempotency-in-flight')).toBe(409);
    expect(status('id-conflict')).toBe(409);
    expect(status('consent-required')).toBe(422);
    expect(status('invalid-transition')).toBe(422);
    expect(status('rate-limited')).toBe(429);
    expect(status('payload-too-large')).toBe(413);
    expect(status('not-found')).toBe(404);
  });

  it('parse a problem body with invalid_params and extension members', () => {
    const body = {
      type: PROBLEM_TYPES.validation,
      title: 'The request is not valid',
      status: 400,
      detail: '1 field is invalid',
      request_id: 'req_123',
      invalid_params: [{ name: 'victims.count', reason: 'must be at least 1' }],
      retry_after: 3,
    };
    expect(ProblemSchema.parse(body)).toMatchObject({ invalid_params: [{ name: 'victims.count' }] });
  });
});
