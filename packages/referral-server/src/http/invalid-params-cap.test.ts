import { MAX_INVALID_PARAMS, ProblemSchema } from '@tahaffuz/referral-contract';
import { sqliteBackend } from '@tahaffuz/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, sampleReport, startTestServer, type TestServer } from '../test-support/test-server.js';
import { HttpProblem, problemBody } from './http-problem.js';

describe('the invalid_params of a problem', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(sqliteBackend);
  });
  afterAll(async () => t?.stop());

  it('lists the first MAX_INVALID_PARAMS of 20,000 unknown keys and counts them all in invalid_params_total', async () => {
    const body: Record<string, unknown> = sampleReport();
    for (let i = 0; i < 20_000; i += 1) body[`k${i}`] = 1;
    const text = JSON.stringify(body);
    expect(text.length).toBeGreaterThan(200_000);
    const answer = await call(t.server.url, 'POST', '/v1/reports', { key: t.keys.publishableKey, body: text });
    expect(answer.status).toBe(400);
    expect(answer.json.invalid_params).toHaveLength(MAX_INVALID_PARAMS);
    expect(answer.json.invalid_params[0]).toEqual({ name: 'k0', reason: 'unknown field' });
    expect(answer.json.invalid_params_total).toBe(20_000);
    expect(answer.text.length).toBeLessThan(8 * 1024);
    expect(ProblemSchema.safeParse(answer.json).success).toBe(true);
  });

  it('leaves the count out when every invalid field is listed', () => {
    const few = new HttpProblem('validation', { invalidParams: [{ name: 'a', reason: 'required' }] });
    expect(problemBody(few, 'r')).not.toHaveProperty('invalid_params_total');
    const exact = Array.from({ length: MAX_INVALID_PARAMS }, (_, i) => ({ name: `f${i}`, reason: 'required' }));
    expect(problemBody(new HttpProblem('validation', { invalidParams: exact }), 'r')).not.toHaveProperty('invalid_params_total');
  });
});
