import { randomBytes } from 'node:crypto';
import { createReferralClient, signWebhook } from '@tahaffuz/referral-client';
import { createApiKey, DEMO_ORGANIZATIONS, generateEncryptionKey, seedDemo, startReferralServer } from '@tahaffuz/referral-server';
import { describeEachBackend } from '@tahaffuz/test-kit';
import { expect, it } from 'vitest';
import { main, startWebhookReceiver } from '../src/index.js';

/*
 * The integrator example against the reference server with the demo seed, on a temporary SQLite
 * file and on PostgreSQL (127.0.0.1:5432, a fresh database). PostgreSQL unreachable: the test fails
 * under CI and is skipped with a message elsewhere.
 */

describeEachBackend('integrator example', (backend) => {
  it("runs a caseworker's day end to end, with verified webhooks", async () => {
    const database = await backend.create();
    // The webhook receiver is on loopback, which webhooks reach only when allow-listed.
    const server = await startReferralServer({
      database: database.config,
      port: 0,
      encryptionKey: generateEncryptionKey(),
      log: false,
      webhookTargets: { allow: ['127.0.0.0/8'] },
    });
    const receiver = await startWebhookReceiver();
    try {
      const { secretKeys } = await seedDemo(server.database.db);
      const { key: adminKey } = await createApiKey(server.database.db, {
        kind: 'secret',
        mode: 'test',
        organizationId: DEMO_ORGANIZATIONS.punjabIntake,
        role: 'admin',
      });
      // A report for Sindh goes to Sindh's intake, not to the Punjab caseworker's desk.
      const partner = createReferralClient({ baseUrl: server.url, apiKey: secretKeys.intake });
      const sindh = await partner.reports.create({
        categories: ['forced_begging'],
        happening_now: false,
        location: { admin_area: 'PK-SD-KHI' },
        reporter: { mode: 'anonymous' },
        locale: 'ur',
      });

      const lines: string[] = [];
      const day = await main({
        baseUrl: server.url,
        caseworkerKey: secretKeys.caseworker,
        providerKey: secretKeys.provider,
        adminKey,
        webhooks: receiver,
        submitDemoReport: true,
        log: (line) => lines.push(line),
      });

      expect(day.newReportIds).toContain(day.reportId);
      expect(day.newReportIds).not.toContain(sindh.id);
      expect(day.referralStatuses).toEqual(['draft', 'requested', 'accepted', 'in_progress', 'completed']);

      const direct = createReferralClient({ baseUrl: server.url, apiKey: secretKeys.caseworker });
      const referral = await direct.referrals.get(day.referralId);
      expect(referral).toMatchObject({ status: 'completed', case_id: day.caseId, service_id: day.serviceId, consent_id: day.consentId });
      expect((await direct.reports.get(day.reportId)).case_ids).toContain(day.caseId);

      // The shelter read the case summary: the share-mode contact, no narrative; the read is in the case's history.
      expect(day.caseSummary).toMatchObject({
        referral_id: day.referralId,
        case_id: day.caseId,
        service_type: 'shelter',
        urgency: 'urgent',
      });
      expect(day.caseSummary.reports).toHaveLength(1);
      expect(day.caseSummary.reports[0]?.reporter_contact).toEqual({
        name: 'DEMO reporter',
        email: 'demo-reporter@example.org',
        safe_to_contact: true,
      });
      expect(JSON.stringify(day.caseSummary)).not.toMatch(/moulding/);
      expect(day.caseHistory.some((entry) => entry.action === 'case.read_summary' && entry.actor.role === 'provider')).toBe(true);
      expect(day.caseHistory.every((entry) => entry.target.id === day.caseId || entry.target.type !== 'case')).toBe(true);
      expect(day.caseHistory.length).toBeGreaterThan(0);

      const about = day.events.filter((event) => event.data.referral_id === day.referralId).map((event) => event.type);
      expect(about).toEqual(['referral.requested', 'referral.accepted', 'referral.completed']);
      expect(day.events.some((event) => event.type === 'case.opened' && event.data.case_id === day.caseId)).toBe(true);

      expect(day.webhooks.map((webhook) => webhook.payload.type).sort()).toEqual([
        'referral.accepted',
        'referral.completed',
        'referral.requested',
      ]);
      expect(receiver.refused).toBe(0);

      // The receiver refuses a delivery signed with another secret.
      const forged = JSON.stringify({
        type: 'referral.completed',
        timestamp: new Date().toISOString(),
        data: { referral_id: day.referralId },
      });
      const timestamp = Math.floor(Date.now() / 1000);
      const signature = await signWebhook({
        id: 'msg_forged',
        timestamp,
        body: forged,
        secret: `whsec_${randomBytes(24).toString('base64')}`,
      });
      const refused = await fetch(receiver.url, {
        method: 'POST',
        headers: {
          'webhook-id': 'msg_forged',
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signature,
          'content-type': 'application/json',
        },
        body: forged,
      });
      expect(refused.status).toBe(400);
      expect(receiver.refused).toBe(1);

      // Progress lines carry ids and statuses, never the report's content.
      expect(lines.join('\n')).not.toMatch(/kiln|debt|children|DEMO reporter|example\.org/i);
    } finally {
      await receiver.close();
      await server.close();
      await database.cleanup();
    }
  });
});
