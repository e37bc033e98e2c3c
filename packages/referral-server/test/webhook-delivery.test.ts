import { verifyWebhook } from '@tahaffuz/referral-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ReferralServer, startReferralServer } from '../src/start-server.js';
import { describeEachBackend } from '@tahaffuz/test-kit';
import { call, sampleReport } from '../src/test-support/test-server.js';
import { must, SIDES, startWorld, type World } from './support/world.js';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.js';

/*
 * Webhooks to a real receiver on 127.0.0.1 that fails the first attempts (500, then a timeout):
 * the server is stopped while the delivery is still pending and restarted on the same SQLite
 * file (and the same PostgreSQL schema); the delivery is retried from the database outbox and accepted exactly once, with a
 * Standard Webhooks signature the typed client's verifyWebhook accepts, and a payload of ids only;
 * another organisation's and the other mode's subscriptions receive nothing.
 */

const WEBHOOKS = { pollMs: 100, backoffMs: () => 300, timeoutMs: 700 } as const;
/** The receiver is on loopback, which webhooks reach only when allow-listed. */
const LOCAL_RECEIVERS = { allow: ['127.0.0.0/8'] } as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

describeEachBackend('webhook delivery', (backend) => {
  let w: World;
  let receiver: WebhookReceiver;
  let restarted: ReferralServer | undefined;
  const markers = { narrative: 'WEBHOOK-NARRATIVE-7f3a', name: 'Webhook Reporter Name', phone: '+92 333 9876543' };

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    w = await startWorld(backend, { webhooks: WEBHOOKS, webhookTargets: LOCAL_RECEIVERS });
  });
  afterAll(async () => {
    await restarted?.close();
    await receiver?.close();
    await w?.t.target.cleanup();
  });

  it('retries a failing receiver across a restart and delivers once, signed, with ids only', async () => {
    const admin = w.keys.test.A.admin;
    const subscription = must(
      await w.call('POST', '/v1/webhooks', { key: admin, body: { url: `${receiver.url}?sub=A-test`, event_types: ['report.received'] } }),
      201,
      'subscription',
    );
    // Another organisation's and the other mode's subscriptions to the same event type get nothing
    // (a live subscription must be https).
    for (const [label, key, url] of [
      ['B-test', w.keys.test.B.admin, receiver.url],
      ['A-live', w.keys.live.A.admin, receiver.url.replace(/^http:/, 'https:')],
    ] as const) {
      must(
        await w.call('POST', '/v1/webhooks', { key, body: { url: `${url}?sub=${label}`, event_types: ['report.received'] } }),
        201,
        label,
      );
    }
    const secret = String(subscription.secret);
    expect(secret).toMatch(/^whsec_/);

    // 1st attempt: 500. 2nd attempt: no answer (the server times out). Then the server stops.
    receiver.script = ['fail', 'hang'];
    receiver.fallback = 'hang';
    const report = sampleReport({
      location: { admin_area: SIDES.A.adminArea, place_type: 'brick_kiln' },
      narrative: `${markers.narrative} children at the kiln`,
      reporter: { mode: 'share', contact: { name: markers.name, phone: markers.phone, safe_to_contact: true } },
    });
    must(await w.call('POST', '/v1/reports', { key: w.keys.test.A.intake, body: report }), 201, 'report');
    await receiver.waitForAttempts(2);
    expect(receiver.attempts.map((a) => a.answer)).toEqual(['fail', 'hang']);
    const eventId = receiver.attempts[0]?.id;
    expect(eventId).toMatch(UUID);
    expect(receiver.attempts[1]?.id).toBe(eventId);

    // Stop while the second attempt hangs: the delivery is still pending in the outbox.
    await w.t.server.close();
    const seenWhileDown = receiver.attempts.length;
    receiver.fallback = 'accept';
    await sleep(WEBHOOKS.backoffMs() + 3 * WEBHOOKS.pollMs);
    expect(receiver.attempts.length, 'nobody delivers while the server is down').toBe(seenWhileDown);

    restarted = await startReferralServer({
      database: w.t.target.config,
      port: 0,
      encryptionKey: w.t.encryptionKey,
      log: false,
      rateLimit: false,
      webhooks: WEBHOOKS,
      webhookTargets: LOCAL_RECEIVERS,
    });
    await receiver.waitForAttempts(seenWhileDown + 1);
    // Several more poll rounds: no second delivery of an accepted event.
    await sleep(10 * WEBHOOKS.pollMs + WEBHOOKS.backoffMs());

    expect(receiver.attempts.filter((a) => !a.url.endsWith('?sub=A-test')).map((a) => a.url)).toEqual([]);
    const accepted = receiver.attempts.filter((a) => a.answer === 'accept');
    expect(accepted.map((a) => a.id)).toEqual([eventId]);
    const delivered = accepted[0];
    if (delivered === undefined) throw new Error('not delivered');

    // Signed for this subscription (Standard Webhooks), verified by the typed client.
    const payload = await verifyWebhook({ body: delivered.body, headers: delivered.headers, secret });
    expect(payload.type).toBe('report.received');
    await expect(
      verifyWebhook({ body: delivered.body, headers: delivered.headers, secret: `whsec_${Buffer.alloc(32, 7).toString('base64')}` }),
    ).rejects.toThrow();
    await expect(verifyWebhook({ body: delivered.body.replace('report', 'rep0rt'), headers: delivered.headers, secret })).rejects.toThrow();

    // Ids only: every data field is an id, and nothing of the report's content travels.
    const data = payload.data as Record<string, unknown>;
    expect(Object.values(data)).toContain(report['id']);
    for (const [name, value] of Object.entries(data)) {
      expect(name).toMatch(/_id$/);
      expect(value).toMatch(UUID);
    }
    for (const attempt of receiver.attempts) {
      for (const marker of [markers.narrative, markers.name, markers.phone, '9876543', 'kiln', 'PK-PB'])
        expect(attempt.body).not.toContain(marker);
    }

    // The delivery log tells the same story: one delivery, three attempts, the last answered 204.
    const deliveries = must(
      await call(restarted.url, 'GET', `/v1/webhooks/${String(subscription.id)}/deliveries`, { key: admin }),
      200,
      'deliveries',
    );
    expect(deliveries.data).toEqual([
      expect.objectContaining({
        event_id: eventId,
        event_type: 'report.received',
        status: 'succeeded',
        attempts: 3,
        last_response_status: 204,
      }),
    ]);
  });
});
