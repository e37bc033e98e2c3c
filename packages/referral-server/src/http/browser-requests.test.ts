import { randomUUID } from 'node:crypto';
import { describeEachBackend } from '@tahaffuz/test-kit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApiKey, revokeApiKey } from '../keys/api-keys.js';
import { migrationProvider } from '../storage/migrations.js';
import { call, sampleReport, startTestServer, TEST_ORIGIN, type TestServer } from '../test-support/test-server.js';

const preflight = (base: string, origin: string) =>
  fetch(`${base}/v1/reports`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });

describeEachBackend('preflights, the OpenAPI document and origins', (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(backend, { rateLimit: { perClient: { limit: 3, windowMs: 60_000 } } });
  });
  afterAll(async () => t?.stop());

  it('rate-limits OPTIONS preflights per client address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await preflight(t.server.url, TEST_ORIGIN)).status);
    expect(statuses).toEqual([204, 204, 204, 429, 429]);
  });

  it('rate-limits /openapi.json per client address', async () => {
    // Another address than the preflights' (127.0.0.x all reach the loopback listener).
    const other = await startTestServer(backend, { rateLimit: { perClient: { limit: 2, windowMs: 60_000 } } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i += 1) statuses.push((await fetch(`${other.server.url}/openapi.json`)).status);
      expect(statuses).toEqual([200, 200, 429, 429]);
    } finally {
      await other.stop();
    }
  });
});

describeEachBackend('origins of publishable keys', (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(backend);
  });
  afterAll(async () => t?.stop());

  it('looks origins up in their own indexed table, kept with key creation and revocation', async () => {
    const origin = `https://site-${randomUUID()}.example.org`;
    const created = await createApiKey(t.server.database.db, {
      kind: 'publishable',
      mode: 'test',
      organizationId: (await t.server.database.db.selectFrom('organizations').select('id').executeTakeFirstOrThrow()).id,
      allowedOrigins: [origin],
    });
    const rows = await t.server.database.db.selectFrom('api_key_origins').selectAll().where('origin', '=', origin).execute();
    expect(rows).toEqual([{ origin, key_id: created.record.id }]);
    const allowed = await call(t.server.url, 'POST', '/v1/reports', { key: created.key, body: sampleReport(), headers: { origin } });
    expect(allowed.status).toBe(201);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(origin);
    await revokeApiKey(t.server.database.db, created.record.id);
    const gone = await call(t.server.url, 'GET', '/v1/nothing', { headers: { origin } });
    expect(gone.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('fills the origins table from the keys that exist when the migration runs', async () => {
    const { db, dialect } = t.server.database;
    const before = await db.selectFrom('api_key_origins').selectAll().orderBy('origin').orderBy('key_id').execute();
    expect(before.length).toBeGreaterThan(0);
    await db.schema.dropTable('api_key_origins').execute();
    const migrations = await migrationProvider(dialect).getMigrations();
    await migrations['0006_api_key_origins']?.up(db);
    expect(await db.selectFrom('api_key_origins').selectAll().orderBy('origin').orderBy('key_id').execute()).toEqual(before);
  });

  it('answers a publishable key used from an origin it does not allow with a 403 that origin can read, storing nothing', async () => {
    const report = sampleReport();
    const refused = await call(t.server.url, 'POST', '/v1/reports', {
      key: t.keys.publishableKey,
      body: report,
      headers: { origin: 'https://not-allowed.example.net' },
    });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBe('https://not-allowed.example.net');
    expect(refused.headers.get('vary')).toBe('Origin');
    expect(refused.json.detail).toBe('This publishable key is not allowed from this origin.');
    const stored = await t.server.database.db.selectFrom('reports').select('id').where('id', '=', String(report['id'])).execute();
    expect(stored).toEqual([]);
  });
});
