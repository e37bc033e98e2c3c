import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_ORGANIZATIONS, DEMO_SERVICES } from '../src/demo/seed-demo.js';
import { createApiKey } from '../src/keys/api-keys.js';
import { startReferralServer } from '../src/start-server.js';
import { describeEachBackend } from '@tahaffuz/test-kit';
import { call, sampleReport, startTestServer, type TestServer } from '../src/test-support/test-server.js';
import { generateEncryptionKey } from '../src/crypto/field-cipher.js';
import { openAtMigration, seedDemoOnPreviousSchema } from './support/previous-schema.js';

/*
 * Issue 9, item 1: an organisation's admin could re-route every report in the country to itself.
 * The national operator alone changes routing, creates organisations and edits other
 * organisations' entries; an admin manages its own organisation. Every routing or directory change
 * is audited (GET /v1/audit, operator only) and announced to each organisation it affects.
 */

const ORG = DEMO_ORGANIZATIONS;
const DEMO_TABLE = {
  default_organization_id: ORG.nationalIntake,
  rules: [
    { admin_area: 'PK-PB', organization_id: ORG.punjabIntake },
    { admin_area: 'PK-SD', organization_id: ORG.sindhIntake },
  ],
};

const organizationBody = () => ({ name: `Operator test bureau ${randomUUID().slice(0, 8)}`, kind: 'government', admin_areas: ['PK-KP'] });
const serviceBody = (organizationId: string) => ({
  organization_id: organizationId,
  name: `Operator test service ${randomUUID().slice(0, 8)}`,
  service_type: 'medical',
  coverage: ['PK-SD'],
  languages: ['ur'],
  capacity: 'available',
  confidential_address: false,
});

interface EventRow {
  id: string;
  type: string;
  data: Record<string, string>;
}

