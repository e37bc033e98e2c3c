import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DatabaseConfig } from '@tahaffuz/referral-server';
import { call, sampleReport, startTestServer, TEST_ORIGIN, type TestServer } from '../src/test-support/test-server.js';
import { describeEachBackend, type TestBackend } from '@tahaffuz/test-kit';

/**
 * Ends every other connection to the run's own database (a database made for this test alone, so
 * no other suite is touched), as a PostgreSQL restart or failover would.
 */
async function terminateServerConnections(config: DatabaseConfig): Promise<number> {
  if (typeof config !== 'object' || !('postgres' in config)) throw new Error('expected a PostgreSQL database');
  const admin = new pg.Client({ connectionString: config.postgres });
  await admin.connect();
  try {
    const result = await admin.query(
      'select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
    );
    return result.rowCount ?? 0;
  } finally {
    await admin.end();
  }
}

describeEachBackend('losing database connections', (backend: TestBackend) => {
  if (backend.name !== 'postgres') {
    it('applies to PostgreSQL only (SQLite is a file in the same process)', () => {
      expect(backend.name).toBe('sqlite');
    });
    return;
  }

  let world: TestServer;
  beforeAll(async () => {
    world = await startTestServer(backend);
  });
  afterAll(async () => {
    await world.stop();
  });

  const create = () =>
    call(world.server.url, 'POST', '/v1/reports', {
      key: world.keys.publishableKey,
      body: sampleReport(),
      headers: { origin: TEST_ORIGIN },
    });

  it('keeps serving when PostgreSQL ends the pooled connections, and loses no accepted report', async () => {
    const before = await Promise.all([create(), create(), create(), create()]);
    expect(before.map((r) => r.status)).toEqual([201, 201, 201, 201]);

    // The pool now holds idle connections; ending them used to raise an unhandled 'error' event.
    expect(await terminateServerConnections(world.target.config)).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 200));

    const after = await create();
    expect(after.status).toBe(201);
    const intakeKey = world.keys.secretKeys.intake;
    for (const receipt of [...before, after]) {
      const read = await call(world.server.url, 'GET', `/v1/reports/${receipt.json.id}`, { key: intakeKey });
      expect(read.status).toBe(200);
      expect(read.json.id).toBe(receipt.json.id);
    }
  });
});
