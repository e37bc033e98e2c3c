import { randomUUID } from 'node:crypto';
import { can, OPERATIONS, type Role, ROLES } from '@tahaffuz/referral-contract';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_ORGANIZATIONS, DEMO_SERVICES } from '../demo/seed-demo.js';
import { createApiKey } from '../keys/api-keys.js';
import { describeEachBackend } from '../test-support/backends.js';
import { call, sampleReport, startTestServer, type TestServer } from '../test-support/test-server.js';

/** How an operation's object is scoped: by organisation and mode, by organisation only (the shared directory), or not. */
const SCOPE: Partial<Record<string, 'org+mode' | 'org'>> = {
  'reports.get': 'org+mode',
  'reports.history': 'org+mode',
  'cases.open': 'org+mode',
  'cases.get': 'org+mode',
  'cases.history': 'org+mode',
  'cases.transition': 'org+mode',
  'consents.create': 'org+mode',
  'consents.withdraw': 'org+mode',
  'referrals.create': 'org+mode',
  'referrals.get': 'org+mode',
  'referrals.history': 'org+mode',
  'referrals.transition': 'org+mode',
  'services.updateCapacity': 'org',
  'webhooks.delete': 'org+mode',
  'webhooks.rotateSecret': 'org+mode',
  'webhooks.deliveries': 'org+mode',
  'keys.revoke': 'org+mode',
  'erasures.create': 'org+mode',
};

/** The organisation a role's key belongs to, on "our" side and on the other side. */
function orgOf(role: Role, own: boolean): string {
  if (role === 'provider') return own ? DEMO_ORGANIZATIONS.lahoreShelter : DEMO_ORGANIZATIONS.karachiLegalAid;
  return own ? DEMO_ORGANIZATIONS.punjabIntake : DEMO_ORGANIZATIONS.sindhIntake;
}

interface Caller {
  readonly role: Role;
  readonly own: boolean;
  readonly mode: 'live' | 'test';
  readonly key: string;
  readonly organizationId: string;
}

