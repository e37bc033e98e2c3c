import { REQUEST_EXAMPLES } from '@tahaffuz/referral-contract';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_ORGANIZATIONS, DEMO_SERVICES } from '../src/demo/seed-demo.js';
import { describeEachBackend } from '../src/test-support/backends.js';
import { call, startTestServer, type TestServer } from '../src/test-support/test-server.js';

/*
 * The directory and routing table are shared by live and test mode (docs/decisions/0007): every
 * key reads them, only live keys change them. A test key's attempt is a 403 that changes nothing
 * a live key (or a test key) sees; a live key's change is seen by both.
 */

describeEachBackend('directory shared by both modes, changed by live keys only', (backend) => {
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

  it('a test provider key cannot change a service capacity; a live one can, and both modes see it', async () => {
    const before = await read(service, t.liveKeys.secretKeys.caseworker);
    const next = before.capacity === 'unavailable' ? 'available' : 'unavailable';
    const refused = await call(t.server.url, 'POST', `${service}/capacity`, { key: t.keys.secretKeys.provider, body: { capacity: next, available_places: 0 } });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.json.detail).toMatch(/services\.updateCapacity.*live key/);
    expect(await read(service, t.liveKeys.secretKeys.caseworker)).toEqual(before);
    expect(await read(service, t.keys.secretKeys.caseworker)).toEqual(before);

    const changed = await call(t.server.url, 'POST', `${service}/capacity`, { key: t.liveKeys.secretKeys.provider, body: { capacity: next, available_places: 0 } });
    expect(changed.status, changed.text.slice(0, 200)).toBe(200);
    expect((await read(service, t.liveKeys.secretKeys.caseworker)).capacity).toBe(next);
    expect((await read(service, t.keys.secretKeys.caseworker)).capacity).toBe(next);
  });

  it('a test admin key creates no organisation or service and changes no routing; a live admin does, seen by both modes', async () => {
    const liveAdmin = t.liveKeys.secretKeys.admin;
    const testAdmin = t.keys.secretKeys.admin;
    const organizations = async (key: string) => (await read('/v1/organizations?page_size=100', key)).data.map((o: { id: string }) => o.id).sort();
    const services = async (key: string) => (await read('/v1/services?page_size=100', key)).data.map((s: { id: string }) => s.id).sort();
    const orgsBefore = await organizations(liveAdmin);
    const servicesBefore = await services(liveAdmin);
    const routingBefore = await read('/v1/routing', liveAdmin);
    const examples = REQUEST_EXAMPLES as Record<string, unknown>;
    const serviceBody = { ...(examples['services.create'] as object), organization_id: DEMO_ORGANIZATIONS.lahoreShelter };
    const routingBody = { default_organization_id: DEMO_ORGANIZATIONS.sindhIntake, rules: [] };

    for (const [method, path, body] of [
      ['POST', '/v1/organizations', examples['organizations.create']],
      ['POST', '/v1/services', serviceBody],
      ['PUT', '/v1/routing', routingBody],
    ] as const) {
      const refused = await call(t.server.url, method, path, { key: testAdmin, body });
      expect(refused.status, `${method} ${path}: ${refused.text.slice(0, 200)}`).toBe(403);
    }
    for (const key of [liveAdmin, testAdmin]) {
      expect(await organizations(key)).toEqual(orgsBefore);
      expect(await services(key)).toEqual(servicesBefore);
      expect(await read('/v1/routing', key)).toEqual(routingBefore);
    }

    const org = await call(t.server.url, 'POST', '/v1/organizations', { key: liveAdmin, body: examples['organizations.create'] });
    expect(org.status, org.text.slice(0, 200)).toBe(201);
    const svc = await call(t.server.url, 'POST', '/v1/services', { key: liveAdmin, body: { ...serviceBody, organization_id: org.json.id } });
    expect(svc.status, svc.text.slice(0, 200)).toBe(201);
    for (const key of [liveAdmin, testAdmin]) {
      expect(await organizations(key)).toContain(org.json.id);
      expect(await services(key)).toContain(svc.json.id);
    }
  });
});
