import { randomBytes, randomUUID } from 'node:crypto';
import { PROBLEM_TYPES, ReferralCaseSummarySchema, type ReferralCaseSummary } from '@tahaffuz/referral-contract';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_ORGANIZATIONS, DEMO_SERVICES } from '../demo/seed-demo.js';
import type { RequestLogEntry } from '../http/server-context.js';
import { createApiKey } from '../keys/api-keys.js';
import { describeEachBackend } from '@tahaffuz/test-kit';
import { call, sampleReport, startTestServer, type TestServer } from '../test-support/test-server.js';

/*
 * GET /v1/referrals/{id}/case over HTTP on both backends: what the organisation a referral is
 * addressed to reads about the case, when, and that every read is audited and nothing personal
 * is logged. Markers in every free-text and contact field show what leaks and what does not.
 */

function marker(label: string): string {
  return `${label}-${randomBytes(6).toString('hex')}`;
}

type Json = any;

describeEachBackend('the case summary of a referral', (backend) => {
  let t: TestServer;
  let url: string;
  let offsetMs = 0;
  const logged: RequestLogEntry[] = [];
  const keys = { karachiProvider: '', sindhSupervisor: '', policeProvider: '' };
  let policeService = '';

  const hidden = {
    narrative: marker('NARRATIVE'),
    suspects: marker('SUSPECTS'),
    confidentialName: marker('CONFIDENTIALNAME'),
    confidentialEmail: `${marker('confidential')}@example.org`,
    screening: marker('SCREENING'),
    landmark: marker('LANDMARK'),
  };
  const shared = {
    name: marker('SHARENAME'),
    email: `${marker('share')}@example.org`,
    safeTimes: marker('SAFETIMES'),
    note: marker('NOTE'),
  };
  const shareContact = {
    name: shared.name,
    phone: '+92 321 7654321',
    email: shared.email,
    safe_to_contact: true,
    preferred_language: 'pa',
    safe_times: shared.safeTimes,
  };

  const k = () => t.keys.secretKeys;
  const get = (path: string, key: string) => call(url, 'GET', path, { key });
  async function post(path: string, key: string, body: unknown, status = 200): Promise<Json> {
    const answer = await call(url, 'POST', path, { key, body });
    if (answer.status !== status) throw new Error(`POST ${path}: expected ${status}, got ${answer.status}: ${answer.text.slice(0, 400)}`);
    return answer.json;
  }

  async function report(reporter: unknown, overrides: Record<string, unknown> = {}): Promise<{ id: string; reference: string }> {
    const body = sampleReport({
      narrative: `${hidden.narrative} at the kiln`,
      suspects: { description: hidden.suspects },
      location: {
        admin_area: 'PK-PB-LHR',
        place_type: 'brick_kiln',
        landmark: hidden.landmark,
        coordinates: { latitude: 31.52, longitude: 74.35 },
      },
      victims: { count: 3, age_band: '12_to_14', genders: ['female', 'male'], indicators: ['debt', 'cannot_leave'] },
      reporter,
      ...overrides,
    });
    const receipt = await post('/v1/reports', t.keys.publishableKey, body, 201);
    return { id: String(body['id']), reference: String(receipt.reference) };
  }

  async function caseOf(reportIds: string[]): Promise<string> {
    const kase = await post(
      '/v1/cases',
      k().supervisor,
      {
        report_ids: reportIds,
        screening_outcome: 'screened_in',
        screening_reason: hidden.screening,
        protection_concerns: ['bonded_labour', 'child_labour'],
        risk_level: 'high',
        child: { age_band: '12_to_14', gender: 'female', languages: ['pa', 'ur'], needs: ['shelter'] },
      },
      201,
    );
    return String(kase.id);
  }

  async function consentFor(caseId: string, extra: Record<string, unknown> = {}): Promise<string> {
    const consent = await post(
      '/v1/consents',
      k().supervisor,
      {
        case_id: caseId,
        grantor: 'guardian',
        basis: 'consent',
        scope: { service_types: ['shelter', 'police'], organization_ids: 'any' },
        obtained_at: new Date(Date.now() + offsetMs - 60_000).toISOString(),
        ...extra,
      },
      201,
    );
    return String(consent.id);
  }

  async function referral(
    caseId: string,
    serviceId: string = DEMO_SERVICES.lahoreShelter,
    request: 'consent' | 'override' | 'draft' = 'consent',
  ): Promise<string> {
    const created = await post(
      '/v1/referrals',
      k().caseworker,
      { case_id: caseId, service_id: serviceId, urgency: 'emergency', note: shared.note },
      201,
    );
    if (request === 'consent') await post(`/v1/referrals/${created.id}/transitions`, k().caseworker, { to: 'requested' });
    if (request === 'override')
      await post(`/v1/referrals/${created.id}/transitions`, k().supervisor, {
        to: 'requested',
        override: { reason: 'court hearing tomorrow' },
      });
    return String(created.id);
  }

  /** A case from a share, a confidential and an anonymous report, with a consent, referred to the Lahore shelter. */
  async function world() {
    const share = await report({ mode: 'share', contact: shareContact, relationship: 'neighbour' });
    const confidential = await report({
      mode: 'confidential',
      contact: { name: hidden.confidentialName, email: hidden.confidentialEmail, safe_to_contact: true },
    });
    const anonymous = await report({ mode: 'anonymous' }, { victims: undefined, locale: 'en' });
    const caseId = await caseOf([share.id, confidential.id, anonymous.id]);
    const consentId = await consentFor(caseId);
    const referralId = await referral(caseId);
    return { share, confidential, anonymous, caseId, consentId, referralId };
  }

  beforeAll(async () => {
    t = await startTestServer(backend, { log: (entry) => logged.push(entry), clock: () => Date.now() + offsetMs });
    url = t.server.url;
    const db = t.server.database.db;
    keys.karachiProvider = (
      await createApiKey(db, { kind: 'secret', mode: 'test', organizationId: DEMO_ORGANIZATIONS.karachiLegalAid, role: 'provider' })
    ).key;
    keys.sindhSupervisor = (
      await createApiKey(db, { kind: 'secret', mode: 'test', organizationId: DEMO_ORGANIZATIONS.sindhIntake, role: 'supervisor' })
    ).key;
    // A police service (the directory changes with live keys only; it is shared by both modes).
    const police = await post(
      '/v1/organizations',
      t.liveKeys.secretKeys.operator,
      { name: `DEMO Lahore police ${randomUUID().slice(0, 6)}`, kind: 'government', admin_areas: ['PK-PB'] },
      201,
    );
    const service = await post(
      '/v1/services',
      t.liveKeys.secretKeys.operator,
      {
        organization_id: police.id,
        name: 'DEMO Anti-trafficking unit',
        service_type: 'police',
        coverage: ['PK-PB'],
        languages: ['ur'],
        capacity: 'available',
        confidential_address: false,
      },
      201,
    );
    policeService = String(service.id);
    keys.policeProvider = (
      await createApiKey(db, { kind: 'secret', mode: 'test', organizationId: String(police.id), role: 'provider' })
    ).key;
  });
  afterAll(async () => t?.stop());

  it('gives the provider the minimum: concerns, child, reports, the share contact decrypted; no narrative, suspects, screening or confidential contact', async () => {
    const w = await world();
    const answer = await get(`/v1/referrals/${w.referralId}/case`, k().provider);
    expect(answer.status, answer.text).toBe(200);
    const summary = ReferralCaseSummarySchema.parse(answer.json);
    expect(answer.json).toEqual(summary); // nothing beyond the schema
    const byReference = new Map(summary.reports.map((r) => [r.reference, r]));
    expect(summary).toMatchObject({
      referral_id: w.referralId,
      case_id: w.caseId,
      service_type: 'shelter',
      urgency: 'emergency',
      note: shared.note,
      protection_concerns: ['bonded_labour', 'child_labour'],
      child: { age_band: '12_to_14', gender: 'female', languages: ['pa', 'ur'], needs: ['shelter'] },
    });
    expect(summary.reports).toHaveLength(3);
    expect(byReference.get(w.share.reference)).toEqual({
      reference: w.share.reference,
      categories: ['bonded_labour', 'child_labour'],
      happening_now: true,
      location: { admin_area: 'PK-PB-LHR', place_type: 'brick_kiln' },
      victims: { count: 3, age_band: '12_to_14', genders: ['female', 'male'], indicators: ['debt', 'cannot_leave'] },
      locale: 'ur',
      reporter_contact: shareContact,
    });
    expect(byReference.get(w.confidential.reference)?.reporter_contact).toBeNull();
    expect(byReference.get(w.anonymous.reference)).toMatchObject({ reporter_contact: null, victims: null, locale: 'en' });
    for (const [field, value] of Object.entries(hidden)) expect(answer.text.includes(value), `${field} in the summary`).toBe(false);
    expect(answer.text).not.toContain('neighbour');
    expect(answer.text).not.toContain('high'); // the risk level stays with the case owner

    // The referring organisation's caseworker sees exactly what is shared.
    const referring = await get(`/v1/referrals/${w.referralId}/case`, k().caseworker);
    expect(referring.status).toBe(200);
    expect(referring.json).toEqual(answer.json);
  });

  it('adds the landmark and coarse coordinates for a police referral only', async () => {
    const r = await report({ mode: 'share', contact: shareContact });
    const caseId = await caseOf([r.id]);
    await consentFor(caseId);
    const toPolice = await referral(caseId, policeService);
    const police = await get(`/v1/referrals/${toPolice}/case`, keys.policeProvider);
    expect(police.status, police.text).toBe(200);
    expect((police.json as ReferralCaseSummary).reports[0]?.location).toEqual({
      admin_area: 'PK-PB-LHR',
      place_type: 'brick_kiln',
      landmark: hidden.landmark,
      coordinates: { latitude: 31.52, longitude: 74.35 },
    });
    // The shelter, referred the same case, does not get them; nor does the police unit see the shelter's referral.
    const toShelter = await referral(caseId);
    expect((await get(`/v1/referrals/${toShelter}/case`, k().provider)).json.reports[0].location).toEqual({
      admin_area: 'PK-PB-LHR',
      place_type: 'brick_kiln',
    });
    expect((await get(`/v1/referrals/${toShelter}/case`, keys.policeProvider)).status).toBe(404);
  });

  it('answers 404 to another provider, another intake organisation and the other mode; 403 to roles that do not read referrals', async () => {
    const w = await world();
    const path = `/v1/referrals/${w.referralId}/case`;
    for (const key of [keys.karachiProvider, keys.sindhSupervisor, t.liveKeys.secretKeys.provider, t.liveKeys.secretKeys.caseworker]) {
      const answer = await get(path, key);
      expect(answer.status).toBe(404);
      expect(answer.json.type).toBe(PROBLEM_TYPES['not-found']);
      expect(answer.text).not.toContain(shared.name);
    }
    expect((await get(path, k().intake)).status).toBe(403);
    expect((await get(path, k().admin)).status).toBe(403);
    expect((await get(path, t.keys.publishableKey)).status).toBe(403);
    expect((await get(`/v1/referrals/${randomUUID()}/case`, k().provider)).status).toBe(404);
  });

  it('shows the provider the case only while the referral is requested, accepted, in progress or on hold', async () => {
    const share = await report({ mode: 'share', contact: shareContact });
    const caseId = await caseOf([share.id]);
    await consentFor(caseId);
    const id = await referral(caseId, DEMO_SERVICES.lahoreShelter, 'draft');
    const path = `/v1/referrals/${id}/case`;
    const seen = async () => (await get(path, k().provider)).status;
    expect(await seen()).toBe(404); // a draft is addressed to no one yet
    expect((await get(path, k().caseworker)).status).toBe(200); // the referring side previews it
    await post(`/v1/referrals/${id}/transitions`, k().caseworker, { to: 'requested' });
    expect(await seen()).toBe(200);
    const statuses: number[] = [];
    for (const to of ['accepted', 'in_progress', 'on_hold', 'in_progress']) {
      await post(`/v1/referrals/${id}/transitions`, k().provider, { to });
      statuses.push(await seen());
    }
    expect(statuses).toEqual([200, 200, 200, 200]);
    await post(`/v1/referrals/${id}/transitions`, k().provider, { to: 'completed' });
    expect(await seen()).toBe(404);
    expect((await get(path, k().supervisor)).status).toBe(200);

    for (const [to, by] of [
      ['rejected', k().provider],
      ['cancelled', k().caseworker],
      ['entered_in_error', k().caseworker],
    ] as const) {
      const other = await referral(caseId);
      expect((await get(`/v1/referrals/${other}/case`, k().provider)).status).toBe(200);
      await post(`/v1/referrals/${other}/transitions`, by, { to, reason: 'at_capacity' });
      expect((await get(`/v1/referrals/${other}/case`, k().provider)).status, to).toBe(404);
    }
  });

  it('stops sharing once the consent is withdrawn (unless a newer one covers it); an override is not affected', async () => {
    const w = await world();
    const path = `/v1/referrals/${w.referralId}/case`;
    expect((await get(path, k().provider)).status).toBe(200);
    const providerEvents = async () =>
      ((await get('/v1/events?page_size=100', k().provider)).json.data as Array<{ type: string; data: Record<string, string> }>).filter(
        (e) => e.type === 'consent.withdrawn',
      );
    const before = (await providerEvents()).length;
    await post(`/v1/consents/${w.consentId}/withdraw`, k().supervisor, { reason: 'guardian withdrew' });
    // The provider hears of it at once: one event for its open referral, ids only.
    const heard = (await providerEvents()).slice(before);
    expect(heard.map((e) => e.data)).toEqual([{ consent_id: w.consentId, case_id: w.caseId, referral_id: w.referralId }]);
    for (const key of [k().provider, k().caseworker]) {
      const refused = await get(path, key);
      expect(refused.status).toBe(422);
      expect(refused.json.type).toBe(PROBLEM_TYPES['consent-required']);
      expect(refused.text).not.toContain(shared.name);
      expect(refused.text).not.toContain(shared.note);
    }
    // The referral itself stays visible, so the provider can still answer it.
    expect((await get(`/v1/referrals/${w.referralId}`, k().provider)).status).toBe(200);
    // A supervisor's override stands on its own, whatever happens to consents.
    const overridden = await referral(w.caseId, DEMO_SERVICES.lahoreShelter, 'override');
    const byOverride = await get(`/v1/referrals/${overridden}/case`, k().provider);
    expect(byOverride.status).toBe(200);
    expect(byOverride.json.reports.some((r: { reporter_contact: unknown }) => r.reporter_contact !== null)).toBe(true);
    // The guardian consents again: the referral's case data is shared again.
    await consentFor(w.caseId);
    expect((await get(path, k().provider)).status).toBe(200);
  });

  it('stops sharing once the consent expires', async () => {
    const share = await report({ mode: 'share', contact: shareContact });
    const caseId = await caseOf([share.id]);
    await consentFor(caseId, { expires_at: new Date(Date.now() + offsetMs + 3_600_000).toISOString() });
    const id = await referral(caseId);
    expect((await get(`/v1/referrals/${id}/case`, k().provider)).status).toBe(200);
    offsetMs += 2 * 3_600_000;
    const expired = await get(`/v1/referrals/${id}/case`, k().provider);
    expect(expired.status).toBe(422);
    expect(expired.json.type).toBe(PROBLEM_TYPES['consent-required']);
  });

  it('records every read in the audit trail of the case, the referral and each report: who, what, never a value', async () => {
    const w = await world();
    await get(`/v1/referrals/${w.referralId}/case`, k().provider);
    const caseHistory = await get(`/v1/cases/${w.caseId}/history?page_size=100`, k().caseworker);
    expect(caseHistory.status).toBe(200);
    const reads = caseHistory.json.data.filter((e: { action: string }) => e.action === 'case.read_summary');
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatchObject({
      actor: { organization_id: DEMO_ORGANIZATIONS.lahoreShelter, role: 'provider', key_id: expect.any(String) },
      target: { type: 'case', id: w.caseId },
      changed_fields: [],
      request_id: expect.any(String),
    });
    const referralHistory = await get(`/v1/referrals/${w.referralId}/history`, k().provider);
    expect(referralHistory.json.data.map((e: { action: string }) => e.action)).toContain('referral.read_case');
    const reportActions = async (id: string) =>
      ((await get(`/v1/reports/${id}/history`, k().intake)).json.data as { action: string; actor: { role: string } }[])
        .filter((e) => e.actor.role === 'provider')
        .map((e) => e.action);
    expect(await reportActions(w.share.id)).toEqual(['report.read_contact']);
    expect(await reportActions(w.confidential.id)).toEqual(['report.read_summary']);
    expect(await reportActions(w.anonymous.id)).toEqual(['report.read_summary']);
    // A refused read (consent withdrawn) shares nothing and is not a read.
    await post(`/v1/consents/${w.consentId}/withdraw`, k().supervisor, {});
    expect((await get(`/v1/referrals/${w.referralId}/case`, k().provider)).status).toBe(422);
    const after = await get(`/v1/cases/${w.caseId}/history?page_size=100`, k().caseworker);
    expect(after.json.data.filter((e: { action: string }) => e.action === 'case.read_summary')).toHaveLength(1);
    // The audit table holds no value read.
    const rows = await t.server.database.db.selectFrom('audit_events').selectAll().execute();
    const text = JSON.stringify(rows);
    for (const value of [...Object.values(hidden), ...Object.values(shared), shareContact.phone]) expect(text).not.toContain(value);
  });

  it('never logs the contact or anything else read', async () => {
    const w = await world();
    expect((await get(`/v1/referrals/${w.referralId}/case`, k().provider)).status).toBe(200);
    const reads = logged.filter((entry) => entry.operation === 'referrals.case');
    expect(reads.length).toBeGreaterThan(0);
    const text = JSON.stringify(logged);
    for (const value of [...Object.values(hidden), ...Object.values(shared), shareContact.phone, '7654321'])
      expect(text).not.toContain(value);
    for (const entry of reads) expect(entry.route).toBe('/v1/referrals/{id}/case');
  });
});