describeEachBackend('the operator role', (backend) => {
  let t: TestServer;
  let url: string;
  const live = () => t.liveKeys;
  const get = (path: string, key: string) => call(url, 'GET', path, { key });
  const post = (path: string, key: string, body: unknown) => call(url, 'POST', path, { key, body });
  const putRouting = (key: string, body: unknown) => call(url, 'PUT', '/v1/routing', { key, body });
  const events = async (key: string, type: string): Promise<EventRow[]> => {
    const answer = await get(`/v1/events?type=${type}&page_size=100`, key);
    expect(answer.status, answer.text).toBe(200);
    return answer.json.data as EventRow[];
  };

  beforeAll(async () => {
    t = await startTestServer(backend);
    url = t.server.url;
  });
  afterAll(async () => t?.stop());

  it("an organisation's admin can no longer capture another province's reports (the issue's attack)", async () => {
    const shelterAdmin = live().adminKeys[ORG.lahoreShelter] ?? '';
    const seized = await putRouting(shelterAdmin, { default_organization_id: ORG.lahoreShelter, rules: [] });
    expect(seized.status, seized.text).toBe(403);
    expect(seized.json.detail).toMatch(/routing:manage/);
    expect((await get('/v1/routing', shelterAdmin)).status).toBe(403);

    // Its own keys it still manages: an intake key of its own organisation.
    const ownIntake = await post('/v1/keys', shelterAdmin, {
      kind: 'secret',
      mode: 'live',
      organization_id: ORG.lahoreShelter,
      role: 'intake',
      name: 'shelter intake',
    });
    expect(ownIntake.status, ownIntake.text).toBe(201);

    const report = sampleReport({ location: { admin_area: 'PK-SD-KHI', place_type: 'home' } });
    expect((await post('/v1/reports', live().publishableKey, report)).status).toBe(201);
    expect((await get(`/v1/reports/${String(report['id'])}`, String(ownIntake.json.key))).status).toBe(404);
    expect((await get(`/v1/reports/${String(report['id'])}`, live().intakeKeys[ORG.sindhIntake] ?? '')).status).toBe(200);
  });

  it("an admin creates no organisation, no service of another organisation, no other organisation's key and no operator key", async () => {
    const shelterAdmin = live().adminKeys[ORG.lahoreShelter] ?? '';
    const organization = await post('/v1/organizations', shelterAdmin, organizationBody());
    expect(organization.status, organization.text).toBe(403);

    const foreignService = await post('/v1/services', shelterAdmin, serviceBody(ORG.sindhIntake));
    expect(foreignService.status, foreignService.text).toBe(403);
    expect(foreignService.json.detail).toMatch(/own organisation/);

    const foreignKey = await post('/v1/keys', shelterAdmin, {
      kind: 'secret',
      mode: 'live',
      organization_id: ORG.sindhIntake,
      role: 'intake',
      name: 'not mine',
    });
    expect(foreignKey.status).toBe(403);

    const operatorKey = await post('/v1/keys', shelterAdmin, {
      kind: 'secret',
      mode: 'live',
      organization_id: ORG.lahoreShelter,
      role: 'operator',
      name: 'escalation',
    });
    expect(operatorKey.status, operatorKey.text).toBe(403);
    expect(operatorKey.json.detail).toMatch(/operator/);

    expect((await get('/v1/audit', shelterAdmin)).status).toBe(403);
  });

  it('an admin adds services to its own organisation and updates their capacity; not another organisation’s', async () => {
    const legalAdmin = live().adminKeys[ORG.karachiLegalAid] ?? '';
    const created = await post('/v1/services', legalAdmin, serviceBody(ORG.karachiLegalAid));
    expect(created.status, created.text).toBe(201);
    const capacity = await post(`/v1/services/${String(created.json.id)}/capacity`, legalAdmin, { capacity: 'waitlist' });
    expect(capacity.status, capacity.text).toBe(200);
    expect(capacity.json.capacity).toBe('waitlist');
    const foreign = await post(`/v1/services/${DEMO_SERVICES.lahoreShelter}/capacity`, legalAdmin, { capacity: 'unavailable' });
    expect(foreign.status).toBe(404);
  });

  it('the operator replaces the routing table, and each organisation whose routing changed — the displaced one too — gets routing.changed in both modes', async () => {
    const operator = live().secretKeys.operator;
    const sindhAdmin = live().adminKeys[ORG.sindhIntake] ?? '';
    const subscribed = await post('/v1/webhooks', sindhAdmin, {
      url: 'https://hooks.example.org/routing',
      event_types: ['routing.changed'],
    });
    expect(subscribed.status, subscribed.text).toBe(201);

    // Karachi's reports move from Sindh's intake (through PK-SD) to the Karachi legal aid clinic.
    const moved = await putRouting(operator, {
      ...DEMO_TABLE,
      rules: [...DEMO_TABLE.rules, { admin_area: 'PK-SD-KHI', organization_id: ORG.karachiLegalAid }],
    });
    expect(moved.status, moved.text).toBe(200);

    for (const keys of [t.liveKeys, t.keys]) {
      const sindh = await events(keys.adminKeys[ORG.sindhIntake] ?? '', 'routing.changed');
      expect(sindh.map((e) => e.data)).toEqual([{ organization_id: ORG.sindhIntake }]);
      const karachi = await events(keys.adminKeys[ORG.karachiLegalAid] ?? '', 'routing.changed');
      expect(karachi.map((e) => e.data)).toEqual([{ organization_id: ORG.karachiLegalAid }]);
      // Punjab's and the national desk's areas did not change: nothing for them.
      expect(await events(keys.adminKeys[ORG.punjabIntake] ?? '', 'routing.changed')).toEqual([]);
      expect(await events(keys.adminKeys[ORG.nationalIntake] ?? '', 'routing.changed')).toEqual([]);
    }
    // The event is queued for the displaced organisation's webhook.
    const queued = await t.server.database.db
      .selectFrom('webhook_outbox')
      .select('event_id')
      .where('subscription_id', '=', String(subscribed.json.id))
      .execute();
    expect(queued).toHaveLength(1);

    const report = sampleReport({ location: { admin_area: 'PK-SD-KHI', place_type: 'home' } });
    expect((await post('/v1/reports', live().publishableKey, report)).status).toBe(201);
    expect((await get(`/v1/reports/${String(report['id'])}`, live().intakeKeys[ORG.sindhIntake] ?? '')).status).toBe(404);

    // Back to the demo table: Sindh and Karachi are told again.
    expect((await putRouting(operator, DEMO_TABLE)).status).toBe(200);
    expect(await events(sindhAdmin, 'routing.changed')).toHaveLength(2);
  });

  it('the operator adds organisations and services of other organisations; each organisation gets directory.changed', async () => {
    const operator = live().secretKeys.operator;
    const organization = await post('/v1/organizations', operator, organizationBody());
    expect(organization.status, organization.text).toBe(201);
    const bureau = String(organization.json.id);
    const bureauAdmin = await createApiKey(t.server.database.db, { kind: 'secret', mode: 'live', organizationId: bureau, role: 'admin' });
    expect((await events(bureauAdmin.key, 'directory.changed')).map((e) => e.data)).toEqual([{ organization_id: bureau }]);

    const service = await post('/v1/services', operator, serviceBody(ORG.sindhIntake));
    expect(service.status, service.text).toBe(201);
    const serviceId = String(service.json.id);
    const sindhAdmin = live().adminKeys[ORG.sindhIntake] ?? '';
    expect((await events(sindhAdmin, 'directory.changed')).map((e) => e.data)).toContainEqual({
      organization_id: ORG.sindhIntake,
      service_id: serviceId,
    });
    // Another organisation's capacity: the operator may change it, and the owner is told.
    const capacity = await post(`/v1/services/${DEMO_SERVICES.karachiLegalAid}/capacity`, operator, { capacity: 'waitlist' });
    expect(capacity.status, capacity.text).toBe(200);
    expect((await events(live().adminKeys[ORG.karachiLegalAid] ?? '', 'directory.changed')).map((e) => e.data)).toContainEqual({
      organization_id: ORG.karachiLegalAid,
      service_id: DEMO_SERVICES.karachiLegalAid,
    });
    // Punjab's entries did not change.
    expect(await events(live().adminKeys[ORG.punjabIntake] ?? '', 'directory.changed')).toEqual([]);
  });

  it('the operator creates and revokes keys of any organisation, operator keys included', async () => {
    const operator = live().secretKeys.operator;
    const sindhKey = await post('/v1/keys', operator, {
      kind: 'secret',
      mode: 'live',
      organization_id: ORG.sindhIntake,
      role: 'caseworker',
      name: 'by the operator',
    });
    expect(sindhKey.status, sindhKey.text).toBe(201);
    const listed = await get(`/v1/keys?organization_id=${ORG.sindhIntake}&page_size=100`, operator);
    expect(listed.json.data.map((k: { id: string }) => k.id)).toContain(sindhKey.json.id);
    // An admin naming another organisation lists nothing of it.
    const adminList = await get(`/v1/keys?organization_id=${ORG.sindhIntake}`, live().adminKeys[ORG.lahoreShelter] ?? '');
    expect(adminList.json.data).toEqual([]);
    expect((await post(`/v1/keys/${String(sindhKey.json.id)}/revoke`, live().adminKeys[ORG.lahoreShelter] ?? '', undefined)).status).toBe(
      404,
    );
    expect((await post(`/v1/keys/${String(sindhKey.json.id)}/revoke`, operator, undefined)).status).toBe(200);

    const second = await post('/v1/keys', operator, {
      kind: 'secret',
      mode: 'live',
      organization_id: ORG.nationalIntake,
      role: 'operator',
      name: 'second operator',
    });
    expect(second.status, second.text).toBe(201);
    expect((await get('/v1/routing', String(second.json.key))).status).toBe(200);
  });

  it('every routing and directory change is audited, readable by the operator through GET /v1/audit', async () => {
    const operator = live().secretKeys.operator;
    expect((await putRouting(operator, DEMO_TABLE)).status).toBe(200);
    const organization = await post('/v1/organizations', operator, organizationBody());
    const service = await post('/v1/services', live().adminKeys[ORG.karachiLegalAid] ?? '', serviceBody(ORG.karachiLegalAid));
    expect(service.status).toBe(201);

    const all: Array<{ action: string; target: { type: string; id: string }; actor: { role: string | null } }> = [];
    let token: string | null = null;
    do {
      const page = await get(`/v1/audit?page_size=100${token === null ? '' : `&page_token=${encodeURIComponent(token)}`}`, operator);
      expect(page.status, page.text).toBe(200);
      all.push(...page.json.data);
      token = page.json.next_page_token;
    } while (token !== null);
    expect(all.filter((e) => e.action === 'routing_table.update').at(-1)?.actor.role).toBe('operator');
    expect(all).toContainEqual(
      expect.objectContaining({ action: 'organization.create', target: { type: 'organization', id: organization.json.id } }),
    );
    expect(all).toContainEqual(
      expect.objectContaining({
        action: 'service.create',
        target: { type: 'service', id: service.json.id },
        actor: expect.objectContaining({ role: 'admin' }),
      }),
    );
    // Platform changes only: no read of report or case data is listed.
    expect(all.every((e) => ['routing_table', 'organization', 'service', 'api_key'].includes(e.target.type))).toBe(true);

    const routingOnly = await get('/v1/audit?target_type=routing_table', operator);
    expect(routingOnly.json.data.length).toBeGreaterThan(0);
    expect(routingOnly.json.data.every((e: { target: { type: string } }) => e.target.type === 'routing_table')).toBe(true);
    const bad = await get('/v1/audit?target_type=report', operator);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json.invalid_params)).toMatch(/target_type/);
  });

  it('a test operator key reads the routing table but changes nothing both modes share', async () => {
    const testOperator = t.keys.secretKeys.operator;
    expect((await get('/v1/routing', testOperator)).status).toBe(200);
    expect((await putRouting(testOperator, DEMO_TABLE)).status).toBe(403);
    expect((await post('/v1/organizations', testOperator, organizationBody())).status).toBe(403);
  });
});

