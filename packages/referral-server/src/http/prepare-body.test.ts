import { getOperation } from '@tahaffuz/referral-contract';
import { describeEachBackend } from '@tahaffuz/test-kit';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, sampleReport, startTestServer, type TestServer } from '../test-support/test-server.js';
import { HttpProblem } from './http-problem.js';
import { MAX_JSON_DEPTH } from './json-body.js';
import { prepareBody } from './prepare-body.js';

const reportSchema = getOperation('reports.create').request;

describe('preparing a body before any transaction', () => {
  it('needs no database: parses, normalises, validates and canonicalises on its own', () => {
    const report = sampleReport();
    const upper = { ...report, id: String(report['id']).toUpperCase() };
    const prepared = prepareBody(reportSchema, JSON.stringify(upper));
    expect((prepared.body as { id: string }).id).toBe(report['id']);
    expect(prepared.canonical).not.toBe(prepared.receivedCanonical);
    expect(prepareBody(reportSchema, JSON.stringify(report)).canonical).toBe(prepared.canonical);
  });

  it('throws a 400 problem for every body that is not one valid report', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), (value) => {
        try {
          prepareBody(reportSchema, JSON.stringify(value) ?? 'null');
          expect.unreachable('an arbitrary JSON value was taken as a report');
        } catch (error) {
          expect(error).toBeInstanceOf(HttpProblem);
          expect((error as HttpProblem).status).toBe(400);
        }
      }),
    );
  });
});

describeEachBackend('deeply nested bodies', (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(backend);
  });
  afterAll(async () => t?.stop());

  it('refuses 256 KiB of [ with 400 naming the depth limit, and still answers 401 to a caller without a key first', async () => {
    const deep = '['.repeat(256 * 1024 - 1);
    const answer = await call(t.server.url, 'POST', '/v1/reports', { key: t.keys.publishableKey, body: deep });
    expect(answer.status).toBe(400);
    expect(answer.json.invalid_params).toEqual([{ name: '$', reason: `nested deeper than ${MAX_JSON_DEPTH} arrays and objects` }]);
    const anonymous = await call(t.server.url, 'POST', '/v1/reports', { body: deep });
    expect(anonymous.status).toBe(401);
  });

  it('takes a valid report next to deep ones', async () => {
    const nested = sampleReport({ narrative: 'fine' });
    const answers = await Promise.all([
      call(t.server.url, 'POST', '/v1/reports', { key: t.keys.publishableKey, body: nested }),
      ...Array.from({ length: 4 }, () =>
        call(t.server.url, 'POST', '/v1/reports', { key: t.keys.publishableKey, body: '{"a":'.repeat(50_000) }),
      ),
    ]);
    expect(answers.map((a) => a.status)).toEqual([201, 400, 400, 400, 400]);
  });
});
