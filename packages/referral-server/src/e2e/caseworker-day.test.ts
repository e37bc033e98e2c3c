import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createReferralClient, isReferralApiError, verifyWebhook, type ReferralClient } from '@tahaffuz/referral-client';
import type { WebhookEventPayload } from '@tahaffuz/referral-contract';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_ORGANIZATIONS, DEMO_SERVICES } from '../demo/seed-demo.js';
import { createApiKey } from '../keys/api-keys.js';
import { describeEachBackend } from '@tahaffuz/test-kit';
import { sampleReport, startTestServer, type TestServer } from '../test-support/test-server.js';

interface Received {
  readonly id: string;
  readonly payload: WebhookEventPayload;
}

/** A webhook receiver that fails the first `failFirst` requests, then verifies and records. */
async function startReceiver(failFirst: number, secret: () => string | undefined) {
  const received: Received[] = [];
  let requests = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests += 1;
      if (requests <= failFirst) {
        res.writeHead(503).end();
        return;
      }
      const body = Buffer.concat(chunks).toString('utf8');
      const key = secret();
      if (key === undefined) {
        res.writeHead(500).end();
        return;
      }
      verifyWebhook({ body, headers: req.headers as Record<string, string>, secret: key })
        .then((payload) => {
          received.push({ id: String(req.headers['webhook-id']), payload });
          res.writeHead(204).end();
        })
        .catch(() => res.writeHead(400).end());
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    requests: () => requests,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function status(promise: Promise<unknown>): Promise<number | string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    if (isReferralApiError(error) && 'status' in error) return (error as { status: number }).status;
    throw error;
  }
}

