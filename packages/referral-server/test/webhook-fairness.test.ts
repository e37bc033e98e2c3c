import { PROBLEM_TYPES } from '@tahaffuz/referral-contract';
import { describeEachBackend } from '@tahaffuz/test-kit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_ORGANIZATIONS } from '../src/demo/seed-demo.js';
import { createApiKey } from '../src/keys/api-keys.js';
import { call, sampleReport, startTestServer, type TestServer } from '../src/test-support/test-server.js';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.js';

/*
 * Issue 9, item 8: deliveries went one at a time with a 10 s timeout, so ten endpoints of one
 * organisation that never answer delayed every other organisation's webhooks by minutes. Now they
 * run concurrently with a limit per organisation, a failing subscription is paused by a circuit
 * breaker (and its owner told), and an organisation's subscriptions are capped.
 */

const PER_ORGANIZATION = 3;
const SETTINGS = {
  pollMs: 50,
  backoffMs: () => 50,
  // Far longer than the test waits: a hanging endpoint stays hanging throughout.
  timeoutMs: 30_000,
  concurrency: 8,
  perOrganization: PER_ORGANIZATION,
  breakerThreshold: 3,
  breakerCooldownMs: 1_500,
} as const;
const CAP = 12;

async function waitFor<T>(what: string, read: () => Promise<T> | T, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms; last seen ${JSON.stringify(value)}`);
    await new Promise((wake) => setTimeout(wake, 25));
  }
}

describeEachBackend('webhook delivery fairness', (backend) => {
  let t: TestServer;
  let receiver: WebhookReceiver;
  const admins: Record<string, string> = {};
  let breakerFailing = true;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    receiver.answerFor = (url) => {
      if (url.includes('org=3')) return 'hang';
      if (url.includes('breaker')) return breakerFailing ? 'fail' : 'accept';
      return 'accept';
    };
    t = await startTestServer(backend, {
      webhooks: SETTINGS,
      maxWebhookSubscriptions: CAP,
      // The receiver is on loopback.
      webhookTargets: { allow: ['127.0.0.0/8'] },
    });
    for (const [name, organizationId] of [
      ['punjab', DEMO_ORGANIZATIONS.punjabIntake],
      ['sindh', DEMO_ORGANIZATIONS.sindhIntake],
      ['karachi', DEMO_ORGANIZATIONS.karachiLegalAid],
    ] as const) {
      admins[name] = (await createApiKey(t.server.database.db, { kind: 'secret', mode: 'test', organizationId, role: 'admin' })).key;
    }
  });
  afterAll(async () => {
    // The receiver first: it drops the hanging requests, so the server's attempts end.
    await receiver?.close();
    await t?.stop();
  });

  const subscribe = async (admin: string, url: string, eventTypes = ['report.received']) => {
    const created = await call(t.server.url, 'POST', '/v1/webhooks', { key: admin, body: { url, event_types: eventTypes } });
    expect(created.status, created.text).toBe(201);
    return String(created.json.id);
  };
  const deliveries = async (admin: string, id: string) =>
    (await call(t.server.url, 'GET', `/v1/webhooks/${id}/deliveries`, { key: admin })).json.data as Array<Record<string, unknown>>;
  const report = async (adminArea: string) => {
    const created = await call(t.server.url, 'POST', '/v1/reports', {
      key: t.keys.publishableKey,
      body: sampleReport({ location: { admin_area: adminArea, place_type: 'brick_kiln' } }),
    });
    expect(created.status, created.text).toBe(201);
  };

  it("delivers org 2's event while org 3's ten endpoints hang, org 3 holding only its own slots", async () => {
    const sindh = admins['sindh'] ?? '';
    const punjab = admins['punjab'] ?? '';
    const hanging: string[] = [];
    for (let i = 0; i < 10; i += 1) hanging.push(await subscribe(sindh, `${receiver.url}?org=3&n=${i}`));
    const punjabHook = await subscribe(punjab, `${receiver.url}?org=2`);
    const org3Attempts = () => receiver.attempts.filter((a) => a.url.includes('org=3')).length;

    // Org 3's event first: its deliveries are the oldest in the outbox.
    await report('PK-SD-KHI');
    await waitFor('org 3 fills its slots', org3Attempts, (n) => n >= PER_ORGANIZATION);
    await report('PK-PB-LHR');

    // Well above the expected time, far below org 3's timeout.
    await waitFor(
      'org 2 receives its event',
      () => receiver.attempts.filter((a) => a.url.endsWith('?org=2')).length,
      (n) => n === 1,
    );
    const log = await waitFor(
      "org 2's delivery log",
      () => deliveries(punjab, punjabHook),
      (data) => data[0]?.['status'] === 'succeeded',
    );
    expect(log).toEqual([expect.objectContaining({ status: 'succeeded', attempts: 1, last_response_status: 204 })]);

    // Org 3's endpoints are all still hanging: none has an outcome, and it never had more than its share in flight.
    await new Promise((wake) => setTimeout(wake, 5 * SETTINGS.pollMs));
    expect(org3Attempts()).toBe(PER_ORGANIZATION);
    for (const id of hanging) {
      expect(await deliveries(sindh, id)).toEqual([expect.objectContaining({ status: 'pending', attempts: 0 })]);
    }
  });

  it('pauses a subscription that keeps failing, tells its owner with webhook.paused, and resumes it after the cool-down once it answers', async () => {
    const punjab = admins['punjab'] ?? '';
    const id = await subscribe(punjab, `${receiver.url}?breaker`);
    const breakerAttempts = () => receiver.attempts.filter((a) => a.url.endsWith('?breaker')).length;
    await report('PK-PB-LHR');

    const paused = await waitFor(
      'the breaker opens',
      async () => (await call(t.server.url, 'GET', '/v1/webhooks', { key: punjab })).json.data.find((s: { id: string }) => s.id === id),
      (s: { status: string }) => s.status === 'paused',
    );
    expect(paused).toMatchObject({ status: 'paused', paused_reason: 'failing' });
    expect(breakerAttempts()).toBe(SETTINGS.breakerThreshold);
    const events = await call(t.server.url, 'GET', '/v1/events?type=webhook.paused', { key: punjab });
    expect(events.json.data).toEqual([
      expect.objectContaining({
        type: 'webhook.paused',
        data: { organization_id: DEMO_ORGANIZATIONS.punjabIntake, webhook_subscription_id: id, reason: 'failing' },
      }),
    ]);
    // Held while paused: no attempt although its retry is due.
    await new Promise((wake) => setTimeout(wake, 10 * SETTINGS.pollMs));
    expect(breakerAttempts()).toBe(SETTINGS.breakerThreshold);
    expect(await deliveries(punjab, id)).toEqual([expect.objectContaining({ status: 'retrying', last_error: 'http_status' })]);

    // The receiver is back: after the cool-down the delivery goes through and the subscription is enabled again.
    breakerFailing = false;
    await waitFor(
      'the delivery after the cool-down',
      () => deliveries(punjab, id),
      (data) => data[0]?.['status'] === 'succeeded',
    );
    const resumed = (await call(t.server.url, 'GET', '/v1/webhooks', { key: punjab })).json.data.find((s: { id: string }) => s.id === id);
    expect(resumed).toMatchObject({ status: 'enabled', paused_reason: null });
    expect(breakerAttempts()).toBe(SETTINGS.breakerThreshold + 1);
  });

  it('caps the subscriptions of an organisation in one mode with a 422 problem', async () => {
    const karachi = admins['karachi'] ?? '';
    const ids: string[] = [];
    for (let i = 0; i < CAP; i += 1) ids.push(await subscribe(karachi, `https://hooks.example.org/cap/${i}`, ['case.opened']));
    const refused = await call(t.server.url, 'POST', '/v1/webhooks', {
      key: karachi,
      body: { url: 'https://hooks.example.org/cap/one-more', event_types: ['case.opened'] },
    });
    expect(refused.status).toBe(422);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.json).toMatchObject({ type: PROBLEM_TYPES['webhook-subscription-limit'], status: 422 });
    expect(refused.json.detail).toContain(`${CAP} webhook subscriptions in test mode`);
    // Another mode counts apart, and deleting one makes room.
    const live = (
      await createApiKey(t.server.database.db, {
        kind: 'secret',
        mode: 'live',
        organizationId: DEMO_ORGANIZATIONS.karachiLegalAid,
        role: 'admin',
      })
    ).key;
    await subscribe(live, 'https://hooks.example.org/cap/live', ['case.opened']);
    expect((await call(t.server.url, 'DELETE', `/v1/webhooks/${ids[0] ?? ''}`, { key: karachi })).status).toBe(204);
    await subscribe(karachi, 'https://hooks.example.org/cap/after-delete', ['case.opened']);
  });
});