describeEachBackend('authorisation matrix: every role x every endpoint x own/other organisation x live/test', (backend) => {
  let t: TestServer;
  const callers: Caller[] = [];
  const ids = { report: '', erasableReport: '', case: '', consent: '', referral: '', webhook: '', revocableKey: '' };

  beforeAll(async () => {
    t = await startTestServer(backend, { webhooks: false });
    const db = t.server.database.db;
    for (const role of ROLES) {
      for (const own of [true, false]) {
        for (const mode of ['test', 'live'] as const) {
          const organizationId = orgOf(role, own);
          const { key } = await createApiKey(db, { kind: 'secret', mode, organizationId, role });
          callers.push({ role, own, mode, key, organizationId });
        }
      }
    }
    // Fixtures of "our" side, in test mode: Punjab's report, case, consent, referral to the Lahore shelter, webhook.
    const k = t.keys.secretKeys;
    const report = sampleReport();
    ids.report = (await call(t.server.url, 'POST', '/v1/reports', { key: t.keys.publishableKey, body: report })).json.id;
    ids.erasableReport = (await call(t.server.url, 'POST', '/v1/reports', { key: t.keys.publishableKey, body: sampleReport() })).json.id;
    ids.case = (
      await call(t.server.url, 'POST', '/v1/cases', {
        key: k.intake,
        body: { report_ids: [ids.report], screening_outcome: 'screened_in', screening_reason: 'kiln', protection_concerns: ['bonded_labour'] },
      })
    ).json.id;
    ids.consent = (
      await call(t.server.url, 'POST', '/v1/consents', {
        key: k.intake,
        body: { case_id: ids.case, grantor: 'guardian', basis: 'consent', scope: { service_types: ['shelter'], organization_ids: 'any' }, obtained_at: new Date(Date.now() - 1000).toISOString() },
      })
    ).json.id;
    ids.referral = (await call(t.server.url, 'POST', '/v1/referrals', { key: k.caseworker, body: { case_id: ids.case, service_id: DEMO_SERVICES.lahoreShelter } })).json.id;
    expect((await call(t.server.url, 'POST', `/v1/referrals/${ids.referral}/transitions`, { key: k.caseworker, body: { to: 'requested' } })).status).toBe(200);
    const punjabAdmin = callers.find((c) => c.role === 'admin' && c.own && c.mode === 'test');
    ids.webhook = (await call(t.server.url, 'POST', '/v1/webhooks', { key: punjabAdmin?.key ?? '', body: { url: 'http://127.0.0.1:9/hooks', event_types: ['case.opened'] } })).json.id;
    ids.revocableKey = (await createApiKey(db, { kind: 'secret', mode: 'test', organizationId: DEMO_ORGANIZATIONS.punjabIntake, role: 'intake' })).record.id;
    expect(Object.values(ids).every((id) => /^[0-9a-f-]{36}$/.test(id))).toBe(true);
  });
  afterAll(async () => t?.stop());

  function request(opId: string, caller: Caller): { id?: string; body?: unknown; query?: string } {
    const now = new Date();
    switch (opId) {
      case 'reports.create':
        return { body: sampleReport() };
      case 'reports.get':
      case 'reports.history':
        return { id: ids.report };
      case 'cases.open':
        return { body: { report_ids: [ids.report], screening_outcome: 'screened_in', screening_reason: 'again', protection_concerns: [] } };
      case 'cases.get':
      case 'cases.history':
        return { id: ids.case };
      case 'cases.transition':
        return { id: ids.case, body: { to: 'assessment' } };
      case 'consents.create':
        return { body: { case_id: ids.case, grantor: 'child', basis: 'consent', scope: { service_types: ['medical'], organization_ids: 'any' }, obtained_at: now.toISOString() } };
      case 'consents.withdraw':
        return { id: ids.consent, body: {} };
      case 'organizations.get':
        return { id: DEMO_ORGANIZATIONS.punjabIntake };
      case 'organizations.create':
        return { body: { name: 'DEMO Matrix Org', kind: 'ngo', admin_areas: ['PK-PB'] } };
      case 'services.get':
        return { id: DEMO_SERVICES.lahoreShelter };
      case 'services.create':
        return { body: { organization_id: caller.organizationId, name: 'DEMO matrix service', service_type: 'medical', coverage: ['PK-PB'], languages: ['ur'], capacity: 'available', confidential_address: false } };
      case 'services.updateCapacity':
        return { id: DEMO_SERVICES.lahoreShelter, body: { capacity: 'waitlist' } };
      case 'referrals.create':
        return { body: { case_id: ids.case, service_id: DEMO_SERVICES.lahoreShelter } };
      case 'referrals.get':
      case 'referrals.history':
        return { id: ids.referral };
      case 'referrals.transition':
        return { id: ids.referral, body: { to: 'accepted' } };
      case 'webhooks.create':
        return { body: { url: 'http://127.0.0.1:9/hooks', event_types: ['report.received'] } };
      case 'webhooks.delete':
      case 'webhooks.rotateSecret':
      case 'webhooks.deliveries':
        return { id: ids.webhook };
      case 'stats.hotspots':
        return { query: `bucket=year&period=${now.getUTCFullYear()}` };
      case 'routing.update':
        return {
          body: {
            default_organization_id: DEMO_ORGANIZATIONS.nationalIntake,
            rules: [
              { admin_area: 'PK-PB', organization_id: DEMO_ORGANIZATIONS.punjabIntake },
              { admin_area: 'PK-SD', organization_id: DEMO_ORGANIZATIONS.sindhIntake },
            ],
          },
        };
      case 'keys.create':
        return { body: { kind: 'secret', mode: caller.mode, organization_id: caller.organizationId, name: 'matrix', role: 'intake' } };
      case 'keys.revoke':
        return { id: ids.revocableKey };
      case 'erasures.create':
        return { body: { target_type: 'report', target_id: ids.erasableReport, reason: 'requested by the reporter' } };
      default:
        return {};
    }
  }

  function expected(opId: string, action: Parameters<typeof can>[1], caller: Caller): 'ok' | 403 | 404 {
    if (!can(caller.role, action)) return 403;
    if (opId === 'referrals.transition' && !can(caller.role, 'referrals:respond')) return 403;
    const scope = SCOPE[opId];
    if (scope === undefined) return 'ok';
    if (!caller.own) return 404;
    if (scope === 'org+mode' && caller.mode !== 'test') return 404;
    return 'ok';
  }

  it('answers every combination as the role table and the object rules say, never 5xx', async () => {
    // Deleting the webhook last keeps it there for the operations that read it.
    const operations = [...OPERATIONS].sort((a, b) => Number(a.id === 'webhooks.delete') - Number(b.id === 'webhooks.delete'));
    const failures: string[] = [];
    let checked = 0;
    for (const op of operations) {
      for (const caller of [...callers].sort((a, b) => Number(b.own) - Number(a.own))) {
        const { id, body, query } = request(op.id, caller);
        const path = `${op.path.replace('{id}', id ?? randomUUID())}${query === undefined ? '' : `?${query}`}`;
        const answer = await call(t.server.url, op.method, path, { key: caller.key, ...(body === undefined ? {} : { body }) });
        const want = expected(op.id, op.action, caller);
        const ok = want === 'ok' ? answer.status < 400 || answer.status === 409 || answer.status === 422 : answer.status === want;
        checked += 1;
        if (!ok || answer.status >= 500) {
          failures.push(`${op.id} as ${caller.role} (${caller.own ? 'own' : 'other'} org, ${caller.mode}): ${answer.status}, expected ${String(want)} ${answer.json?.detail ?? ''}`);
        }
      }
      // A publishable key may only create reports.
      const { id, body, query } = request(op.id, callers[0] as Caller);
      const path = `${op.path.replace('{id}', id ?? randomUUID())}${query === undefined ? '' : `?${query}`}`;
      const answer = await call(t.server.url, op.method, path, { key: t.keys.publishableKey, ...(body === undefined ? {} : { body }) });
      if ((op.id === 'reports.create') !== (answer.status === 201) || (op.id !== 'reports.create' && answer.status !== 403)) {
        failures.push(`${op.id} with a publishable key: ${answer.status}`);
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBe(OPERATIONS.length * ROLES.length * 4);
  });

  it('lists show our objects to our side in test mode only', async () => {
    for (const caller of callers.filter((c) => c.role === 'supervisor' || c.role === 'provider')) {
      const listPath = caller.role === 'provider' ? '/v1/referrals' : '/v1/cases';
      const fixture = caller.role === 'provider' ? ids.referral : ids.case;
      const list = await call(t.server.url, 'GET', `${listPath}?page_size=100`, { key: caller.key });
      expect(list.status).toBe(200);
      const visible = list.json.data.some((item: { id: string }) => item.id === fixture);
      expect(visible, `${caller.role} ${caller.own ? 'own' : 'other'} ${caller.mode}`).toBe(caller.own && caller.mode === 'test');
    }
    for (const caller of callers.filter((c) => c.role === 'caseworker')) {
      const events = await call(t.server.url, 'GET', '/v1/events?page_size=100', { key: caller.key });
      const seesCase = events.json.data.some((e: { data: { case_id?: string } }) => e.data.case_id === ids.case);
      expect(seesCase).toBe(caller.own && caller.mode === 'test');
    }
  });
});
