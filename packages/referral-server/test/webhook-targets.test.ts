import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describeEachBackend } from '@tahaffuz/test-kit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createFieldCipher, generateEncryptionKey, parseEncryptionKey } from '../src/crypto/field-cipher.js';
import { DEMO_ORGANIZATIONS } from '../src/demo/seed-demo.js';
import { createApiKey } from '../src/keys/api-keys.js';
import { startReferralServer } from '../src/start-server.js';
import { call, sampleReport, startTestServer, type TestServer } from '../src/test-support/test-server.js';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.js';
import { openAtMigration, seedDemoOnPreviousSchema } from './support/previous-schema.js';

/*
 * Issue 9, item 7: webhook URLs reached inside the network (cloud metadata, loopback, private
 * ranges, in obfuscated spellings), and the delivery log told ECONNREFUSED from a socket error —
 * a port scanner. Targets are checked after DNS resolution when subscribing, at start-up and before
 * every delivery; delivery connects to the address that was checked; the log keeps a category.
 */

const WEBHOOKS = { pollMs: 50, backoffMs: () => 200, timeoutMs: 800 } as const;
const PUBLIC_ADDRESS = '93.184.216.34';

async function waitFor<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms; last seen ${JSON.stringify(value)}`);
    await new Promise((wake) => setTimeout(wake, 50));
  }
}

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

describeEachBackend('webhook targets', (backend) => {
  // A test's DNS: host name -> addresses; a name not listed does not resolve.
  const dns = new Map<string, readonly string[]>();
  // Names whose look-up takes this long (ms).
  const slow = new Map<string, number>();
  const resolve = async (hostname: string) => {
    await new Promise((wake) => setTimeout(wake, slow.get(hostname) ?? 0));
    const addresses = dns.get(hostname);
    if (addresses === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses;
  };
  let t: TestServer;
  let receiver: WebhookReceiver;
  let testAdmin: string;
  let liveAdmin: string;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    // No allow-list: the production rule.
    t = await startTestServer(backend, { webhooks: WEBHOOKS, webhookTargets: { resolve } });
    const db = t.server.database.db;
    const organizationId = DEMO_ORGANIZATIONS.punjabIntake;
    testAdmin = (await createApiKey(db, { kind: 'secret', mode: 'test', organizationId, role: 'admin' })).key;
    liveAdmin = (await createApiKey(db, { kind: 'secret', mode: 'live', organizationId, role: 'admin' })).key;
  });
  afterAll(async () => {
    await t?.stop();
    await receiver?.close();
  });

  const subscribe = (key: string, url: string) =>
    call(t.server.url, 'POST', '/v1/webhooks', { key, body: { url, event_types: ['report.received'] } });

  it('refuses private, loopback, link-local, unique-local, multicast and unspecified targets, in every spelling', async () => {
    const refused = [
      'http://169.254.169.254/latest/meta-data/',
      'http://metadata.google.internal/computeMetadata/v1/',
      'http://10.0.0.1/',
      'http://192.168.0.1/',
      'http://172.16.5.4/',
      'http://100.64.0.1/',
      'http://0.0.0.0/',
      'http://[::]/',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://[::ffff:a9fe:a9fe]/',
      'http://[64:ff9b::7f00:1]/',
      'http://[fd00::1]/',
      'http://[fe80::1]/',
      'http://[ff02::1]/',
      'http://224.0.0.1/',
      'http://2130706433/',
      'http://0x7f000001/',
      'http://0177.0.0.1/',
      'http://127.1/',
      'http://127.0.0.1:5432/',
      'http://localhost:8787/',
      'http://LOCALHOST./',
      'http://app.localhost/',
      'http://intranet/',
      'http://printer.local/',
    ];
    for (const url of refused) {
      const answer = await subscribe(testAdmin, url);
      expect(answer.status, `${url}: ${answer.text}`).toBe(400);
      expect(answer.json.invalid_params).toEqual([{ name: 'url', reason: expect.any(String) }]);
    }
    // Nothing was stored.
    const listed = await call(t.server.url, 'GET', '/v1/webhooks', { key: testAdmin });
    expect(listed.json.data).toEqual([]);
  });

  it('refuses a host name that resolves to an address inside — any of its addresses — and accepts a public one', async () => {
    dns.set('intranet.example.com', ['10.1.2.3']);
    dns.set('mixed.example.com', [PUBLIC_ADDRESS, '127.0.0.1']);
    dns.set('v6.example.com', ['fd12:3456::1']);
    dns.set('public.example.com', [PUBLIC_ADDRESS]);
    for (const host of ['intranet.example.com', 'mixed.example.com', 'v6.example.com']) {
      const answer = await subscribe(testAdmin, `https://${host}/hook`);
      expect(answer.status, host).toBe(400);
      expect(answer.json.invalid_params[0].reason).toMatch(/private, loopback, link-local, unique-local, multicast or unspecified/);
    }
    const accepted = await subscribe(testAdmin, 'https://public.example.com/hook');
    expect(accepted.status, accepted.text).toBe(201);
    expect(accepted.json).toMatchObject({ status: 'enabled', paused_reason: null });
    expect((await call(t.server.url, 'DELETE', `/v1/webhooks/${String(accepted.json.id)}`, { key: testAdmin })).status).toBe(204);
  });

  it("looks the host up before the request's transaction, so other writes go on meanwhile", async () => {
    dns.set('slow.example.com', [PUBLIC_ADDRESS]);
    slow.set('slow.example.com', 1_500);
    const order: string[] = [];
    const subscribing = subscribe(testAdmin, 'https://slow.example.com/hook').then((answer) => {
      order.push('subscribed');
      return answer;
    });
    await new Promise((wake) => setTimeout(wake, 200));
    const report = await call(t.server.url, 'POST', '/v1/reports', { key: t.keys.publishableKey, body: sampleReport() });
    order.push('report');
    expect(report.status).toBe(201);
    const subscribed = await subscribing;
    expect(subscribed.status, subscribed.text).toBe(201);
    expect(order).toEqual(['report', 'subscribed']);
    expect((await call(t.server.url, 'DELETE', `/v1/webhooks/${String(subscribed.json.id)}`, { key: testAdmin })).status).toBe(204);
  });

  it('requires https for live subscriptions', async () => {
    dns.set('public.example.com', [PUBLIC_ADDRESS]);
    const plain = await subscribe(liveAdmin, 'http://public.example.com/hook');
    expect(plain.status).toBe(400);
    expect(plain.json.invalid_params).toEqual([{ name: 'url', reason: 'must be an https URL for a live subscription' }]);
    const secure = await subscribe(liveAdmin, 'https://public.example.com/hook');
    expect(secure.status, secure.text).toBe(201);
    expect((await call(t.server.url, 'DELETE', `/v1/webhooks/${String(secure.json.id)}`, { key: liveAdmin })).status).toBe(204);
  });

  it('checks again at delivery: a name that now resolves to loopback is not connected to, and the subscription is paused and its owner told', async () => {
    dns.set('rebind.example.com', [PUBLIC_ADDRESS]);
    const created = await subscribe(testAdmin, `http://rebind.example.com:${receiver.port}/hooks/rebind`);
    expect(created.status, created.text).toBe(201);
    const id = String(created.json.id);
    // DNS rebinding: the next answer points at the receiver on loopback.
    dns.set('rebind.example.com', ['127.0.0.1']);
    expect((await call(t.server.url, 'POST', '/v1/reports', { key: t.keys.publishableKey, body: sampleReport() })).status).toBe(201);

    const log = await waitFor(
      'the delivery fails',
      async () => (await call(t.server.url, 'GET', `/v1/webhooks/${id}/deliveries`, { key: testAdmin })).json.data,
      (data: Array<{ status: string }>) => data.length === 1 && data[0]?.status === 'failed',
    );
    expect(log[0]).toMatchObject({ status: 'failed', attempts: 1, last_error: 'refused_target', last_response_status: null });
    expect(receiver.attempts.filter((a) => a.url.includes('rebind'))).toEqual([]);

    const listed = await call(t.server.url, 'GET', '/v1/webhooks', { key: testAdmin });
    expect(listed.json.data.find((s: { id: string }) => s.id === id)).toMatchObject({ status: 'paused', paused_reason: 'refused_target' });
    const events = await call(t.server.url, 'GET', '/v1/events?type=webhook.paused', { key: testAdmin });
    expect(events.json.data).toEqual([
      expect.objectContaining({
        type: 'webhook.paused',
        data: { organization_id: DEMO_ORGANIZATIONS.punjabIntake, webhook_subscription_id: id, reason: 'refused_target' },
      }),
    ]);
    // A paused subscription gets nothing more.
    expect((await call(t.server.url, 'POST', '/v1/reports', { key: t.keys.publishableKey, body: sampleReport() })).status).toBe(201);
    await new Promise((wake) => setTimeout(wake, 10 * WEBHOOKS.pollMs));
    const after = await call(t.server.url, 'GET', `/v1/webhooks/${id}/deliveries`, { key: testAdmin });
    expect(after.json.data.map((d: { status: string; attempts: number }) => [d.status, d.attempts])).toEqual([['failed', 1]]);
    expect(receiver.attempts.filter((a) => a.url.includes('rebind'))).toEqual([]);
  });
});

