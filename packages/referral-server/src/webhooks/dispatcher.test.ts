import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook } from '@tahaffuz/referral-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startReferralServer } from '../start-server.js';
import { describeEachBackend } from '@tahaffuz/test-kit';
import { call, sampleReport, startTestServer, type TestServer } from '../test-support/test-server.js';
import { createApiKey } from '../keys/api-keys.js';
import { DEMO_ORGANIZATIONS } from '../demo/seed-demo.js';

// Six failures in a row are the point here, not the circuit breaker (test/webhook-fairness.test.ts).
const WEBHOOKS = { pollMs: 30, backoffMs: () => 50, breakerThreshold: 50 } as const;

describeEachBackend('webhook outbox', (backend) => {
  let t: TestServer;
  let accept = false;
  const delivered: Array<{ id: string; type: string }> = [];
  let attempts = 0;
  let secrets: string[] = [];
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      attempts += 1;
      if (!accept) {
        res.writeHead(500).end();
        return;
      }
      verifyWebhook({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers as Record<string, string>, secret: secrets })
        .then((payload) => {
          delivered.push({ id: String(req.headers['webhook-id']), type: payload.type });
          res.writeHead(200).end();
        })
        .catch(() => res.writeHead(401).end());
    });
  });

  beforeAll(async () => {
    await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
    t = await startTestServer(backend, { webhooks: WEBHOOKS, webhookTargets: { allow: ['127.0.0.0/8'] } });
  });
  afterAll(async () => {
    await t?.stop().catch(() => undefined);
    await new Promise((done) => receiver.close(done));
  });

  it('retries with backoff, survives a restart, delivers each event once verified, and keeps a delivery log', async () => {
    const admin = await createApiKey(t.server.database.db, {
      kind: 'secret',
      mode: 'test',
      organizationId: DEMO_ORGANIZATIONS.punjabIntake,
      role: 'admin',
    });
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const created = await call(t.server.url, 'POST', '/v1/webhooks', { key: admin.key, body: { url, event_types: ['report.received'] } });
    expect(created.status).toBe(201);
    expect(created.json.secret).toMatch(/^whsec_/);
    secrets = [created.json.secret];
    const subscription = created.json.id as string;

    const reportIds: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const report = sampleReport();
      reportIds.push(String(report['id']));
      expect((await call(t.server.url, 'POST', '/v1/reports', { key: t.keys.publishableKey, body: report })).status).toBe(201);
    }
    // The receiver fails: attempts pile up, nothing is delivered.
    while (attempts < 6) await new Promise((r) => setTimeout(r, 20));
    const failing = await call(t.server.url, 'GET', `/v1/webhooks/${subscription}/deliveries`, { key: admin.key });
    expect(failing.json.data.map((d: { status: string }) => d.status)).toEqual(['retrying', 'retrying', 'retrying']);
    expect(failing.json.data[0].last_response_status).toBe(500);

    // Restart: the outbox is in the database, so the new process carries on.
    await t.server.close();
    accept = true;
    const restarted = await startReferralServer({
      database: t.target.config,
      port: 0,
      encryptionKey: t.encryptionKey,
      log: false,
      rateLimit: false,
      webhooks: WEBHOOKS,
      webhookTargets: { allow: ['127.0.0.0/8'] },
    });
    try {
      const deadline = Date.now() + 15_000;
      while (delivered.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(delivered.map((d) => d.type)).toEqual(['report.received', 'report.received', 'report.received']);
      expect(new Set(delivered.map((d) => d.id)).size).toBe(3);

      // Rotation: the new secret signs at once, and the old one beside it for a grace period.
      const rotated = await call(restarted.url, 'POST', `/v1/webhooks/${subscription}/rotate-secret`, { key: admin.key });
      expect(rotated.status).toBe(200);
      secrets = [rotated.json.secret];
      expect((await call(restarted.url, 'POST', '/v1/reports', { key: t.keys.publishableKey, body: sampleReport() })).status).toBe(201);
      const more = Date.now() + 15_000;
      while (delivered.length < 4 && Date.now() < more) await new Promise((r) => setTimeout(r, 20));
      expect(delivered).toHaveLength(4);

      // The receiver answers before the dispatcher records the outcome: wait for the log to catch up.
      let log = await call(restarted.url, 'GET', `/v1/webhooks/${subscription}/deliveries?status=succeeded`, { key: admin.key });
      for (let i = 0; i < 200 && log.json.data.length < 4; i += 1) {
        await new Promise((r) => setTimeout(r, 20));
        log = await call(restarted.url, 'GET', `/v1/webhooks/${subscription}/deliveries?status=succeeded`, { key: admin.key });
      }
      expect(log.json.data).toHaveLength(4);
      expect(log.json.data.slice(0, 3).every((d: { attempts: number }) => d.attempts >= 2)).toBe(true);
      // Another organisation's admin sees none of it.
      const other = await createApiKey(restarted.database.db, {
        kind: 'secret',
        mode: 'test',
        organizationId: DEMO_ORGANIZATIONS.sindhIntake,
        role: 'admin',
      });
      expect((await call(restarted.url, 'GET', `/v1/webhooks/${subscription}/deliveries`, { key: other.key })).status).toBe(404);
    } finally {
      await restarted.close();
    }
  });
});
