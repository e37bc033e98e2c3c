import { REQUEST_EXAMPLES } from '@tahaffuz/referral-contract';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_ORGANIZATIONS, DEMO_SERVICES } from '../src/demo/seed-demo.js';
import { describeEachBackend } from '@tahaffuz/test-kit';
import { call, startTestServer, type TestServer } from '../src/test-support/test-server.js';

/*
 * The directory and routing table are shared by live and test mode (docs/decisions/0007): every
 * key reads them, only live keys change them. A test key's attempt is a 403 that changes nothing
 * a live key (or a test key) sees; a live key's change is seen by both. A service's capacity is
 * per mode: a test provider's update is seen by test keys only.
 */

describeEachBackend('directory shared by both modes, changed by live keys only, capacity per mode', (backend) => {
  let t: TestServer;
  const service = `/v1/services/${DEMO_SERVICES.lahoreShelter}`;
  const read = async (path: string, key: string) => {
    const answer = await call(t.server.url, 'GET', path, { key });
    expect(answer.status, answer.text.slice(0, 200)).toBe(200);
    return answer.json;
  };

  beforeAll(async () => {
    t = await startTestServer(backend);
  });
  afterAll(async () => t?.stop());

  it("a test provider key changes only test mode's capacity of its service; a live one changes live's, which test mode follows until it has its own", async () => {
    const liveBefore = await read(service, t.liveKeys.secretKeys.caseworker);
    expect(await read(service, t.keys.secretKeys.caseworker)).toEqual(liveBefore);
    const next = liveBefore.capacity === 'unavailable' ? 'waitlist' : 'unavailable';

    const testChange = await call(t.server.url, 'POST', `${service}/capacity`, {
      key: t.keys.secretKeys.provider,
      body: { capacity: next, available_places: 0 },
    });
    expect(testChange.status, testChange.text.slice(0, 200)).toBe(200);
    expect(testChange.json).toMatchObject({ capacity: next, available_places: 0 });
    // Live mode sees nothing of it, in a read or a filtered list.
    expect(await read(service, t.liveKeys.secretKeys.caseworker)).toEqual(liveBefore);
    const listed = async (key: string, capacity: string) =>
      (await read(`/v1/services?page_size=100&capacity=${capacity}`, key)).data.map((s: { id: string }) => s.id);
    expect(await listed(t.liveKeys.secretKeys.caseworker, next)).not.toContain(DEMO_SERVICES.lahoreShelter);
    expect(await listed(t.liveKeys.secretKeys.caseworker, liveBefore.capacity)).toContain(DEMO_SERVICES.lahoreShelter);
    // Test mode sees its own, in a read and a filtered list.
    const testView = await read(service, t.keys.secretKeys.caseworker);
    expect(testView).toMatchObject({ capacity: next, available_places: 0, capacity_updated_at: testChange.json.capacity_updated_at });
    expect(await listed(t.keys.secretKeys.caseworker, next)).toContain(DEMO_SERVICES.lahoreShelter);
    expect(await listed(t.keys.secretKeys.caseworker, liveBefore.capacity)).not.toContain(DEMO_SERVICES.lahoreShelter);

    // A live change: live sees it; test keeps its own capacity.
    const liveNext = liveBefore.capacity === 'available' ? 'waitlist' : 'available';
    const liveChange = await call(t.server.url, 'POST', `${service}/capacity`, {
      key: t.liveKeys.secretKeys.provider,
      body: { capacity: liveNext },
    });
    expect(liveChange.status, liveChange.text.slice(0, 200)).toBe(200);
    expect((await read(service, t.liveKeys.secretKeys.caseworker)).capacity).toBe(liveNext);
    expect((await read(service, t.keys.secretKeys.caseworker)).capacity).toBe(next);
    // Another organisation's provider (either mode) cannot change it at all.
    const other = `/v1/services/${DEMO_SERVICES.karachiLegalAid}/capacity`;
    for (const key of [t.keys.secretKeys.provider, t.liveKeys.secretKeys.provider]) {
      expect((await call(t.server.url, 'POST', other, { key, body: { capacity: 'unavailable' } })).status).toBe(404);
    }
  });

  it('a test operator key creates no organisation or service and changes no routing; a live operator does, seen by both modes', async () => {
    const liveOperator = t.liveKeys.secretKeys.operator;
    const testOperator = t.keys.secretKeys.operator;
    const organizations = async (key: string) =>
      (await read('/v1/organizations?page_size=100', key)).data.map((o: { id: string }) => o.id).sort();
    const services = async (key: string) => (await read('/v1/services?page_size=100', key)).data.map((s: { id: string }) => s.id).sort();
    const orgsBefore = await organizations(liveOperator);
    const servicesBefore = await services(liveOperator);
    const routingBefore = await read('/v1/routing', liveOperator);
    const examples = REQUEST_EXAMPLES as Record<string, unknown>;
    const serviceBody = { ...(examples['services.create'] as object), organization_id: DEMO_ORGANIZATIONS.lahoreShelter };
    const routingBody = { default_organization_id: DEMO_ORGANIZATIONS.sindhIntake, rules: [] };

    for (const [method, path, body] of [
      ['POST', '/v1/organizations', examples['organizations.create']],
      ['POST', '/v1/services', serviceBody],
      ['PUT', '/v1/routing', routingBody],
    ] as const) {
      const refused = await call(t.server.url, method, path, { key: testOperator, body });
      expect(refused.status, `${method} ${path}: ${refused.text.slice(0, 200)}`).toBe(403);
    }
    for (const key of [liveOperator, testOperator]) {
      expect(await organizations(key)).toEqual(orgsBefore);
      expect(await services(key)).toEqual(servicesBefore);
      expect(await read('/v1/routing', key)).toEqual(routingBefore);
    }

    const org = await call(t.server.url, 'POST', '/v1/organizations', { key: liveOperator, body: examples['organizations.create'] });
    expect(org.status, org.text.slice(0, 200)).toBe(201);
    const svc = await call(t.server.url, 'POST', '/v1/services', {
      key: liveOperator,
      body: { ...serviceBody, organization_id: org.json.id },
    });
    expect(svc.status, svc.text.slice(0, 200)).toBe(201);
    for (const key of [liveOperator, testOperator]) {
      expect(await organizations(key)).toContain(org.json.id);
      expect(await services(key)).toContain(svc.json.id);
    }
  });
});
