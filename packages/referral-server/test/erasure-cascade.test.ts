import { randomBytes, randomUUID } from 'node:crypto';
import { describeEachBackend } from '@tahaffuz/test-kit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { applyRetention } from '../src/domain/retention.js';
import { sampleReport } from '../src/test-support/test-server.js';
import { type Answer, must, SIDES, startWorld, type World } from './support/world.js';

/*
 * Issue 9, items 4 and 6. Erasure (and retention, which erases) reaches everything that hangs off
 * a case: the free text of its consents and referrals, and every stored idempotent response that
 * could replay an erased object. The consent-override reason is sealed and answered to the
 * referring organisation only.
 */

function marker(label: string): string {
  return `${label}-${randomBytes(6).toString('hex')}`;
}

/** A POST remembered with its Idempotency-Key, so the test can replay it exactly. */
interface Sent {
  readonly path: string;
  readonly key: string;
  readonly body: unknown;
  readonly idempotencyKey: string;
}

describeEachBackend('erasure and retention cascade', (backend) => {
  let w: World;
  const sent: Sent[] = [];
  beforeAll(async () => {
    w = await startWorld(backend, { webhooks: false });
  });
  afterAll(async () => w?.stop());

  async function post(key: string, path: string, body: unknown, status: number): Promise<any> {
    const idempotencyKey = randomUUID();
    sent.push({ path, key, body, idempotencyKey });
    return must(await w.call('POST', path, { key, body, idempotencyKey }), status, path);
  }

  async function replay(s: Sent): Promise<Answer> {
    return w.call('POST', s.path, { key: s.key, body: s.body, idempotencyKey: s.idempotencyKey });
  }

  /** A case with every kind of free text: screening reason, consent withdrawal, referral note, rejection and override reasons. */
  async function caseWithEverything(texts: Record<string, string>) {
    const k = w.keys.live.A;
    const report = sampleReport({
      location: { admin_area: SIDES.A.adminArea, place_type: 'brick_kiln', landmark: texts['landmark'] },
      narrative: texts['narrative'],
    });
    must(await w.call('POST', '/v1/reports', { key: k.intake, body: report }), 201, 'report');
    const reportId = String(report['id']);
    const kase = await post(
      k.supervisor,
      '/v1/cases',
      {
        report_ids: [reportId],
        screening_outcome: 'screened_in',
        screening_reason: texts['screening'],
        protection_concerns: ['bonded_labour'],
      },
      201,
    );
    const caseId = String(kase.id);
    await post(k.supervisor, `/v1/cases/${caseId}/transitions`, { to: 'assessment' }, 200);
    const consent = await post(
      k.supervisor,
      '/v1/consents',
      {
        case_id: caseId,
        grantor: 'guardian',
        basis: 'consent',
        scope: { service_types: ['shelter'], organization_ids: 'any' },
        obtained_at: new Date(Date.now() - 60_000).toISOString(),
      },
      201,
    );
    const rejected = await post(k.supervisor, '/v1/referrals', { case_id: caseId, service_id: SIDES.A.service, note: texts['note'] }, 201);
    await post(k.supervisor, `/v1/referrals/${rejected.id}/transitions`, { to: 'requested' }, 200);
    await post(k.provider, `/v1/referrals/${rejected.id}/transitions`, { to: 'rejected', reason: texts['rejection'] }, 200);
    await post(k.supervisor, `/v1/consents/${consent.id}/withdraw`, { reason: texts['withdrawal'] }, 200);
    const overridden = await post(
      k.supervisor,
      '/v1/referrals',
      { case_id: caseId, service_id: SIDES.A.service, note: texts['note2'] },
      201,
    );
    await post(
      k.supervisor,
      `/v1/referrals/${overridden.id}/transitions`,
      { to: 'requested', override: { reason: texts['override'] } },
      200,
    );
    return { reportId, caseId, consentId: String(consent.id), referralIds: [String(rejected.id), String(overridden.id)] };
  }

  function texts(): Record<string, string> {
    return {
      landmark: marker('LANDMARK'),
      narrative: marker('NARRATIVE'),
      screening: marker('SCREENING'),
      note: marker('NOTE'),
      note2: marker('NOTETWO'),
      rejection: marker('REJECTION'),
      withdrawal: marker('WITHDRAWAL'),
      override: marker('OVERRIDE'),
      closure: marker('CLOSURE'),
    };
  }

  function found(text: string, markers: Record<string, string>): string[] {
    return Object.entries(markers).flatMap(([field, value]) => (text.includes(value) ? [field] : []));
  }

  /** Everything the API still answers about a case's objects, to every key that could ask, plus every replay. */
  async function everythingAnswered(objects: Awaited<ReturnType<typeof caseWithEverything>>): Promise<string> {
    const k = w.keys.live.A;
    const answers: string[] = [];
    for (const id of objects.referralIds) {
      for (const key of [k.supervisor, k.caseworker, k.provider]) answers.push((await w.call('GET', `/v1/referrals/${id}`, { key })).text);
    }
    answers.push((await w.call('GET', `/v1/consents?case_id=${objects.caseId}`, { key: k.supervisor })).text);
    answers.push((await w.call('GET', `/v1/referrals?case_id=${objects.caseId}`, { key: k.provider })).text);
    for (const s of sent) answers.push((await replay(s)).text);
    return answers.join('\n');
  }

  it('seals the consent-override reason and shows the provider that consent was overridden, not why', async () => {
    const t = texts();
    const objects = await caseWithEverything(t);
    const overridden = objects.referralIds[1] ?? '';
    const k = w.keys.live.A;
    const referrer = must(await w.call('GET', `/v1/referrals/${overridden}`, { key: k.supervisor }), 200, 'referrer reads');
    expect(referrer.consent_override).toMatchObject({ reason: t['override'] });
    const provider = must(await w.call('GET', `/v1/referrals/${overridden}`, { key: k.provider }), 200, 'provider reads');
    expect(provider.consent_override).toEqual({ reason: null, key_id: referrer.consent_override.key_id, at: referrer.consent_override.at });
    const listed = must(await w.call('GET', `/v1/referrals?case_id=${objects.caseId}`, { key: k.provider }), 200, 'provider lists');
    expect(JSON.stringify(listed)).not.toContain(t['override']);
    const row = await w.t.server.database.db.selectFrom('referrals').select('data').where('id', '=', overridden).executeTakeFirstOrThrow();
    expect(row.data).not.toContain(t['override']);
    expect(JSON.parse(row.data)).toMatchObject({ consent_override_reason_enc: expect.stringMatching(/^v2\./) });
  });

  it('erasing a report and its case leaves no note, reason or replayable response, and answers both histories alike', async () => {
    sent.length = 0;
    const t = texts();
    const objects = await caseWithEverything(t);
    const k = w.keys.live.A;
    // Before: the content is there to be erased (so the test can fail).
    expect(found(await everythingAnswered(objects), t).sort()).toEqual(
      ['note', 'note2', 'override', 'rejection', 'screening', 'withdrawal'].sort(),
    );
    expect((await w.call('GET', `/v1/reports/${objects.reportId}/history`, { key: k.intake })).status).toBe(200);
    expect((await w.call('GET', `/v1/cases/${objects.caseId}/history`, { key: k.supervisor })).status).toBe(200);

    for (const [target_type, target_id] of [
      ['report', objects.reportId],
      ['case', objects.caseId],
    ]) {
      must(
        await w.call('POST', '/v1/erasures', {
          key: k.admin,
          body: { target_type, target_id, reason: 'Erasure requested by the family.' },
        }),
        201,
        `erase ${target_type}`,
      );
    }

    expect(found(await everythingAnswered(objects), t)).toEqual([]);
    const [rejected, overridden] = objects.referralIds;
    const afterRejected = must(await w.call('GET', `/v1/referrals/${rejected}`, { key: k.supervisor }), 200, 'referral after erasure');
    expect(afterRejected).toMatchObject({ status: 'rejected', note: null, status_reason: null });
    const afterOverride = must(await w.call('GET', `/v1/referrals/${overridden}`, { key: k.supervisor }), 200, 'override after erasure');
    expect(afterOverride.consent_override).toMatchObject({ reason: null });
    // A replay of the case's transition no longer answers the screening reason: the case is gone.
    const transition = sent.find((s) => s.path.endsWith(`/cases/${objects.caseId}/transitions`));
    expect(transition).toBeDefined();
    expect((await replay(transition as Sent)).status).toBe(404);

    // The same answer for both histories; the audit rows themselves stay (ids and field names).
    expect((await w.call('GET', `/v1/reports/${objects.reportId}/history`, { key: k.intake })).status).toBe(404);
    expect((await w.call('GET', `/v1/cases/${objects.caseId}/history`, { key: k.supervisor })).status).toBe(404);
    const db = w.t.server.database.db;
    for (const id of [objects.reportId, objects.caseId]) {
      const audit = await db.selectFrom('audit_events').select(['action', 'changed_fields']).where('target_id', '=', id).execute();
      expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining([expect.stringMatching(/\.erase$/)]));
      expect(found(JSON.stringify(audit), t)).toEqual([]);
    }
    const stored = await db
      .selectFrom('idempotency_keys')
      .select('key')
      .where(
        'key',
        'in',
        sent.map((s) => s.idempotencyKey),
      )
      .where('state', '=', 'done')
      .where('response_status', '<', 300)
      .execute();
    expect(stored).toEqual([]);
    // No new free text is recorded on what hangs off an erased case.
    const withdraw = await w.call('POST', `/v1/consents/${objects.consentId}/withdraw`, {
      key: k.supervisor,
      body: { reason: t['withdrawal'] },
    });
    expect(withdraw.status).toBe(404);
    const reject = await w.call('POST', `/v1/referrals/${overridden}/transitions`, {
      key: k.provider,
      body: { to: 'rejected', reason: t['rejection'] },
    });
    expect(reject.json?.type).toMatch(/invalid-transition$/);
    const stillRequested = must(await w.call('GET', `/v1/referrals/${overridden}`, { key: k.provider }), 200, 'referral after refusal');
    expect(stillRequested).toMatchObject({ status: 'requested', status_reason: null });
  });

  it('retention cascades the same way', async () => {
    sent.length = 0;
    const t = texts();
    const objects = await caseWithEverything(t);
    const k = w.keys.live.A;
    await post(k.supervisor, `/v1/cases/${objects.caseId}/transitions`, { to: 'closed', reason: t['closure'] }, 200);
    expect(found(await everythingAnswered(objects), t)).toEqual(expect.arrayContaining(['closure', 'note', 'override', 'withdrawal']));

    const erased = await applyRetention(w.t.server.database.db, { closedCaseYears: 1 }, Date.now() + 2 * 366 * 86_400_000);
    expect(erased).toContain(objects.caseId);
    expect(found(await everythingAnswered(objects), t)).toEqual([]);
    expect((await w.call('GET', `/v1/reports/${objects.reportId}/history`, { key: k.intake })).status).toBe(404);
    expect((await w.call('GET', `/v1/cases/${objects.caseId}/history`, { key: k.supervisor })).status).toBe(404);
  });
});
