import { randomUUID } from 'node:crypto';
import { type Role, ServiceSchema } from '@tahaffuz/referral-contract';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_ORGANIZATIONS } from '../demo/seed-demo.js';
import { insertService } from '../directory/directory-store.js';
import { createApiKey } from '../keys/api-keys.js';
import { describeEachBackend } from '@tahaffuz/test-kit';
import { call, sampleReport, startTestServer, type TestServer } from '../test-support/test-server.js';

/*
 * A shelter's confidential address over HTTP on both backends: who reads it (the shelter itself;
 * caseworkers and supervisors of the referring organisation once the shelter accepted their
 * referral, in the referral's mode), who never does, and that every read is audited.
 */

type Json = any;

const ADDRESS = { address_1: 'DEMO 7 Canal View Road', city: 'Lahore', country: 'PK', admin_area: 'PK-PB-LHR' };

describeEachBackend('a shelter’s confidential address', (backend) => {
  let t: TestServer;
  let url: string;
  let serviceId: string;
  // Every key made here for its organisation and role, so the test does not depend on which demo key is whose.
  const k = { intake: '', caseworker: '', supervisor: '', admin: '', provider: '', nationalAdmin: '' };
  const extra = { sindhCaseworker: '', sindhSupervisor: '', liveCaseworker: '', liveSupervisor: '' };

  async function post(path: string, key: string, body: unknown, status = 200): Promise<Json> {
    const answer = await call(url, 'POST', path, { key, body });
    if (answer.status !== status) throw new Error(`POST ${path}: expected ${status}, got ${answer.status}: ${answer.text.slice(0, 400)}`);
    return answer.json;
  }
  async function addressSeenBy(key: string): Promise<unknown> {
    const one = await call(url, 'GET', `/v1/services/${serviceId}`, { key });
    expect(one.status, one.text).toBe(200);
    const service = ServiceSchema.parse(one.json);
    expect(service.confidential_address).toBe(true);
    const list = await call(url, 'GET', `/v1/services?organization_id=${DEMO_ORGANIZATIONS.lahoreShelter}&page_size=100`, { key });
    expect(list.status, list.text).toBe(200);
    const listed = (list.json.data as Json[]).find((s) => s.id === serviceId);
    // The list and the single read agree.
    expect(listed?.address ?? null).toEqual(service.address);
    return service.address;
  }
  async function transition(referralId: string, key: string, to: string, reason?: string) {
    await post(`/v1/referrals/${referralId}/transitions`, key, { to, ...(reason === undefined ? {} : { reason }) });
  }

  /** A case of the given organisation's keys with a self-declared consent, referred to the shelter and requested. */
  async function requestedReferral(keys: { caseworker: string; supervisor: string }, adminArea: string): Promise<string> {
    const report = sampleReport({ location: { admin_area: adminArea, place_type: 'brick_kiln' }, reporter: { mode: 'anonymous' } });
    await post('/v1/reports', t.keys.publishableKey, report, 201);
    const kase = await post(
      '/v1/cases',
      keys.supervisor,
      {
        report_ids: [report['id']],
        screening_outcome: 'screened_in',
        screening_reason: 'test',
        protection_concerns: ['bonded_labour'],
        risk_level: 'high',
      },
      201,
    );
    await post(
      '/v1/consents',
      keys.supervisor,
      {
        case_id: kase.id,
        grantor: 'authority',
        basis: 'legal_mandate',
        scope: { service_types: ['shelter'], organization_ids: 'any' },
        obtained_at: new Date(Date.now() - 60_000).toISOString(),
      },
      201,
    );
    const referral = await post('/v1/referrals', keys.caseworker, { case_id: kase.id, service_id: serviceId, urgency: 'emergency' }, 201);
    await transition(String(referral.id), keys.caseworker, 'requested');
    return String(referral.id);
  }

  async function addressReadsBy(organizationId: string): Promise<{ action: string; target_id: string; actor_role: string | null }[]> {
    return t.server.database.db
      .selectFrom('audit_events')
      .select(['action', 'target_id', 'actor_role'])
      .where('actor_organization_id', '=', organizationId)
      .where('action', 'in', ['service.read_address', 'referral.read_service_address'])
      .execute();
  }

  beforeAll(async () => {
    t = await startTestServer(backend, { webhooks: false });
    url = t.server.url;
    const db = t.server.database.db;
    serviceId = await insertService(
      db,
      {
        organization_id: DEMO_ORGANIZATIONS.lahoreShelter,
        name: `DEMO Safe house ${randomUUID().slice(0, 6)}`,
        service_type: 'shelter',
        coverage: ['PK'],
        languages: ['ur'],
        capacity: 'available',
        confidential_address: true,
        address: ADDRESS,
      },
      { now: Date.now(), isDemo: true },
    );
    const key = async (organizationId: string, role: Role, mode: 'test' | 'live' = 'test') =>
      (await createApiKey(db, { kind: 'secret', mode, organizationId, role })).key;
    const punjab = DEMO_ORGANIZATIONS.punjabIntake;
    k.intake = await key(punjab, 'intake');
    k.caseworker = await key(punjab, 'caseworker');
    k.supervisor = await key(punjab, 'supervisor');
    k.admin = await key(punjab, 'admin');
    k.provider = await key(DEMO_ORGANIZATIONS.lahoreShelter, 'provider');
    k.nationalAdmin = await key(DEMO_ORGANIZATIONS.nationalIntake, 'admin');
    extra.sindhCaseworker = await key(DEMO_ORGANIZATIONS.sindhIntake, 'caseworker');
    extra.sindhSupervisor = await key(DEMO_ORGANIZATIONS.sindhIntake, 'supervisor');
    extra.liveCaseworker = await key(punjab, 'caseworker', 'live');
    extra.liveSupervisor = await key(punjab, 'supervisor', 'live');
  });
  afterAll(async () => t?.stop());

  it('is hidden from every other organisation’s key while a referral is only requested, and shown to the shelter itself', async () => {
    await requestedReferral({ caseworker: extra.sindhCaseworker, supervisor: extra.sindhSupervisor }, 'PK-SD-KHI');
    await requestedReferral({ caseworker: k.caseworker, supervisor: k.supervisor }, 'PK-PB-LHR');
    for (const key of [k.intake, k.caseworker, k.supervisor, k.admin, k.nationalAdmin, extra.sindhCaseworker, extra.sindhSupervisor]) {
      expect(await addressSeenBy(key)).toBeNull();
    }
    expect(await addressSeenBy(k.provider)).toEqual(ADDRESS);
    // The shelter's own two reads (one, and a list) are audited too; the others read nothing.
    expect(await addressReadsBy(DEMO_ORGANIZATIONS.lahoreShelter)).toEqual([
      { action: 'service.read_address', target_id: serviceId, actor_role: 'provider' },
      { action: 'service.read_address', target_id: serviceId, actor_role: 'provider' },
    ]);
    expect(await addressReadsBy(DEMO_ORGANIZATIONS.punjabIntake)).toEqual([]);
    expect(await addressReadsBy(DEMO_ORGANIZATIONS.sindhIntake)).toEqual([]);
  });

  it('shows to the referring caseworkers and supervisors only while the shelter has accepted the referral, in its mode, each read audited', async () => {
    const referralId = await requestedReferral({ caseworker: k.caseworker, supervisor: k.supervisor }, 'PK-PB-LHR');
    await transition(referralId, k.provider, 'accepted');
    const outsiders = [k.intake, k.admin, k.nationalAdmin, extra.sindhCaseworker, extra.liveCaseworker, extra.liveSupervisor];
    const before = (await addressReadsBy(DEMO_ORGANIZATIONS.punjabIntake)).length;
    let reads = 0;
    for (const to of ['accepted', 'in_progress', 'on_hold']) {
      if (to !== 'accepted') await transition(referralId, k.provider, to);
      expect(await addressSeenBy(k.caseworker), to).toEqual(ADDRESS);
      expect(await addressSeenBy(k.supervisor), to).toEqual(ADDRESS);
      reads += 4; // two keys, each a single read and a list
      for (const key of outsiders) expect(await addressSeenBy(key), to).toBeNull();
    }
    const audited = (await addressReadsBy(DEMO_ORGANIZATIONS.punjabIntake)).slice(before);
    expect(audited.filter((a) => a.action === 'service.read_address' && a.target_id === serviceId)).toHaveLength(reads);
    expect(audited.filter((a) => a.action === 'referral.read_service_address' && a.target_id === referralId)).toHaveLength(reads);
    expect(new Set(audited.map((a) => a.actor_role))).toEqual(new Set(['caseworker', 'supervisor']));
    // The shelter reads, in the referral's history, that its address was read.
    const history = await call(url, 'GET', `/v1/referrals/${referralId}/history?page_size=100`, { key: k.provider });
    expect((history.json.data as Json[]).filter((e) => e.action === 'referral.read_service_address')).toHaveLength(reads);

    await transition(referralId, k.provider, 'in_progress');
    await transition(referralId, k.provider, 'completed');
    expect(await addressSeenBy(k.caseworker)).toBeNull();
  });

  it('is not shown after the shelter rejects a referral, nor from a test referral to a live key', async () => {
    const rejected = await requestedReferral({ caseworker: extra.sindhCaseworker, supervisor: extra.sindhSupervisor }, 'PK-SD-KHI');
    await transition(rejected, k.provider, 'rejected', 'at_capacity');
    expect(await addressSeenBy(extra.sindhCaseworker)).toBeNull();
    const accepted = await requestedReferral({ caseworker: k.caseworker, supervisor: k.supervisor }, 'PK-PB-LHR');
    await transition(accepted, k.provider, 'accepted');
    expect(await addressSeenBy(extra.liveCaseworker)).toBeNull();
    expect(await addressSeenBy(k.caseworker)).toEqual(ADDRESS);
    await transition(accepted, k.caseworker, 'cancelled', 'no longer needed');
    expect(await addressSeenBy(k.caseworker)).toBeNull();
  });
});