describeEachBackend('webhook targets allow-listed for development', (backend) => {
  const dns = new Map<string, readonly string[]>();
  let t: TestServer;
  let receiver: WebhookReceiver;
  let admin: string;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    t = await startTestServer(backend, {
      webhooks: WEBHOOKS,
      webhookTargets: { allow: ['127.0.0.0/8'], resolve: async (host) => dns.get(host) ?? [] },
    });
    const organizationId = DEMO_ORGANIZATIONS.punjabIntake;
    admin = (await createApiKey(t.server.database.db, { kind: 'secret', mode: 'test', organizationId, role: 'admin' })).key;
  });
  afterAll(async () => {
    await t?.stop();
    await receiver?.close();
  });

  async function deliveriesOf(id: string, done: (data: Array<Record<string, unknown>>) => boolean) {
    return waitFor(
      `deliveries of ${id}`,
      async () => (await call(t.server.url, 'GET', `/v1/webhooks/${id}/deliveries`, { key: admin })).json.data,
      done,
    );
  }

  it('connects to the address that was checked, sending the name as the Host', async () => {
    // Only the server's own resolver knows this name: a second lookup (as fetch makes) would fail.
    dns.set('receiver.example.com', ['127.0.0.1']);
    const url = `http://receiver.example.com:${receiver.port}/hooks/pinned`;
    const created = await call(t.server.url, 'POST', '/v1/webhooks', { key: admin, body: { url, event_types: ['report.received'] } });
    expect(created.status, created.text).toBe(201);
    receiver.fallback = 'accept';
    expect((await call(t.server.url, 'POST', '/v1/reports', { key: t.keys.publishableKey, body: sampleReport() })).status).toBe(201);
    const log = await deliveriesOf(String(created.json.id), (data) => data[0]?.['status'] === 'succeeded');
    expect(log[0]).toMatchObject({ status: 'succeeded', last_response_status: 204, last_error: null });
    const attempt = receiver.attempts.find((a) => a.url === '/hooks/pinned');
    expect(attempt?.headers.host).toBe(`receiver.example.com:${receiver.port}`);
    expect((await call(t.server.url, 'DELETE', `/v1/webhooks/${String(created.json.id)}`, { key: admin })).status).toBe(204);
  });

  it('logs only a coarse failure category, the same for a closed port as for a dropped connection, and follows no redirect', async () => {
    const port = await closedPort();
    const targets = {
      closed: `http://127.0.0.1:${port}/hooks/closed`,
      failing: `${receiver.url}?case=failing`,
      hanging: `${receiver.url}?case=hanging`,
      redirecting: `${receiver.url}?case=redirecting`,
    };
    const ids: Record<string, string> = {};
    for (const [name, url] of Object.entries(targets)) {
      const created = await call(t.server.url, 'POST', '/v1/webhooks', { key: admin, body: { url, event_types: ['report.received'] } });
      expect(created.status, created.text).toBe(201);
      ids[name] = String(created.json.id);
    }
    receiver.script = [];
    receiver.fallback = 'accept';
    const answers: Record<string, 'fail' | 'hang' | 'redirect'> = { failing: 'fail', hanging: 'hang', redirecting: 'redirect' };
    const original = receiver.attempts.length;
    // The receiver answers by the URL's case, whatever order the attempts come in.
    const answerOf = (url: string) => answers[/case=(\w+)/.exec(url)?.[1] ?? ''] ?? 'accept';
    receiver.answerFor = answerOf;
    try {
      expect((await call(t.server.url, 'POST', '/v1/reports', { key: t.keys.publishableKey, body: sampleReport() })).status).toBe(201);
      const expected = {
        closed: { last_error: 'connect_failed', last_response_status: null },
        failing: { last_error: 'http_status', last_response_status: 500 },
        hanging: { last_error: 'timeout', last_response_status: null },
        redirecting: { last_error: 'http_status', last_response_status: 302 },
      };
      for (const [name, outcome] of Object.entries(expected)) {
        const log = await deliveriesOf(ids[name] ?? '', (data) => Number(data[0]?.['attempts'] ?? 0) >= 1);
        expect(log[0], name).toMatchObject({ status: 'retrying', ...outcome });
      }
      expect(receiver.attempts.slice(original).filter((a) => a.url === '/redirected')).toEqual([]);
      // Nothing of the network error is stored either, not even in the attempts table.
      const errors = await t.server.database.db.selectFrom('webhook_deliveries').select('error').distinct().execute();
      for (const { error } of errors) expect([null, 'connect_failed', 'http_status', 'timeout', 'refused_target']).toContain(error);
    } finally {
      receiver.answerFor = undefined;
      for (const id of Object.values(ids)) await call(t.server.url, 'DELETE', `/v1/webhooks/${id}`, { key: admin });
    }
  });
});

