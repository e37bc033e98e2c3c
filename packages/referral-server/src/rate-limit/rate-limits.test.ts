import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../storage/open-database.js';
import { describeEachBackend } from '@tahaffuz/test-kit';
import { sampleReport, startTestServer, TEST_ORIGIN, type TestServer } from '../test-support/test-server.js';
import { hitRateLimit, slidingWindow } from './rate-limiter.js';

/** `POST /v1/reports` from a chosen loopback source address (each 127.0.0.x is a client of its own). */
function postReport(
  base: string,
  key: string,
  body: unknown,
  options: { from: string; headers?: Record<string, string> },
): Promise<{ status: number; retryAfter: string | undefined }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}/v1/reports`,
      {
        method: 'POST',
        localAddress: options.from,
        agent: false,
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          'idempotency-key': randomUUID(),
          origin: TEST_ORIGIN,
          'content-length': Buffer.byteLength(payload),
          ...options.headers,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          const retryAfter = res.headers['retry-after'];
          resolve({ status: res.statusCode ?? 0, retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function flood(base: string, key: string, from: string, invalid: number, valid: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < invalid; i += 1) statuses.push((await postReport(base, key, {}, { from })).status);
  for (let i = 0; i < valid; i += 1) statuses.push((await postReport(base, key, sampleReport(), { from })).status);
  return statuses;
}

describe('startReferralServer', () => {
  it('refuses trustProxy: true and limits that are not whole numbers, saying what to pass', async () => {
    const { startReferralServer } = await import('../start-server.js');
    const database = { sqlite: '/nonexistent/never-opened.db' };
    await expect(startReferralServer({ database, trustProxy: true as unknown as string[] })).rejects.toThrow(/addresses or CIDR ranges/);
    await expect(startReferralServer({ database, trustProxy: ['proxy.internal'] })).rejects.toThrow(/"proxy\.internal"/);
    await expect(startReferralServer({ database, rateLimit: { perPublishableClient: { limit: 0.5, windowMs: 60_000 } } })).rejects.toThrow(
      /rateLimit\.perPublishableClient/,
    );
    await expect(
      startReferralServer({ database, rateLimit: { publishableCeiling: { limit: 10, windowMs: 60_000, clientAllowance: 0 } } }),
    ).rejects.toThrow(/clientAllowance/);
  });
});

describe('slidingWindow', () => {
  const rule = { limit: 3, windowMs: 60_000 };
  it('weights the previous window by how much of it is still inside the sliding window', () => {
    expect(slidingWindow(rule, 1, 3, 0).count).toBe(4);
    expect(slidingWindow(rule, 1, 3, 30_000).count).toBe(2.5);
    expect(slidingWindow(rule, 1, 0, 59_999).count).toBe(1);
  });

  it('says how long until one more request fits', () => {
    expect(slidingWindow(rule, 1, 0, 10_000).waitMs).toBe(0);
    // 1 now + 1 more + 3·(60 − e)/60 ≤ 3 from e = 40 s.
    expect(slidingWindow(rule, 1, 3, 1_000).waitMs).toBe(39_000);
    // Over the limit in this window alone: in the next one, 5·(60 − x)/60 + 1 ≤ 3 from x = 36 s.
    expect(slidingWindow(rule, 5, 0, 20_000).waitMs).toBe(40_000 + 36_000);
  });
});

describeEachBackend('rate limits', (backend) => {
  // Window-aligned instants far from the real time, so no test depends on the day it runs.
  const WINDOW = 60_000;
  const T0 = Math.floor(1_900_000_000_000 / WINDOW) * WINDOW;

  it('counts a burst across the boundary of two clock windows together (sliding, not fixed)', async () => {
    const target = await backend.create();
    const database = await openDatabase(target.config);
    try {
      const rule = { limit: 3, windowMs: WINDOW };
      const bucket = `test:${randomUUID()}`;
      const at = (ms: number) => () => ms;
      for (let i = 0; i < 3; i += 1) expect((await hitRateLimit(database.db, bucket, rule, at(T0 + 59_000))).allowed).toBe(true);
      // A fixed window would start afresh here, one second later.
      const refused = await hitRateLimit(database.db, bucket, rule, at(T0 + WINDOW + 1_000));
      expect(refused.allowed).toBe(false);
      expect(refused.retryAfterSeconds).toBe(39);
      expect((await hitRateLimit(database.db, bucket, rule, at(T0 + WINDOW + 40_000))).allowed).toBe(true);
    } finally {
      await database.close();
      await target.cleanup();
    }
  });

  describe('a publishable key shared by the whole country', () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer(backend, {
        webhooks: false,
        rateLimit: {
          perClient: { limit: 20, windowMs: 60_000 },
          perKey: { limit: 40, windowMs: 60_000 },
          perPublishableClient: { limit: 15, windowMs: 60_000 },
          publishableCeiling: { limit: 10, windowMs: 60_000, clientAllowance: 3 },
        },
      });
    });
    afterAll(async () => t?.stop());

    it('abusive traffic from several loopback addresses never makes a well-behaved third client see a 429', async () => {
      const key = t.keys.publishableKey;
      const abusers = ['127.0.0.2', '127.0.0.3', '127.0.0.5', '127.0.0.6'];
      const genuine: number[] = [];
      const abuse = Promise.all(abusers.map((from) => flood(t.server.url, key, from, 25, 15)));
      genuine.push((await postReport(t.server.url, key, sampleReport(), { from: '127.0.0.4' })).status);
      const abused = await abuse;
      genuine.push((await postReport(t.server.url, key, sampleReport(), { from: '127.0.0.4' })).status);
      genuine.push((await postReport(t.server.url, key, sampleReport(), { from: '127.0.0.4' })).status);
      expect(genuine).toEqual([201, 201, 201]);
      // The abusers were limited, each on its own budget.
      for (const statuses of abused) expect(statuses).toContain(429);
      // Buckets name keyed hashes, never an address.
      const buckets = await t.server.database.db.selectFrom('rate_limit_buckets').select('bucket').execute();
      expect(buckets.length).toBeGreaterThan(0);
      for (const { bucket } of buckets) expect(bucket).not.toMatch(/127\.0\.0\./);
    });
  });

  describe('with the default limits', () => {
    let t: TestServer;
    beforeAll(async () => {
      // The start of a minute, held still: every request falls in the same window.
      t = await startTestServer(backend, { webhooks: false, rateLimit: {}, clock: () => T0 + 1_000 });
    });
    afterAll(async () => t?.stop());

    it('two addresses sending 610 invalid reports each at the start of a minute leave a third reporter unharmed', async () => {
      const key = t.keys.publishableKey;
      const abused = await Promise.all(['127.0.0.2', '127.0.0.3'].map((from) => flood(t.server.url, key, from, 610, 0)));
      for (const statuses of abused) {
        expect(statuses.filter((status) => status === 400)).toHaveLength(30);
        expect(statuses.filter((status) => status === 429)).toHaveLength(580);
      }
      expect((await postReport(t.server.url, key, sampleReport(), { from: '127.0.0.4' })).status).toBe(201);
    });
  });

  describe('refused requests', () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer(backend, {
        webhooks: false,
        rateLimit: {
          perClient: { limit: 1000, windowMs: 60_000 },
          perKey: { limit: 10, windowMs: 60_000 },
          perPublishableClient: { limit: 100, windowMs: 60_000 },
          publishableCeiling: { limit: 5, windowMs: 60_000, clientAllowance: 1 },
        },
      });
    });
    afterAll(async () => t?.stop());

    it('cost only their sender: invalid reports never count against the key shared by others', async () => {
      const key = t.keys.publishableKey;
      const invalid = await flood(t.server.url, key, '127.0.0.2', 20, 0);
      expect(new Set(invalid)).toEqual(new Set([400]));
      // Its 20 refusals did not fill the key's ceiling: even this sender's own valid report passes.
      expect((await postReport(t.server.url, key, sampleReport(), { from: '127.0.0.2' })).status).toBe(201);
      expect((await postReport(t.server.url, key, sampleReport(), { from: '127.0.0.3' })).status).toBe(201);
    });
  });

  describe('sliding windows over HTTP', () => {
    let t: TestServer;
    let now = T0 + 59_000;
    beforeAll(async () => {
      t = await startTestServer(backend, {
        webhooks: false,
        clock: () => now,
        rateLimit: {
          perClient: { limit: 1000, windowMs: 60_000 },
          perKey: { limit: 3, windowMs: 60_000 },
          perPublishableClient: { limit: 3, windowMs: 60_000 },
        },
      });
    });
    afterAll(async () => t?.stop());

    it('do not reset at the clock-aligned minute: a client that used its budget waits as Retry-After says', async () => {
      const key = t.keys.publishableKey;
      for (let i = 0; i < 3; i += 1) expect((await postReport(t.server.url, key, sampleReport(), { from: '127.0.0.2' })).status).toBe(201);
      now = T0 + WINDOW + 1_000;
      const refused = await postReport(t.server.url, key, sampleReport(), { from: '127.0.0.2' });
      expect(refused.status).toBe(429);
      expect(refused.retryAfter).toBe('39');
      now += 39_000;
      expect((await postReport(t.server.url, key, sampleReport(), { from: '127.0.0.2' })).status).toBe(201);
    });
  });

  describe('client addresses behind a trusted proxy', () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer(backend, {
        webhooks: false,
        trustProxy: ['127.0.0.1'],
        rateLimit: {
          perClient: { limit: 2, windowMs: 60_000 },
          perKey: { limit: 1000, windowMs: 60_000 },
          perPublishableClient: { limit: 1000, windowMs: 60_000 },
        },
      });
    });
    afterAll(async () => t?.stop());

    const viaProxy = (forwardedFor: string) =>
      postReport(t.server.url, t.keys.publishableKey, {}, { from: '127.0.0.1', headers: { 'x-forwarded-for': forwardedFor } });

    it('take the hop the proxy appended: a client cannot spoof a fresh address in X-Forwarded-For', async () => {
      const statuses: number[] = [];
      // The client writes a new X-Forwarded-For each time; the proxy appends its real address.
      for (let i = 0; i < 4; i += 1) statuses.push((await viaProxy(`203.0.113.${i + 1}, 198.51.100.7`)).status);
      expect(statuses).toEqual([400, 400, 429, 429]);
      // Another client behind the same proxy has its own budget.
      expect((await viaProxy('198.51.100.8')).status).toBe(400);
    });

    it('ignore X-Forwarded-For from a peer that is not a configured proxy', async () => {
      const direct = (forwardedFor: string) =>
        postReport(t.server.url, t.keys.publishableKey, {}, { from: '127.0.0.3', headers: { 'x-forwarded-for': forwardedFor } });
      const statuses: number[] = [];
      for (let i = 0; i < 3; i += 1) statuses.push((await direct(`198.51.100.${20 + i}`)).status);
      expect(statuses).toEqual([400, 400, 429]);
    });

    it('group IPv6 clients by /64', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i += 1) statuses.push((await viaProxy(`2001:db8:1:2::${i + 1}`)).status);
      expect(statuses).toEqual([400, 400, 429]);
      expect((await viaProxy('2001:db8:1:3::1')).status).toBe(400);
    });
  });
});
