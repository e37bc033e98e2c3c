import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { PROBLEM_TYPES } from '@tahaffuz/referral-contract';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { requestHash } from '../canonical-json.js';
import { isoAt } from '../clock.js';
import { findApiKey } from '../keys/api-keys.js';
import { type ReferralServer, startReferralServer } from '../start-server.js';
import { describeEachBackend } from '@tahaffuz/test-kit';
import { builtCliAvailable, startServerProcess, stopProcess } from '../test-support/server-process.js';
import { call, sampleReport, startTestServer, type TestServer } from '../test-support/test-server.js';

describeEachBackend('idempotency over HTTP', (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(backend, { idempotencyLeaseMs: 60_000 });
  });
  afterAll(async () => t?.stop());

  it('answers 409 idempotency-in-flight while the first request holds the key, and takes over an expired lease', async () => {
    const key = await findApiKey(t.server.database.db, t.keys.publishableKey);
    if (key === undefined) throw new Error('seeded key missing');
    const report = sampleReport();
    const body = JSON.stringify(report);
    const idempotencyKey = randomUUID();
    // What a process that crashed mid-request leaves behind: an in-flight record with a live lease.
    await t.server.database.db
      .insertInto('idempotency_keys')
      .values({
        scope: key.id,
        key: idempotencyKey,
        request_hash: requestHash('POST', '/v1/reports', body),
        state: 'in_flight',
        lease_token: 'crashed',
        lease_expires_at: isoAt(Date.now() + 60_000),
        created_at: isoAt(Date.now()),
      })
      .execute();
    const busy = await call(t.server.url, 'POST', '/v1/reports', { key: t.keys.publishableKey, body, idempotencyKey });
    expect(busy.status).toBe(409);
    expect(busy.json.type).toBe(PROBLEM_TYPES['idempotency-in-flight']);
    expect(Number(busy.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await t.server.database.db.selectFrom('reports').select('id').where('id', '=', String(report['id'])).execute()).toEqual([]);

    // The lease runs out: the retry takes over and the report is stored once.
    await t.server.database.db
      .updateTable('idempotency_keys')
      .set({ lease_expires_at: isoAt(Date.now() - 1) })
      .where('key', '=', idempotencyKey)
      .execute();
    const retried = await call(t.server.url, 'POST', '/v1/reports', { key: t.keys.publishableKey, body, idempotencyKey });
    expect(retried.status).toBe(201);
    expect(retried.json.id).toBe(report['id']);
  });

  it('answers 400 idempotency-key-missing at every POST of the contract without the header', async () => {
    const { OPERATIONS, REQUEST_EXAMPLES } = await import('@tahaffuz/referral-contract');
    const posts = OPERATIONS.filter((op) => op.method === 'POST');
    expect(posts.length).toBeGreaterThan(10);
    for (const op of posts) {
      const key =
        op.id === 'reports.create'
          ? t.keys.publishableKey
          : op.id.startsWith('referrals.')
            ? t.keys.secretKeys.supervisor
            : op.id === 'services.updateCapacity'
              ? t.keys.secretKeys.provider
              : op.id.startsWith('cases.') || op.id.startsWith('consents.')
                ? t.keys.secretKeys.supervisor
                : op.id === 'erasures.create'
                  ? t.keys.secretKeys.admin
                  : t.keys.secretKeys.operator;
      const example = (REQUEST_EXAMPLES as Record<string, unknown>)[op.id];
      const answer = await call(t.server.url, 'POST', op.path.replace('{id}', randomUUID()), {
        key,
        ...(example === undefined ? {} : { body: example }),
        idempotencyKey: null,
      });
      expect(answer.status, op.id).toBe(400);
      expect(answer.json.type, op.id).toBe(PROBLEM_TYPES['idempotency-key-missing']);
    }
  });

  it('two server instances on one database agree: one report, one receipt, whatever the interleaving', async () => {
    let second: ReferralServer | undefined;
    let child: ChildProcess | undefined;
    let secondUrl: string;
    if (backend.name === 'postgres') {
      second = await startReferralServer({
        database: t.target.config,
        port: 0,
        encryptionKey: t.encryptionKey,
        log: false,
        rateLimit: false,
        webhooks: false,
      });
      secondUrl = second.url;
    } else {
      // One process must not hold two SQLite handles (see docs/decisions/0003): a real second process.
      if (!builtCliAvailable('the two-process SQLite check')) return;
      const started = await startServerProcess(['--db', t.target.sqlitePath ?? ''], { TAHAFFUZ_ENCRYPTION_KEY: t.encryptionKey });
      child = started.child;
      secondUrl = started.url;
    }
    try {
      for (let round = 0; round < 3; round += 1) {
        const report = sampleReport();
        const idempotencyKey = randomUUID();
        const attempts = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            call(i % 2 === 0 ? t.server.url : secondUrl, 'POST', '/v1/reports', {
              key: t.keys.publishableKey,
              body: report,
              idempotencyKey,
            }),
          ),
        );
        for (const attempt of attempts) {
          expect([201, 409]).toContain(attempt.status);
          if (attempt.status === 409) expect(attempt.json.type).toBe(PROBLEM_TYPES['idempotency-in-flight']);
        }
        // Retrying every request until it is answered gives the same receipt everywhere.
        const receipts = new Set<string>();
        for (const base of [t.server.url, secondUrl]) {
          let answer = await call(base, 'POST', '/v1/reports', { key: t.keys.publishableKey, body: report, idempotencyKey });
          while (answer.status === 409) {
            await new Promise((r) => setTimeout(r, 50));
            answer = await call(base, 'POST', '/v1/reports', { key: t.keys.publishableKey, body: report, idempotencyKey });
          }
          expect(answer.status).toBe(201);
          receipts.add(answer.text);
        }
        for (const attempt of attempts.filter((a) => a.status === 201)) receipts.add(attempt.text);
        expect(receipts.size).toBe(1);
        const stored = await t.server.database.db.selectFrom('reports').select('id').where('id', '=', String(report['id'])).execute();
        expect(stored).toHaveLength(1);
      }
    } finally {
      await second?.close();
      if (child !== undefined) await stopProcess(child);
    }
  });
});
