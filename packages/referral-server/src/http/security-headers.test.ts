import { describeEachBackend } from '@tahaffuz/test-kit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { call, sampleReport, startTestServer, type TestServer } from '../test-support/test-server.js';

describeEachBackend('security headers', (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(backend);
  });
  afterAll(async () => t?.stop());

  it('sends Cache-Control: no-store and nosniff on authenticated answers, refusals and replays', async () => {
    const report = sampleReport();
    const created = await call(t.server.url, 'POST', '/v1/reports', { key: t.keys.publishableKey, body: report, idempotencyKey: 'k-1' });
    expect(created.status).toBe(201);
    const replayed = await call(t.server.url, 'POST', '/v1/reports', { key: t.keys.publishableKey, body: report, idempotencyKey: 'k-1' });
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    const read = await call(t.server.url, 'GET', `/v1/reports/${String(report['id'])}`, { key: t.keys.secretKeys.intake });
    expect(read.status).toBe(200);
    const refused = await call(t.server.url, 'GET', '/v1/reports', { key: 'tz_not_a_key' });
    expect(refused.status).toBe(401);
    const missing = await call(t.server.url, 'GET', '/v1/nothing-here', { key: t.keys.secretKeys.intake });
    for (const answer of [created, replayed, read, refused, missing]) {
      expect(answer.headers.get('cache-control')).toBe('no-store');
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('sends nosniff on /openapi.json and on unknown paths outside the API', async () => {
    for (const path of ['/openapi.json', '/no-such-page']) {
      expect((await fetch(`${t.server.url}${path}`)).headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('answers /healthz with a constant ok that names neither backend nor mode', async () => {
    const health = await fetch(`${t.server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.text()).toBe('ok');
    expect(health.headers.get('cache-control')).toBe('no-store');
  });

  it('answers /readyz after checking the database', async () => {
    const ready = await fetch(`${t.server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.text()).toBe('ready');
  });
});

describeEachBackend('health and readiness under rate limits', (backend) => {
  const tight = { perClient: { limit: 2, windowMs: 60_000 } };
  let limited: TestServer;
  let proxied: TestServer;
  beforeAll(async () => {
    limited = await startTestServer(backend, { rateLimit: tight });
    proxied = await startTestServer(backend, { rateLimit: tight, trustProxy: ['127.0.0.1'] });
  });
  afterAll(async () => {
    await limited?.stop();
    await proxied?.stop();
  });

  it('never rate-limits /healthz, and it answers without the database', async () => {
    for (let i = 0; i < 6; i += 1) expect((await fetch(`${limited.server.url}/healthz`)).status).toBe(200);
    // Readiness of the same address is limited (a database query per request).
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await fetch(`${limited.server.url}/readyz`)).status);
    expect(statuses).toEqual([200, 200, 429, 429]);
  });

  it('does not rate-limit /readyz for a configured proxy address', async () => {
    for (let i = 0; i < 6; i += 1) expect((await fetch(`${proxied.server.url}/readyz`)).status).toBe(200);
  });

  it('keeps answering /healthz with ok when the database is gone, while /readyz answers 503', async () => {
    const own = await startTestServer(backend);
    try {
      await own.server.database.close();
      const health = await fetch(`${own.server.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.text()).toBe('ok');
      expect((await fetch(`${own.server.url}/readyz`)).status).toBe(503);
    } finally {
      await own.stop().catch(() => undefined);
    }
  });
});
