import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachBackend } from '@tahaffuz/test-kit';
import { call, sampleReport, startTestServer, type TestServer } from '../test-support/test-server.js';
import { periodRange } from './stats.js';

describe('calendar buckets', () => {
  it('are fixed months, quarters and years in UTC', () => {
    expect(periodRange('month', '2026-02')).toEqual(['2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z']);
    expect(periodRange('month', '2026-12')).toEqual(['2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
    expect(periodRange('quarter', '2026-Q4')).toEqual(['2026-10-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
    expect(periodRange('year', '2026')).toEqual(['2026-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
  });
});

describeEachBackend('hotspot stats and static files', (backend) => {
  let t: TestServer;
  const site = mkdtempSync(join(tmpdir(), 'tahaffuz-static-'));
  // A clock the tests move: mid-May 2026, inside 2026-Q2.
  let now = Date.parse('2026-05-15T10:00:00Z');
  beforeAll(async () => {
    writeFileSync(join(site, 'index.html'), '<!doctype html><title>partner site</title>');
    t = await startTestServer(backend, { webhooks: false, static: site, clock: () => now });
  });
  afterAll(async () => {
    await t?.stop();
    rmSync(site, { recursive: true, force: true });
  });

  const report = (area: string) =>
    call(t.server.url, 'POST', '/v1/reports', {
      key: t.keys.publishableKey,
      body: sampleReport({ categories: ['forced_begging'], location: { admin_area: area } }),
    });

  it('publishes no counts for a period still running, so one more report cannot be seen arriving', async () => {
    now = Date.parse('2026-05-15T10:00:00Z');
    expect((await report('PK-SD-KHI')).status).toBe(201);
    const open = await call(t.server.url, 'GET', '/v1/stats/hotspots?bucket=quarter&period=2026-Q2&category=forced_begging', {
      key: t.keys.secretKeys.provider,
    });
    expect(open.status).toBe(400);
    expect(open.json.invalid_params).toEqual([
      { name: 'period', reason: 'this quarter has not ended yet (it ends at 2026-07-01T00:00:00.000Z)' },
    ]);
    for (const period of ['2026-05', '2026']) {
      const bucket = period.length === 4 ? 'year' : 'month';
      const answer = await call(t.server.url, 'GET', `/v1/stats/hotspots?bucket=${bucket}&period=${period}`, {
        key: t.keys.secretKeys.provider,
      });
      expect(answer.status, period).toBe(400);
    }
    // A later period too: its counts would move as well.
    const future = await call(t.server.url, 'GET', '/v1/stats/hotspots?bucket=month&period=2027-01', { key: t.keys.secretKeys.provider });
    expect(future.status).toBe(400);
  });

  it('counts by admin area and category in a closed bucket, suppresses below 5, never moves once closed, and rejects arbitrary ranges', async () => {
    // Reports of 2026-Q3, counted once it has ended: 5 in Karachi, 1 in Hyderabad.
    now = Date.parse('2026-08-20T10:00:00Z');
    for (let i = 0; i < 5; i += 1) expect((await report('PK-SD-KHI')).status).toBe(201);
    expect((await report('PK-SD-HYD')).status).toBe(201);
    now = Date.parse('2026-10-01T00:00:00Z');
    const quarter = '2026-Q3';
    const stats = await call(
      t.server.url,
      'GET',
      `/v1/stats/hotspots?bucket=quarter&period=${quarter}&category=forced_begging&admin_area=PK-SD`,
      { key: t.keys.secretKeys.provider },
    );
    expect(stats.status).toBe(200);
    expect(stats.json.threshold).toBe(5);
    expect(stats.json.rows).toEqual([
      { admin_area: 'PK-SD-HYD', category: 'forced_begging', count: null, suppressed: true },
      { admin_area: 'PK-SD-KHI', category: 'forced_begging', count: 5, suppressed: false },
    ]);
    // One more report now lands in the running quarter: the published one stays as it was.
    expect((await report('PK-SD-KHI')).status).toBe(201);
    const again = await call(
      t.server.url,
      'GET',
      `/v1/stats/hotspots?bucket=quarter&period=${quarter}&category=forced_begging&admin_area=PK-SD`,
      {
        key: t.keys.secretKeys.provider,
      },
    );
    expect(again.json.rows).toEqual(stats.json.rows);
    // Live keys count live data only.
    const live = await call(t.server.url, 'GET', `/v1/stats/hotspots?bucket=quarter&period=${quarter}&category=forced_begging`, {
      key: t.liveKeys.secretKeys.provider,
    });
    expect(live.json.rows).toEqual([]);
    const arbitrary = await call(t.server.url, 'GET', '/v1/stats/hotspots?bucket=month&period=2026-Q4', {
      key: t.keys.secretKeys.provider,
    });
    expect(arbitrary.status).toBe(400);
    expect(arbitrary.json.invalid_params[0].name).toBe('period');
    const extra = await call(t.server.url, 'GET', '/v1/stats/hotspots?bucket=year&period=2026&from=2026-01-03', {
      key: t.keys.secretKeys.provider,
    });
    expect(extra.status).toBe(400);
  });

  it('serves the --static folder at / beside the API', async () => {
    const page = await fetch(`${t.server.url}/index.html`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('partner site');
    expect(page.headers.get('x-request-id')).toBeTruthy();
    expect((await call(t.server.url, 'GET', '/healthz')).status).toBe(200);
  });
});
