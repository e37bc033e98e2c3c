import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '@tahaffuz/test-kit';
import { call, sampleReport, startTestServer, type TestServer } from '../test-support/test-server.js';
import { applyRetention } from './retention.js';

describeEachBackend('retention, and the served OpenAPI document', (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(backend, { webhooks: false });
  });
  afterAll(async () => t?.stop());

  it('anonymises closed cases past the period and their reports, and nothing else', async () => {
    const k = t.keys.secretKeys;
    const open = async () => {
      const report = sampleReport();
      await call(t.server.url, 'POST', '/v1/reports', { key: t.keys.publishableKey, body: report });
      const kase = await call(t.server.url, 'POST', '/v1/cases', {
        key: k.intake,
        body: { report_ids: [report['id']], screening_outcome: 'screened_in', screening_reason: 'reason', protection_concerns: [] },
      });
      return { report: String(report['id']), case: String(kase.json.id) };
    };
    const closed = await open();
    const stillOpen = await open();
    expect(
      (
        await call(t.server.url, 'POST', `/v1/cases/${closed.case}/transitions`, {
          key: k.supervisor,
          body: { to: 'closed', reason: 'child home safe' },
        })
      ).status,
    ).toBe(200);

    expect(await applyRetention(t.server.database.db, { closedCaseYears: 2 }, Date.now() + 365 * 86_400_000)).toEqual([]);
    expect(await applyRetention(t.server.database.db, { closedCaseYears: 2 }, Date.now() + 3 * 365 * 86_400_000)).toEqual([closed.case]);

    const db = t.server.database.db;
    const erasedCase = await db.selectFrom('cases').selectAll().where('id', '=', closed.case).executeTakeFirstOrThrow();
    expect(erasedCase.erased_at).not.toBeNull();
    expect(erasedCase.free_text_enc).toBeNull();
    const erasedReport = await db.selectFrom('reports').selectAll().where('id', '=', closed.report).executeTakeFirstOrThrow();
    expect([erasedReport.free_text_enc, erasedReport.reporter_enc]).toEqual([null, null]);
    const kept = await db.selectFrom('reports').selectAll().where('id', '=', stillOpen.report).executeTakeFirstOrThrow();
    expect(kept.free_text_enc).not.toBeNull();
    expect((await call(t.server.url, 'GET', `/v1/cases/${closed.case}`, { key: k.intake })).status).toBe(404);
    expect((await call(t.server.url, 'GET', `/v1/cases/${stillOpen.case}`, { key: k.intake })).status).toBe(200);
  });

  it('serves the contract OpenAPI document', async () => {
    const doc = await call(t.server.url, 'GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.json.openapi).toMatch(/^3\.1/);
    expect(Object.keys(doc.json.paths)).toContain('/v1/reports');
  });
});
