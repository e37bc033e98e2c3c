import { REQUEST_EXAMPLES } from '@tahaffuz/referral-contract';
import { describeEachBackend } from '@tahaffuz/test-kit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { call, sampleReport, startTestServer, type TestServer } from '../test-support/test-server.js';
import { encodePageToken } from './page-token.js';

/* PostgreSQL refuses U+0000 in text with SQLSTATE 22021: every way text enters must answer 400 first, on both backends. */
describeEachBackend('NUL characters in input', (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(backend);
  });
  afterAll(async () => t?.stop());

  const expectRefusal = (response: Awaited<ReturnType<typeof call>>, name: string) => {
    expect(response.status, response.text).toBe(400);
    expect(response.json.invalid_params).toEqual([{ name, reason: 'must not contain a NUL character (U+0000)' }]);
  };

  it('refuses a NUL in a query string value with 400 naming the parameter', async () => {
    expectRefusal(await call(t.server.url, 'GET', '/v1/organizations?q=%00', { key: t.keys.secretKeys.intake }), 'q');
    expectRefusal(await call(t.server.url, 'GET', '/v1/organizations?q=bureau%00x', { key: t.keys.secretKeys.intake }), 'q');
  });

  it('refuses a page token that decodes to text with a NUL', async () => {
    const token = encodePageToken(['2026-01-01T00:00:00Z\u0000', '00000000-0000-4000-8000-000000000001']);
    const response = await call(t.server.url, 'GET', `/v1/keys?page_token=${token}`, { key: t.keys.secretKeys.admin });
    expect(response.status, response.text).toBe(400);
    expect(response.json.invalid_params).toEqual([{ name: 'page_token', reason: 'not a token from a previous page' }]);
  });

  it('refuses a NUL in a webhook description, a key name and an organisation name, storing nothing', async () => {
    const webhook = { ...REQUEST_EXAMPLES['webhooks.create'], description: 'CMS\u0000' };
    expectRefusal(await call(t.server.url, 'POST', '/v1/webhooks', { key: t.keys.secretKeys.admin, body: webhook }), 'description');
    const key = { ...REQUEST_EXAMPLES['keys.create'], name: '\u0000form' };
    expectRefusal(await call(t.server.url, 'POST', '/v1/keys', { key: t.keys.secretKeys.operator, body: key }), 'name');
    const organization = { ...REQUEST_EXAMPLES['organizations.create'], name: 'Bureau\u0000' };
    expectRefusal(await call(t.server.url, 'POST', '/v1/organizations', { key: t.keys.secretKeys.operator, body: organization }), 'name');
    const stored = await t.server.database.db.selectFrom('organizations').select('id').where('name', 'like', 'Bureau%').execute();
    expect(stored).toEqual([]);
  });

  it('refuses a NUL in a nested body field and in a body key', async () => {
    const nested = sampleReport({ location: { admin_area: 'PK-PB-LHR', place_type: 'brick_kiln', landmark: 'canal\u0000' } });
    expectRefusal(await call(t.server.url, 'POST', '/v1/reports', { key: t.keys.publishableKey, body: nested }), 'location.landmark');
    const badKey = JSON.stringify({ ...sampleReport(), 'x\u0000': 1 });
    expectRefusal(await call(t.server.url, 'POST', '/v1/reports', { key: t.keys.publishableKey, body: badKey }), '["x\\u0000"]');
  });
});