describeEachBackend('upgrading to webhook target checks', (backend) => {
  it('pauses stored subscriptions that break the rule, tells their owners, and rewrites logged network errors as categories', async () => {
    const target = await backend.create();
    const encryptionKey = generateEncryptionKey();
    try {
      const before = await openAtMigration(target.config, '0003_audit_platform_changes');
      await seedDemoOnPreviousSchema(before, { mode: 'test' });
      const cipher = createFieldCipher(parseEncryptionKey(encryptionKey));
      const at = new Date().toISOString();
      const organization = DEMO_ORGANIZATIONS.sindhIntake;
      const subscriptions = {
        loopback: { mode: 'test', url: 'http://2130706433:5432/' },
        metadata: { mode: 'test', url: 'http://169.254.169.254/latest/meta-data/' },
        plainLive: { mode: 'live', url: 'http://hooks.example.org/tahaffuz' },
        fine: { mode: 'live', url: 'https://hooks.example.org/tahaffuz' },
      } as const;
      const ids: Record<string, string> = {};
      for (const [name, { mode, url }] of Object.entries(subscriptions)) {
        const id = randomUUID();
        ids[name] = id;
        await before.db
          .insertInto('webhook_subscriptions' as never)
          .values({
            id,
            mode,
            organization_id: organization,
            url,
            event_types: '["report.received"]',
            description: null,
            status: 'enabled',
            secret_enc: cipher.encrypt('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', `webhook_subscriptions.secret:${id}`),
            previous_secret_enc: null,
            previous_secret_expires_at: null,
            created_at: at,
            updated_at: at,
            deleted_at: null,
          } as never)
          .execute();
      }
      // The old delivery log: the network error's name and code, a port scanner's answer.
      const eventId = randomUUID();
      await before.db
        .insertInto('events' as never)
        .values({
          id: eventId,
          mode: 'test',
          type: 'report.received',
          organization_ids: `["${organization}"]`,
          data: '{}',
          created_at: at,
        } as never)
        .execute();
      const oldErrors = ['TypeError ECONNREFUSED', 'TypeError UND_ERR_SOCKET', 'TimeoutError', 'HTTP 500'];
      const outboxIds: string[] = [];
      for (const [index, error] of oldErrors.entries()) {
        const outboxId = randomUUID();
        outboxIds.push(outboxId);
        const subscriptionId = index === 0 ? ids['loopback'] : index === 1 ? ids['metadata'] : ids['fine'];
        await before.db
          .insertInto('webhook_outbox' as never)
          .values({
            id: outboxId,
            subscription_id: subscriptionId,
            event_id: index < 2 ? eventId : randomUUID(),
            state: 'failed',
            attempts: 1,
            next_attempt_at: at,
            lease_until: null,
            last_response_status: error === 'HTTP 500' ? 500 : null,
            last_error: error,
            last_attempt_at: at,
            created_at: at,
            delivered_at: null,
          } as never)
          .execute();
        await before.db
          .insertInto('webhook_deliveries' as never)
          .values({
            id: randomUUID(),
            outbox_id: outboxId,
            subscription_id: subscriptionId,
            attempted_at: at,
            status_code: null,
            error,
            duration_ms: 3,
          } as never)
          .execute();
      }
      await before.close();

      const server = await startReferralServer({
        database: target.config,
        port: 0,
        encryptionKey,
        log: false,
        rateLimit: false,
        webhooks: false,
      });
      try {
        const db = server.database.db;
        const rows = await db.selectFrom('webhook_subscriptions').select(['id', 'status', 'paused_reason']).execute();
        const byId = new Map(rows.map((r) => [r.id, r]));
        for (const name of ['loopback', 'metadata', 'plainLive']) {
          expect(byId.get(ids[name] ?? ''), name).toMatchObject({ status: 'paused', paused_reason: 'refused_target' });
        }
        expect(byId.get(ids['fine'] ?? '')).toMatchObject({ status: 'enabled', paused_reason: null });

        // Their owners learn it from the events feed, in each subscription's mode.
        for (const mode of ['test', 'live'] as const) {
          const key = (await createApiKey(db, { kind: 'secret', mode, organizationId: organization, role: 'admin' })).key;
          const events = await call(server.url, 'GET', '/v1/events?type=webhook.paused', { key });
          const expectedIds = mode === 'test' ? [ids['loopback'], ids['metadata']] : [ids['plainLive']];
          expect(events.json.data.map((e: { data: { webhook_subscription_id: string } }) => e.data.webhook_subscription_id).sort()).toEqual(
            expectedIds.sort(),
          );
          for (const event of events.json.data) expect(event.data.reason).toBe('refused_target');
        }

        const outbox = await db.selectFrom('webhook_outbox').select(['id', 'last_error']).execute();
        const outboxErrors = new Map(outbox.map((r) => [r.id, r.last_error]));
        expect(outboxIds.map((id) => outboxErrors.get(id))).toEqual(['connect_failed', 'connect_failed', 'timeout', 'http_status']);
        const logged = await db.selectFrom('webhook_deliveries').select('error').execute();
        expect(logged.map((r) => r.error).sort()).toEqual(['connect_failed', 'connect_failed', 'http_status', 'timeout']);
      } finally {
        await server.close();
      }
    } finally {
      await target.cleanup();
    }
  });
});