describeEachBackend('upgrading to the operator role', (backend) => {
  it('migrates a database of the previous schema, after which its admin keys have no routing or directory rights', async () => {
    const target = await backend.create();
    try {
      const before = await openAtMigration(target.config, '0002_service_capacity_by_mode');
      const seeded = await seedDemoOnPreviousSchema(before, { mode: 'live' });
      // The national admin key of a deployment before the upgrade: it used to change routing.
      const oldAdmin = seeded.secretKeys.admin;
      await before.close();

      const server = await startReferralServer({
        database: target.config,
        port: 0,
        encryptionKey: generateEncryptionKey(),
        log: false,
        rateLimit: false,
      });
      try {
        const applied = await server.database.db
          .selectFrom('kysely_migration' as never)
          .select('name' as never)
          .execute();
        expect((applied as Array<{ name: string }>).map((r) => r.name)).toContain('0003_audit_platform_changes');
        const routing = await call(server.url, 'PUT', '/v1/routing', { key: oldAdmin, body: DEMO_TABLE });
        expect(routing.status).toBe(403);
        const organization = await call(server.url, 'POST', '/v1/organizations', { key: oldAdmin, body: organizationBody() });
        expect(organization.status).toBe(403);
        // What replaces it: an operator key, as `tahaffuz-server keys create --role operator` makes.
        const operator = await createApiKey(server.database.db, {
          kind: 'secret',
          mode: 'live',
          organizationId: ORG.nationalIntake,
          role: 'operator',
        });
        expect((await call(server.url, 'PUT', '/v1/routing', { key: operator.key, body: DEMO_TABLE })).status).toBe(200);
      } finally {
        await server.close();
      }
    } finally {
      await target.cleanup();
    }
  });
});
