import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { PROBLEM_TYPES } from '@tahaffuz/referral-contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORGANIZATIONS } from '../demo/seed-demo.js';
import { describeEachBackend } from '@tahaffuz/test-kit';
import { call, sampleReport, startTestServer, TEST_ORIGIN, type TestServer } from '../test-support/test-server.js';

describeEachBackend('reports over HTTP', (backend) => {
  let t: TestServer;
  let url: string;
  beforeAll(async () => {
    t = await startTestServer(backend);
    url = t.server.url;
  });
  afterAll(async () => t?.stop());

  it('answers /healthz with an X-Request-Id, and echoes a well-formed incoming one', async () => {
    const health = await call(url, 'GET', '/healthz');
    expect(health.status).toBe(200);
    expect(health.text).toBe('ok');
    expect(health.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const echoed = await call(url, 'GET', '/healthz', { headers: { 'x-request-id': 'trace-42' } });
    expect(echoed.headers.get('x-request-id')).toBe('trace-42');
  });

  it('creates a report with a publishable key, routes it, and replays retries', async () => {
    const report = sampleReport();
    const idempotencyKey = randomUUID();
    const first = await call(url, 'POST', '/v1/reports', { key: t.keys.publishableKey, body: report, idempotencyKey });
    expect(first.status).toBe(201);
    expect(first.json).toEqual({
      id: report['id'],
      reference: expect.stringMatching(/^TZ-[0-9A-Z]{4}-[0-9A-Z]{4}$/),
      received_at: expect.any(String),
    });
    expect(first.headers.get('x-request-id')).toBeTruthy();

    // The same key and the same body (in another key order): the stored response.
    const reordered = Object.fromEntries(Object.entries(report).reverse());
    const replay = await call(url, 'POST', '/v1/reports', { key: t.keys.publishableKey, body: reordered, idempotencyKey });
    expect(replay.status).toBe(201);
    expect(replay.json).toEqual(first.json);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');

    // The same key with another body: 422.
    const reused = await call(url, 'POST', '/v1/reports', {
      key: t.keys.publishableKey,
      body: { ...report, happening_now: false },
      idempotencyKey,
    });
    expect(reused.status).toBe(422);
    expect(reused.json.type).toBe(PROBLEM_TYPES['idempotency-key-reused']);
    expect(reused.headers.get('content-type')).toMatch(/^application\/problem\+json/);

    // The same report id later with a new Idempotency-Key (an offline queue): the original receipt.
    const resubmitted = await call(url, 'POST', '/v1/reports', { key: t.keys.publishableKey, body: report });
    expect(resubmitted.json).toEqual(first.json);
    // The same id with another body: 409 id-conflict.
    const conflict = await call(url, 'POST', '/v1/reports', { key: t.keys.publishableKey, body: { ...report, narrative: 'other' } });
    expect(conflict.status).toBe(409);
    expect(conflict.json.type).toBe(PROBLEM_TYPES['id-conflict']);

    // Routed to the Punjab intake organisation (PK-PB-LHR is inside PK-PB): its intake key reads it.
    const read = await call(url, 'GET', `/v1/reports/${String(report['id'])}`, { key: t.keys.secretKeys.intake });
    expect(read.status).toBe(200);
    expect(read.json).toMatchObject({
      id: report['id'],
      organization_id: DEMO_ORGANIZATIONS.punjabIntake,
      narrative: report['narrative'],
      reporter: report['reporter'],
      channel: 'web_form',
      case_ids: [],
    });
    const count = await t.server.database.db
      .selectFrom('reports')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('id', '=', String(report['id']))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it('answers another organisation, the other mode and providers with 404 / 403', async () => {
    const report = sampleReport();
    expect((await call(url, 'POST', '/v1/reports', { key: t.keys.publishableKey, body: report })).status).toBe(201);
    const path = `/v1/reports/${String(report['id'])}`;
    // The admin key belongs to the national intake desk, not to Punjab's.
    const adminRead = await call(url, 'GET', path, { key: t.keys.secretKeys.admin });
    expect(adminRead.status).toBe(403);
    // The same organisation's live key does not see test data.
    const live = await call(url, 'GET', path, { key: t.liveKeys.secretKeys.intake });
    expect(live.status).toBe(404);
    expect(live.json.type).toBe(PROBLEM_TYPES['not-found']);
    const provider = await call(url, 'GET', '/v1/reports', { key: t.keys.secretKeys.provider });
    expect(provider.status).toBe(403);
    // A publishable key cannot read.
    expect((await call(url, 'GET', path, { key: t.keys.publishableKey })).status).toBe(403);
    const list = await call(url, 'GET', '/v1/reports?page_size=100', { key: t.keys.secretKeys.caseworker });
    expect(list.status).toBe(200);
    expect(list.json.data.map((r: { id: string }) => r.id)).toContain(report['id']);
    const liveList = await call(url, 'GET', '/v1/reports', { key: t.liveKeys.secretKeys.caseworker });
    expect(liveList.json.data).toEqual([]);
  });

  it('pages lists with opaque tokens and filters by admin area', async () => {
    for (let i = 0; i < 3; i += 1) {
      await call(url, 'POST', '/v1/reports', { key: t.keys.publishableKey, body: sampleReport({ location: { admin_area: 'PK-SD-KHI' } }) });
    }
    const seen: string[] = [];
    let token: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof call>> = await call(
        url,
        'GET',
        `/v1/reports?page_size=1&admin_area=PK-PB${token === null ? '' : `&page_token=${token}`}`,
        { key: t.keys.secretKeys.intake },
      );
      expect(page.status).toBe(200);
      seen.push(...page.json.data.map((r: { id: string }) => r.id));
      token = page.json.next_page_token;
    } while (token !== null);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(2);
    const bad = await call(url, 'GET', '/v1/reports?page_token=garbage', { key: t.keys.secretKeys.intake });
    expect(bad.status).toBe(400);
    expect(bad.json.invalid_params).toEqual([{ name: 'page_token', reason: expect.any(String) }]);
  });

  it('answers bad requests with problem+json and stores nothing', async () => {
    const missingKey = await call(url, 'POST', '/v1/reports', { key: t.keys.publishableKey, body: sampleReport(), idempotencyKey: null });
    expect(missingKey.status).toBe(400);
    expect(missingKey.json.type).toBe(PROBLEM_TYPES['idempotency-key-missing']);

    const invalid = sampleReport({ categories: ['not_a_category'], extra: 1 });
    const bad = await call(url, 'POST', '/v1/reports', { key: t.keys.publishableKey, body: invalid });
    expect(bad.status).toBe(400);
    expect(bad.json.invalid_params).toEqual(
      expect.arrayContaining([
        { name: 'categories[0]', reason: expect.any(String) },
        { name: 'extra', reason: 'unknown field' },
      ]),
    );
    const anonymousWithContact = sampleReport({
      reporter: { mode: 'anonymous', contact: { phone: '+92 300 1234567', safe_to_contact: true } },
    });
    const anon = await call(url, 'POST', '/v1/reports', { key: t.keys.publishableKey, body: anonymousWithContact });
    expect(anon.status).toBe(400);
    expect(anon.json.invalid_params[0].name).toBe('reporter.contact');

    expect((await call(url, 'POST', '/v1/reports', { key: t.keys.publishableKey, body: '{"id":' })).json.invalid_params).toEqual([
      { name: '$', reason: 'not valid JSON' },
    ]);
    const wrongType = await call(url, 'POST', '/v1/reports', {
      key: t.keys.publishableKey,
      body: JSON.stringify(sampleReport()),
      headers: { 'content-type': 'text/plain' },
    });
    expect(wrongType.status).toBe(415);
    const huge = await call(url, 'POST', '/v1/reports', {
      key: t.keys.publishableKey,
      body: sampleReport({ narrative: 'x'.repeat(300_000) }),
    });
    expect(huge.status).toBe(413);
    expect(huge.json.type).toBe(PROBLEM_TYPES['payload-too-large']);
    const noAuth = await call(url, 'POST', '/v1/reports', { body: sampleReport() });
    expect(noAuth.status).toBe(401);
    const unknownPath = await call(url, 'GET', '/v1/nothing', { key: t.keys.secretKeys.intake });
    expect(unknownPath.status).toBe(404);
    const wrongMethod = await call(url, 'DELETE', '/v1/reports', { key: t.keys.secretKeys.intake });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toContain('POST');

    for (const response of [missingKey, bad, anon, wrongType, huge, noAuth, unknownPath, wrongMethod]) {
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.json.request_id).toBe(response.headers.get('x-request-id'));
    }
    const stored = await t.server.database.db
      .selectFrom('reports')
      .select('id')
      .where('id', 'in', [String(invalid['id']), String(anonymousWithContact['id'])])
      .execute();
    expect(stored).toEqual([]);
  });

  it('answers browsers from the allowed origins, and lets a refused origin read its 403, exposing X-Request-Id and Retry-After', async () => {
    const preflight = await fetch(`${url}/v1/reports`, {
      method: 'OPTIONS',
      headers: {
        origin: TEST_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, idempotency-key',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(TEST_ORIGIN);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Idempotency-Key/);
    const foreign = await fetch(`${url}/v1/reports`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'POST' },
    });
    // The preflight grants nothing: the key decides on the request itself, in a refusal the page can read.
    expect(foreign.status).toBe(204);
    expect(foreign.headers.get('access-control-allow-origin')).toBe('https://evil.example.com');
    const secretPath = await fetch(`${url}/v1/cases`, {
      method: 'OPTIONS',
      headers: { origin: TEST_ORIGIN, 'access-control-request-method': 'POST' },
    });
    expect(secretPath.status).toBe(403);
    expect(secretPath.headers.get('access-control-allow-origin')).toBeNull();

    const post = await call(url, 'POST', '/v1/reports', {
      key: t.keys.publishableKey,
      body: sampleReport(),
      headers: { origin: TEST_ORIGIN },
    });
    expect(post.status).toBe(201);
    expect(post.headers.get('access-control-allow-origin')).toBe(TEST_ORIGIN);
    expect(post.headers.get('access-control-expose-headers')).toBe('X-Request-Id, Retry-After');
    const evil = await call(url, 'POST', '/v1/reports', {
      key: t.keys.publishableKey,
      body: sampleReport(),
      headers: { origin: 'https://evil.example.com' },
    });
    expect(evil.status).toBe(403);
    expect(evil.json.detail).toBe('This publishable key is not allowed from this origin.');
    expect(evil.headers.get('access-control-allow-origin')).toBe('https://evil.example.com');
    // Secret-key endpoints never answer browsers.
    const secret = await call(url, 'GET', '/v1/reports', { key: t.keys.secretKeys.intake, headers: { origin: TEST_ORIGIN } });
    expect(secret.headers.get('access-control-allow-origin')).toBeNull();
  });

  if (backend.name === 'sqlite') {
    it('keeps no narrative, name or phone number in plaintext in the database file', async () => {
      const report = sampleReport({
        narrative: 'PLAINTEXT-CANARY-NARRATIVE the kiln owner keeps them',
        reporter: { mode: 'share', contact: { name: 'Canary Reporter Name', phone: '+92 321 7654321', safe_to_contact: true } },
        suspects: { description: 'CANARY-SUSPECT description' },
      });
      expect((await call(url, 'POST', '/v1/reports', { key: t.keys.publishableKey, body: report })).status).toBe(201);
      // A case's screening reason comes back decrypted in the POST response, which is stored for replay.
      const opened = await call(url, 'POST', '/v1/cases', {
        key: t.keys.secretKeys.intake,
        body: {
          report_ids: [report['id']],
          screening_outcome: 'screened_in',
          screening_reason: 'CANARY-SCREENING-REASON',
          protection_concerns: [],
        },
      });
      expect(opened.json.screening_reason).toBe('CANARY-SCREENING-REASON');
      const path = t.target.sqlitePath ?? '';
      const bytes = [path, `${path}-wal`]
        .filter((p) => existsSync(p))
        .map((p) => readFileSync(p).toString('latin1'))
        .join('');
      expect(bytes).toContain(String(report['id'])); // the file is the right one
      for (const secret of ['PLAINTEXT-CANARY-NARRATIVE', 'Canary Reporter Name', '7654321', 'CANARY-SUSPECT', 'CANARY-SCREENING-REASON']) {
        expect(bytes).not.toContain(secret);
      }
    });
  }
});

describeEachBackend('server start-up and limits', (backend) => {
  it('refuses to start without an encryption key unless in demo mode', async () => {
    const target = await backend.create();
    const previous = process.env['TAHAFFUZ_ENCRYPTION_KEY'];
    delete process.env['TAHAFFUZ_ENCRYPTION_KEY'];
    try {
      await expect(startReferralServerFor(target.config, {})).rejects.toThrow(/TAHAFFUZ_ENCRYPTION_KEY/);
      const demo = await startReferralServerFor(target.config, { demo: true });
      await demo.close();
      // A different key later is refused: the data was written with the first one.
      await expect(startReferralServerFor(target.config, { encryptionKey: Buffer.alloc(32, 9).toString('base64') })).rejects.toThrow(
        /not the one this database was written with/,
      );
    } finally {
      if (previous !== undefined) process.env['TAHAFFUZ_ENCRYPTION_KEY'] = previous;
      await target.cleanup();
    }
  });

  describe('rate limits', () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer(backend, {
        rateLimit: { perKey: { limit: 3, windowMs: 60_000 }, perClient: { limit: 1000, windowMs: 60_000 } },
      });
    });
    afterAll(async () => t?.stop());

    it('answers 429 with Retry-After past the per-key limit', async () => {
      const statuses: number[] = [];
      let last: Awaited<ReturnType<typeof call>> | undefined;
      for (let i = 0; i < 5; i += 1) {
        last = await call(t.server.url, 'GET', '/v1/reports', { key: t.keys.secretKeys.intake });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(last?.json.type).toBe(PROBLEM_TYPES['rate-limited']);
      // Another key has its own budget.
      expect((await call(t.server.url, 'GET', '/v1/reports', { key: t.keys.secretKeys.caseworker })).status).toBe(200);
    });
  });
});

async function startReferralServerFor(
  database: import('../storage/open-database.js').DatabaseConfig,
  options: { demo?: boolean; encryptionKey?: string },
) {
  const { startReferralServer } = await import('../start-server.js');
  return startReferralServer({ database, port: 0, log: false, ...options });
}