describeEachBackend('a caseworker day, end to end through @tahaffuz/referral-client', (backend) => {
  let t: TestServer;
  let webhookSecret: string | undefined;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const client = (apiKey: string): ReferralClient => createReferralClient({ baseUrl: t.server.url, apiKey });

  beforeAll(async () => {
    receiver = await startReceiver(2, () => webhookSecret);
    t = await startTestServer(backend, {
      webhooks: { pollMs: 50, backoffMs: () => 100 },
      // The receiver is on loopback.
      webhookTargets: { allow: ['127.0.0.0/8'] },
    });
  });
  afterAll(async () => {
    await t?.stop();
    await receiver?.close();
  });

  it('goes from a public report to a completed referral, with history, events and webhooks', async () => {
    const admin = client(t.keys.secretKeys.admin);
    // An admin key manages its own organisation's keys: Punjab's admin key comes from the CLI (here: the same function).
    const punjabAdmin = client(
      (
        await createApiKey(t.server.database.db, {
          kind: 'secret',
          mode: 'test',
          organizationId: DEMO_ORGANIZATIONS.punjabIntake,
          role: 'admin',
        })
      ).key,
    );
    expect(
      await status(
        admin.keys.create({ kind: 'secret', mode: 'test', organization_id: DEMO_ORGANIZATIONS.punjabIntake, name: 'x', role: 'admin' }),
      ),
    ).toBe(403);
    const ownKey = await admin.keys.create({
      kind: 'secret',
      mode: 'test',
      organization_id: DEMO_ORGANIZATIONS.nationalIntake,
      name: 'desk',
      role: 'intake',
    });
    expect((await admin.keys.revoke(ownKey.id)).revoked_at).not.toBeNull();
    const subscription = await punjabAdmin.webhooks.create({
      url: receiver.url,
      event_types: ['report.received', 'case.opened', 'referral.requested', 'referral.accepted', 'referral.completed'],
    });
    webhookSecret = subscription.secret;

    const form = client(t.keys.publishableKey);
    const intake = client(t.keys.secretKeys.intake);
    const caseworker = client(t.keys.secretKeys.caseworker);
    const supervisor = client(t.keys.secretKeys.supervisor);
    const provider = client(t.keys.secretKeys.provider);

    const input = sampleReport();
    const receipt = await form.reports.create(input as never);
    expect(receipt.id).toBe(input['id']);

    // Intake: the new report is routed to Punjab.
    const reports = await intake.reports.list({ admin_area: 'PK-PB' });
    expect(reports.data.map((r) => r.id)).toContain(receipt.id);

    const kase = await intake.cases.open({
      report_ids: [receipt.id],
      screening_outcome: 'screened_in',
      screening_reason: 'children held by debt at a kiln',
      protection_concerns: ['bonded_labour', 'child_labour'],
      risk_level: 'high',
    });
    expect(kase).toMatchObject({
      status: 'open',
      stage: 'screening',
      report_ids: [receipt.id],
      organization_id: DEMO_ORGANIZATIONS.punjabIntake,
    });
    expect((await caseworker.cases.transition(kase.id, { to: 'assessment' })).stage).toBe('assessment');

    // Find a shelter in the district; its address is confidential until a referral goes to it.
    const shelters = await caseworker.services.list({ admin_area: 'PK-PB-LHR', service_type: 'shelter' });
    const shelter = shelters.data.find((s) => s.id === DEMO_SERVICES.lahoreShelter);
    expect(shelter?.confidential_address).toBe(true);
    expect(shelter?.address).toBeNull();

    const referral = await caseworker.referrals.create({ case_id: kase.id, service_id: DEMO_SERVICES.lahoreShelter, urgency: 'urgent' });
    expect(referral).toMatchObject({ status: 'draft', organization_id: DEMO_ORGANIZATIONS.lahoreShelter });
    // The provider does not see drafts.
    expect(await status(provider.referrals.get(referral.id))).toBe(404);
    // No consent yet: 422 consent-required; a caseworker cannot override.
    expect(await status(caseworker.referrals.transition(referral.id, { to: 'requested' }))).toBe(422);
    expect(await status(caseworker.referrals.transition(referral.id, { to: 'requested', override: { reason: 'urgent' } }))).toBe(403);

    const consent = await intake.consents.create({
      case_id: kase.id,
      grantor: 'guardian',
      basis: 'consent',
      scope: { service_types: ['shelter', 'psychosocial'], organization_ids: 'any' },
      obtained_at: new Date(Date.now() - 60_000).toISOString(),
    });
    const requested = await caseworker.referrals.transition(referral.id, { to: 'requested' });
    expect(requested).toMatchObject({ status: 'requested', consent_id: consent.id });

    // The provider answers with its own key; it may not cancel, and cannot skip states.
    expect((await provider.referrals.list({ status: 'requested' })).data.map((r) => r.id)).toEqual([referral.id]);
    expect(await status(provider.referrals.transition(referral.id, { to: 'cancelled' }))).toBe(403);
    expect(await status(provider.referrals.transition(referral.id, { to: 'completed' }))).toBe(422);
    await provider.referrals.transition(referral.id, { to: 'accepted' });
    // What the shelter needs to take the child in: the case data the referral shares, never the
    // narrative or a confidential reporter's contact.
    const shared = await provider.referrals.case(referral.id);
    expect(shared).toMatchObject({ case_id: kase.id, urgency: 'urgent', protection_concerns: ['bonded_labour', 'child_labour'] });
    expect(shared.reports).toEqual([
      expect.objectContaining({
        reference: receipt.reference,
        location: { admin_area: 'PK-PB-LHR', place_type: 'brick_kiln' },
        reporter_contact: null,
      }),
    ]);
    expect(JSON.stringify(shared)).not.toContain(String(input['narrative']));
    await provider.referrals.transition(referral.id, { to: 'in_progress' });
    expect((await provider.referrals.transition(referral.id, { to: 'completed' })).status).toBe('completed');
    expect(await status(provider.cases.get(kase.id))).toBe(403);
    // Once the referral is completed the need has ended; the referring caseworker still sees what was shared.
    expect(await status(provider.referrals.case(referral.id))).toBe(404);
    expect(await caseworker.referrals.case(referral.id)).toEqual(shared);

    // A supervisor may override consent, with a reason, for a service the consent does not cover.
    const legal = await caseworker.referrals.create({ case_id: kase.id, service_id: DEMO_SERVICES.karachiLegalAid });
    const overridden = await supervisor.referrals.transition(legal.id, { to: 'requested', override: { reason: 'court date tomorrow' } });
    expect(overridden.consent_override).toMatchObject({ reason: 'court date tomorrow' });

    // Another organisation sees none of it.
    const sindh = client(
      (
        await createApiKey(t.server.database.db, {
          kind: 'secret',
          mode: 'test',
          organizationId: DEMO_ORGANIZATIONS.sindhIntake,
          role: 'supervisor',
        })
      ).key,
    );
    expect(await status(sindh.cases.get(kase.id))).toBe(404);
    expect(await status(sindh.referrals.get(referral.id))).toBe(404);
    expect(await status(sindh.referrals.case(referral.id))).toBe(404);
    expect(await status(sindh.reports.get(receipt.id))).toBe(404);
    expect(await status(sindh.consents.withdraw(consent.id))).toBe(404);

    // History: every change and every read.
    const history = await caseworker.cases.history(kase.id);
    const actions = history.data.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['case.open', 'case.transition', 'case.add_consent', 'case.add_referral', 'case.read_summary']),
    );
    expect(history.data.find((e) => e.action === 'case.read_summary')?.actor).toMatchObject({
      organization_id: DEMO_ORGANIZATIONS.lahoreShelter,
      role: 'provider',
    });
    expect(history.data.every((e) => e.changed_fields.every((f) => /^[a-z_]+$/.test(f)))).toBe(true);
    const referralHistory = await caseworker.referrals.history(referral.id);
    expect(referralHistory.data.filter((e) => e.action === 'referral.transition')).toHaveLength(4);

    // Events: the feed has every state change in order; catching up after one works.
    const events = (await caseworker.events.list({ page_size: 100 })).data;
    const types = events.map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining(['report.received', 'case.opened', 'referral.requested', 'referral.accepted', 'referral.completed']),
    );
    expect(types.indexOf('referral.requested')).toBeLessThan(types.indexOf('referral.completed'));
    const opened = events.find((e) => e.type === 'case.opened');
    const after = await caseworker.events.list({ after: opened?.id ?? '' });
    expect(after.data.map((e) => e.type)).not.toContain('case.opened');
    expect(after.data.map((e) => e.type)).toContain('referral.completed');

    // Consent withdrawn later: an event too.
    expect((await intake.consents.withdraw(consent.id, { reason: 'guardian changed their mind' })).status).toBe('withdrawn');

    // Webhooks: delivered despite the receiver failing twice, signatures verified, ids only.
    const wanted = ['report.received', 'case.opened', 'referral.requested', 'referral.accepted', 'referral.completed'];
    await until('all webhooks', () => (wanted.every((w) => receiver.received.some((r) => r.payload.type === w)) ? true : undefined));
    expect(receiver.requests()).toBeGreaterThan(receiver.received.length);
    for (const { payload } of receiver.received) {
      expect(Object.values(payload.data).every((v) => typeof v === 'string' && /^[0-9a-f-]{36}$/.test(v))).toBe(true);
    }
    const deliveries = await punjabAdmin.webhooks.deliveries(subscription.id);
    expect(deliveries.data.some((d) => d.attempts > 1 && d.status === 'succeeded')).toBe(true);

    // Stats: this month is still running, so its counts are not published yet.
    const now = new Date();
    const period = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
    const open = await caseworker.stats.hotspots({ bucket: 'month', period, category: 'bonded_labour' }).catch((error: unknown) => error);
    expect(isReferralApiError(open, 'ValidationError')).toBe(true);
    expect((open as { problem?: { invalid_params?: unknown } }).problem?.invalid_params).toEqual([
      expect.objectContaining({ name: 'period' }),
    ]);
  });
});
