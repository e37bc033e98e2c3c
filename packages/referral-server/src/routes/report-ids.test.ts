import { createHash, randomUUID } from 'node:crypto';
import { REQUEST_EXAMPLES } from '@tahaffuz/referral-contract';
import { describeEachBackend } from '@tahaffuz/test-kit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { canonicalJson } from '../canonical-json.js';
import { createFieldCipher, parseEncryptionKey } from '../crypto/field-cipher.js';
import { startReferralServer } from '../start-server.js';
import { lowerCaseReportIds } from '../storage/lower-case-report-ids.js';
import { openDatabase } from '../storage/open-database.js';
import { call, sampleReport, startTestServer, type TestServer } from '../test-support/test-server.js';

const upper = (id: string) => id.toUpperCase();

describeEachBackend('report ids are UUIDs in any case', (backend) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(backend, { webhooks: false });
  });
  afterAll(async () => t?.stop());

  const reportCount = async () =>
    Number(
      (
        await t.server.database.db
          .selectFrom('reports')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('takes an upper-case copy of an existing id as the same report, not a second one', async () => {
    const report = sampleReport();
    const first = await call(t.server.url, 'POST', '/v1/reports', { key: t.keys.publishableKey, body: report });
    expect(first.status).toBe(201);
    const before = await reportCount();
    const again = await call(t.server.url, 'POST', '/v1/reports', {
      key: t.keys.publishableKey,
      body: { ...report, id: upper(String(report['id'])) },
    });
    expect(again.status, again.text).toBe(201);
    expect(again.json).toEqual(first.json);
    expect(await reportCount()).toBe(before);
    const read = await call(t.server.url, 'GET', `/v1/reports/${upper(String(report['id']))}`, { key: t.keys.secretKeys.intake });
    expect(read.status).toBe(200);
    expect(read.json.id).toBe(report['id']);
  });

  it('stores an upper-case id in lower case and finds it by either spelling', async () => {
    const id = randomUUID();
    const created = await call(t.server.url, 'POST', '/v1/reports', { key: t.keys.publishableKey, body: sampleReport({ id: upper(id) }) });
    expect(created.status).toBe(201);
    expect(created.json.id).toBe(id);
    const stored = await t.server.database.db
      .selectFrom('reports')
      .select('id')
      .where('id', 'in', [id, upper(id)])
      .execute();
    expect(stored).toEqual([{ id }]);
    // Ids in a body referring to it are normalised too.
    const opened = await call(t.server.url, 'POST', '/v1/cases', {
      key: t.keys.secretKeys.intake,
      body: { ...REQUEST_EXAMPLES['cases.open'], report_ids: [upper(id)] },
    });
    expect(opened.status, opened.text).toBe(201);
    expect(opened.json.report_ids).toEqual([id]);
    // And ids in a query string.
    const events = await call(t.server.url, 'GET', '/v1/events', { key: t.keys.secretKeys.intake });
    const lastEvent = events.json.data.at(-1)?.id as string | undefined;
    if (lastEvent !== undefined) {
      const after = await call(t.server.url, 'GET', `/v1/events?after=${upper(lastEvent)}`, { key: t.keys.secretKeys.intake });
      expect(after.status, after.text).toBe(200);
    }
  });

  it('refuses the nil UUID in a body, a path and a query string', async () => {
    for (const nil of ['00000000-0000-0000-0000-000000000000']) {
      const body = await call(t.server.url, 'POST', '/v1/reports', { key: t.keys.publishableKey, body: sampleReport({ id: nil }) });
      expect(body.status).toBe(400);
      expect(body.json.invalid_params).toEqual([{ name: 'id', reason: 'the nil UUID is not an id' }]);
      const path = await call(t.server.url, 'GET', `/v1/reports/${nil}`, { key: t.keys.secretKeys.intake });
      expect(path.status).toBe(400);
      expect(path.json.invalid_params).toEqual([{ name: 'id', reason: 'the nil UUID is not an id' }]);
      const query = await call(t.server.url, 'GET', `/v1/events?after=${nil}`, { key: t.keys.secretKeys.intake });
      expect(query.status).toBe(400);
      expect(query.json.invalid_params).toEqual([{ name: 'after', reason: 'the nil UUID is not an id' }]);
    }
  });

  it('refuses a body that gives a key twice, instead of letting the last one win', async () => {
    const report = sampleReport();
    const text = JSON.stringify(report).replace(/^\{/, `{"id":"${randomUUID()}",`);
    const before = await reportCount();
    const answer = await call(t.server.url, 'POST', '/v1/reports', { key: t.keys.publishableKey, body: text });
    expect(answer.status).toBe(400);
    expect(answer.json.invalid_params).toEqual([{ name: 'id', reason: 'this key appears more than once in its object' }]);
    const nested = JSON.stringify(report).replace('"count":4', '"count":4,"count":5');
    const deeper = await call(t.server.url, 'POST', '/v1/reports', { key: t.keys.publishableKey, body: nested });
    expect(deeper.json.invalid_params).toEqual([{ name: 'victims.count', reason: 'this key appears more than once in its object' }]);
    expect(await reportCount()).toBe(before);
  });
});

describeEachBackend('reports stored under upper-case ids before the upgrade', (backend) => {
  let t: TestServer;
  afterAll(async () => t?.stop());

  it('are moved to their lower-case id, still readable, still matching a resubmission of the same raw body; case pairs are kept and reported', async () => {
    t = await startTestServer(backend, { webhooks: false });
    const cipher = createFieldCipher(parseEncryptionKey(t.encryptionKey));
    // Two reports through today's API: one to copy as a legacy row, one whose id an upper-case legacy row will shadow.
    const template = sampleReport({ narrative: 'legacy narrative marker' });
    const shadowed = sampleReport();
    for (const body of [template, shadowed]) {
      expect((await call(t.server.url, 'POST', '/v1/reports', { key: t.keys.publishableKey, body })).status).toBe(201);
    }
    const caseOpened = await call(t.server.url, 'POST', '/v1/cases', {
      key: t.keys.secretKeys.intake,
      body: { ...REQUEST_EXAMPLES['cases.open'], report_ids: [template['id']] },
    });
    expect(caseOpened.status).toBe(201);
    await t.server.close();
    const reopened = await openDatabase(t.target.config);
    const { db } = reopened;

    // What an older server stored for `legacy`: the id as sent, the hash of the body as sent, sealed for that id.
    const row = await db.selectFrom('reports').selectAll().where('id', '=', String(template['id'])).executeTakeFirstOrThrow();
    const legacyId = upper(randomUUID());
    const legacyBody = { ...template, id: legacyId };
    const seal = (value: string | null, column: string, id: string) =>
      value === null ? null : cipher.encrypt(cipher.decrypt(value, `reports.${column}:${row.id}`), `reports.${column}:${id}`);
    const legacyRow = (id: string, reference: string, body: unknown) => ({
      ...row,
      id,
      reference,
      body_hash: createHash('sha256').update(canonicalJson(body), 'utf8').digest('hex'),
      free_text_enc: seal(row.free_text_enc, 'free_text', id),
      reporter_enc: seal(row.reporter_enc, 'reporter', id),
      location_enc: seal(row.location_enc, 'location', id),
    });
    const pairId = upper(String(shadowed['id']));
    await db
      .insertInto('reports')
      .values(legacyRow(legacyId, 'TZ-LEGA-CY01', legacyBody))
      .execute();
    await db
      .insertInto('reports')
      .values(legacyRow(pairId, 'TZ-LEGA-CY02', { ...shadowed, id: pairId }))
      .execute();
    await db.insertInto('case_reports').values({ case_id: caseOpened.json.id, report_id: legacyId }).execute();
    await db.deleteFrom('settings').where('name', '=', 'report_ids_lower_cased').execute();
    await reopened.close();

    const server = await startReferralServer({
      database: t.target.config,
      port: 0,
      encryptionKey: t.encryptionKey,
      log: false,
      rateLimit: false,
      webhooks: false,
    });
    t = { ...t, server };
    const ids = await server.database.db
      .selectFrom('reports')
      .select('id')
      .where('id', 'in', [legacyId, legacyId.toLowerCase(), pairId, pairId.toLowerCase()])
      .orderBy('id')
      .execute();
    expect(ids.map((r) => r.id).sort()).toEqual([legacyId.toLowerCase(), pairId, pairId.toLowerCase()].sort());
    expect(await lowerCaseReportIds(server.database.db, cipher)).toEqual({
      lowerCased: 0,
      pairs: [{ mixedCase: pairId, lowerCase: pairId.toLowerCase() }],
      earlier: true,
    });

    const read = await call(server.url, 'GET', `/v1/reports/${legacyId}`, { key: t.keys.secretKeys.intake });
    expect(read.status, read.text).toBe(200);
    expect(read.json.id).toBe(legacyId.toLowerCase());
    expect(read.json.narrative).toBe('legacy narrative marker');
    const resubmitted = await call(server.url, 'POST', '/v1/reports', { key: t.keys.publishableKey, body: legacyBody });
    expect(resubmitted.status, resubmitted.text).toBe(201);
    expect(resubmitted.json.reference).toBe('TZ-LEGA-CY01');
    const theCase = await call(server.url, 'GET', `/v1/cases/${caseOpened.json.id}`, { key: t.keys.secretKeys.intake });
    expect(theCase.json.report_ids).toContain(legacyId.toLowerCase());
  });
});
