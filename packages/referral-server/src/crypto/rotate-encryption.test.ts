import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook } from '@tahaffuz/referral-client';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createApiKey,
  createFieldCipher,
  DEMO_ORGANIZATIONS,
  DEMO_SERVICES,
  encryptionStatus,
  generateEncryptionKey,
  openDatabase,
  parseEncryptionKey,
  rotateEncryption,
  startReferralServer,
  type FieldCipher,
  type ReferralServer,
} from '@tahaffuz/referral-server';
import { isReferralServerError } from '../errors.js';
import type { Database } from '../storage/schema.js';
import { describeEachBackend } from '@tahaffuz/test-kit';
import { encryptV1 } from '../test-support/legacy-ciphertext.js';
import { call, sampleReport, startTestServer, type TestServer } from '../test-support/test-server.js';
import { sealedKeyIdOf } from './ciphertext-format.js';
import { KEY_CHECK_CONTEXT, KEY_CHECK_SETTING, KEY_IDS_SETTING } from './key-check.js';
import { SEALED_COLUMNS } from './sealed-columns.js';

const cipherOf = (current: string, ...previous: string[]) =>
  createFieldCipher(
    parseEncryptionKey(current),
    previous.map((key) => parseEncryptionKey(key)),
  );

/** Every stored ciphertext, with the context it was written under, read straight from the tables. */
async function storedValues(db: Kysely<Database>): Promise<Array<{ label: string; context: string; value: string }>> {
  const values: Array<{ label: string; context: string; value: string }> = [];
  for (const column of SEALED_COLUMNS) {
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(column.table)}`.execute(db)).rows;
    for (const row of rows) {
      if (column.where !== undefined && row[column.where.column] !== column.where.equals) continue;
      const stored = row[column.column];
      if (typeof stored !== 'string') continue;
      const key = Object.fromEntries(column.key.map((name) => [name, String(row[name])]));
      if (column.jsonFields === undefined) {
        if (!(column.clearPrefixes ?? []).some((prefix) => stored.startsWith(prefix)))
          values.push({ label: column.label, context: column.context?.(key) ?? '', value: stored });
        continue;
      }
      const data = JSON.parse(stored) as Record<string, unknown>;
      for (const field of column.jsonFields) {
        const value = data[field.field];
        if (typeof value === 'string') values.push({ label: field.label, context: field.context(key), value });
      }
    }
  }
  return values;
}

/** Every text of every table, to search for ciphertext under a given key wherever it might hide. */
async function everyText(db: Kysely<Database>, schema: string | undefined): Promise<string> {
  const tables = await db.introspection.getTables();
  const parts: string[] = [];
  for (const table of tables) {
    if (table.name.startsWith('kysely_') || (schema !== undefined && table.schema !== schema)) continue;
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(table.name)}`.execute(db)).rows;
    parts.push(JSON.stringify(rows));
  }
  return parts.join('\n');
}

function schemaOf(t: Pick<TestServer, 'target'>): string | undefined {
  const config = t.target.config;
  // Each PostgreSQL test database is a fresh database of its own, its tables in `public`.
  return typeof config === 'object' && 'postgres' in config ? 'public' : undefined;
}

const V1_VALUE = /(^|[^A-Za-z0-9_-])v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22,}/;

/** Rewrites one column and the check value as an earlier version wrote them (`v1`), and forgets the key ids in use. */
async function downgradeToV1(db: Kysely<Database>, key: string): Promise<number> {
  const cipher = cipherOf(key);
  const rows = await db.selectFrom('reports').select(['id', 'reporter_enc']).where('reporter_enc', 'is not', null).execute();
  for (const row of rows) {
    const context = `reports.reporter:${row.id}`;
    await db
      .updateTable('reports')
      .set({ reporter_enc: encryptV1(key, cipher.decrypt(row.reporter_enc ?? '', context), context) })
      .where('id', '=', row.id)
      .execute();
  }
  await db
    .updateTable('settings')
    .set({ value: encryptV1(key, 'tahaffuz', KEY_CHECK_CONTEXT) })
    .where('name', '=', KEY_CHECK_SETTING)
    .execute();
  await db.deleteFrom('settings').where('name', '=', KEY_IDS_SETTING).execute();
  return rows.length;
}

interface Recorded {
  readonly path: string;
  readonly key: string;
  readonly idempotencyKey: string;
  readonly body: unknown;
  readonly status: number;
  readonly text: string;
}

describeEachBackend('encryption key rotation', (backend) => {
  const keyA = generateEncryptionKey();
  const keyB = generateEncryptionKey();
  const [idA, idB] = [cipherOf(keyA).keyId, cipherOf(keyB).keyId];
  let secrets: string[] = [];
  const delivered: string[] = [];
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      verifyWebhook({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers as Record<string, string>, secret: secrets })
        .then((payload) => {
          delivered.push(JSON.stringify(payload.data));
          res.writeHead(200).end();
        })
        .catch(() => res.writeHead(401).end());
    });
  });
  beforeAll(() => new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done)));
  afterAll(() => new Promise((done) => receiver.close(done)));

  const start = (t: TestServer, encryptionKey: string, previousEncryptionKeys: string[], webhooks = false): Promise<ReferralServer> =>
    startReferralServer({
      database: t.target.config,
      port: 0,
      encryptionKey,
      previousEncryptionKeys,
      log: false,
      rateLimit: false,
      webhooks: webhooks ? { pollMs: 25, backoffMs: () => 25, timeoutMs: 1000 } : false,
      // The receiver is on loopback.
      webhookTargets: { allow: ['127.0.0.0/8'] },
    });

  /** Reports with narratives and contacts, a case, a withdrawn consent, referrals with a note and a reason, a webhook with a rotated secret; the POSTs recorded for replay. */
  async function world(t: TestServer, reports: number) {
    const url = t.server.url;
    const k = t.keys.secretKeys;
    const recorded: Recorded[] = [];
    const post = async (path: string, key: string, body: unknown, expected: number) => {
      const idempotencyKey = randomUUID();
      const response = await call(url, 'POST', path, { key, body, idempotencyKey });
      expect(response.status, `${path}: ${response.text}`).toBe(expected);
      recorded.push({ path, key, idempotencyKey, body, status: response.status, text: response.text });
      return response.json as Record<string, unknown>;
    };
    const sent = new Map<string, Record<string, unknown>>();
    for (let i = 0; i < reports; i += 1) {
      const body = sampleReport({ narrative: `Narrative number ${i}: children at the kiln before dawn.` });
      sent.set(String(body['id']), body);
      await post('/v1/reports', t.keys.publishableKey, body, 201);
    }
    const kase = await post(
      '/v1/cases',
      k.supervisor,
      {
        report_ids: [...sent.keys()].slice(0, 2),
        screening_outcome: 'screened_in',
        screening_reason: 'Debt bondage confirmed by a neighbour',
        protection_concerns: ['bonded_labour'],
      },
      201,
    );
    const consent = await post(
      '/v1/consents',
      k.supervisor,
      {
        case_id: kase['id'],
        grantor: 'guardian',
        basis: 'consent',
        scope: { service_types: ['shelter'], organization_ids: 'any' },
        obtained_at: new Date(Date.now() - 60_000).toISOString(),
      },
      201,
    );
    const referral = await post(
      '/v1/referrals',
      k.caseworker,
      { case_id: kase['id'], service_id: DEMO_SERVICES.lahoreShelter, urgency: 'emergency', note: 'Needs a female caseworker' },
      201,
    );
    await post(`/v1/referrals/${String(referral['id'])}/transitions`, k.caseworker, { to: 'requested' }, 200);
    await post(
      `/v1/referrals/${String(referral['id'])}/transitions`,
      k.caseworker,
      { to: 'cancelled', reason: 'Family moved to Karachi' },
      200,
    );
    await post(`/v1/consents/${String(consent['id'])}/withdraw`, k.supervisor, { reason: 'Guardian changed their mind' }, 200);
    const admin = await createApiKey(t.server.database.db, {
      kind: 'secret',
      mode: 'test',
      organizationId: DEMO_ORGANIZATIONS.punjabIntake,
      role: 'admin',
    });
    const hook = await post(
      '/v1/webhooks',
      admin.key,
      { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, event_types: ['report.received'] },
      201,
    );
    const rotated = await post(`/v1/webhooks/${String(hook['id'])}/rotate-secret`, admin.key, undefined, 200);
    secrets = [String(rotated['secret'])];
    return { recorded, sent, caseId: String(kase['id']), referralId: String(referral['id']), consentId: String(consent['id']) };
  }

  async function expectReadable(url: string, t: TestServer, w: Awaited<ReturnType<typeof world>>) {
    const k = t.keys.secretKeys;
    for (const [id, body] of w.sent) {
      const got = await call(url, 'GET', `/v1/reports/${id}`, { key: k.intake });
      expect(got.status).toBe(200);
      expect(got.json.narrative).toBe(body['narrative']);
      expect(got.json.reporter).toEqual(body['reporter']);
    }
    expect((await call(url, 'GET', `/v1/cases/${w.caseId}`, { key: k.supervisor })).json.screening_reason).toBe(
      'Debt bondage confirmed by a neighbour',
    );
    const referral = (await call(url, 'GET', `/v1/referrals/${w.referralId}`, { key: k.caseworker })).json;
    expect([referral.note, referral.status_reason]).toEqual(['Needs a female caseworker', 'Family moved to Karachi']);
  }

  async function expectReplays(url: string, recorded: readonly Recorded[]) {
    for (const first of recorded) {
      const again = await call(url, 'POST', first.path, { key: first.key, body: first.body, idempotencyKey: first.idempotencyKey });
      expect([again.status, again.text, again.headers.get('idempotent-replayed')]).toEqual([first.status, first.text, 'true']);
    }
  }

  async function expectOnlyUnder(db: Kysely<Database>, schema: string | undefined, cipher: FieldCipher, gone: string) {
    const values = await storedValues(db);
    expect(values.length).toBeGreaterThan(0);
    for (const { value, context } of values) {
      expect(sealedKeyIdOf(value), context).toBe(cipher.keyId);
      expect(() => cipher.decrypt(value, context)).not.toThrow();
    }
    const text = await everyText(db, schema);
    expect(text).not.toContain(`v2.${gone}.`);
    expect(text).not.toMatch(V1_VALUE);
  }

  it('rotates while a server runs and writes; afterwards the new key alone reads every value', async () => {
    const t = await startTestServer(backend, { encryptionKey: keyA, webhooks: false, webhookTargets: { allow: ['127.0.0.0/8'] } });
    try {
      const w = await world(t, 12);
      await t.server.close();
      const setup = await openDatabase(t.target.config);
      expect(await downgradeToV1(setup.db, keyA)).toBe(12);
      expect((await encryptionStatus(setup.db)).byKeyId).toMatchObject({ v1: 13 });
      await setup.close();

      // Every server restarted with the new key current and the old one previous, then the rotation runs beside them.
      const running = await start(t, keyB, [keyA], true);
      const written: Recorded[] = [];
      let writing = true;
      const writers = Array.from({ length: 3 }, async () => {
        while (writing) {
          const body = sampleReport({ narrative: 'Written during the rotation' });
          const idempotencyKey = randomUUID();
          const response = await call(running.url, 'POST', '/v1/reports', { key: t.keys.publishableKey, body, idempotencyKey });
          expect(response.status).toBe(201);
          written.push({ path: '/v1/reports', key: t.keys.publishableKey, idempotencyKey, body, status: 201, text: response.text });
          w.sent.set(String(body['id']), body);
          const first = w.recorded[written.length % w.recorded.length];
          if (first === undefined) continue;
          const replayed = await call(running.url, 'POST', first.path, {
            key: first.key,
            body: first.body,
            idempotencyKey: first.idempotencyKey,
          });
          expect([replayed.status, replayed.text]).toEqual([first.status, first.text]);
        }
      });
      // In production the rotation is another process (the CLI). Here it shares the test's process
      // with the server, and one process must not hold two handles on one SQLite file (a blocked
      // handle's busy wait would stall the event loop the other needs to finish): on SQLite it uses
      // the server's own handle, on PostgreSQL its own pool.
      const shared = backend.name === 'sqlite';
      const rotator = shared ? running.database : await openDatabase(t.target.config);
      const batches: number[] = [];
      const summary = await rotateEncryption(rotator.db, cipherOf(keyB, keyA), { batchSize: 3, onBatch: (p) => batches.push(p.rewrapped) });
      writing = false;
      await Promise.all(writers);
      expect(written.length).toBeGreaterThan(0);
      expect(batches.length).toBeGreaterThan(10);
      // 12 narratives, 12 contacts (v1), 1 screening reason, 1 withdrawal reason, note + reason, two webhook secrets, sealed replays, the check value.
      expect(summary.rewrapped).toBeGreaterThanOrEqual(12 + 12 + 1 + 1 + 2 + 2 + 1);
      expect([summary.unreadable, summary.finished, summary.status.notCurrent]).toEqual([0, true, 0]);
      expect(Object.keys(summary.status.byKeyId)).toEqual([idB]);

      await running.close();
      if (!shared) await rotator.close();
      // Run again, and rebuild the storage so freed space keeps no old ciphertext (a leaked key).
      const later = await openDatabase(t.target.config);
      const again = await rotateEncryption(later.db, cipherOf(keyB, keyA), { batchSize: 3, compact: true });
      expect([again.rewrapped, again.changedMeanwhile, again.unreadable, again.finished]).toEqual([0, 0, 0, true]);
      await expectOnlyUnder(later.db, schemaOf(t), cipherOf(keyB), idA);
      await later.close();

      // The old key is dropped: the new one alone starts the server and reads everything.
      const after = await start(t, keyB, []);
      try {
        await expectReadable(after.url, t, w);
        await expectReplays(after.url, [...w.recorded, ...written.slice(0, 5)]);
      } finally {
        await after.close();
      }
      const delivering = await start(t, keyB, [], true);
      try {
        const report = sampleReport();
        expect((await call(delivering.url, 'POST', '/v1/reports', { key: t.keys.publishableKey, body: report })).status).toBe(201);
        const deadline = Date.now() + 15_000;
        while (!delivered.some((data) => data.includes(String(report['id']))) && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 25));
        expect(delivered.join('\n')).toContain(String(report['id']));
      } finally {
        await delivering.close();
      }
      if (t.target.sqlitePath !== undefined) {
        const file = readFileSync(t.target.sqlitePath).toString('latin1');
        expect(file).toContain(`v2.${idB}.`);
        expect(file).not.toContain(`v2.${idA}.`);
      }
    } finally {
      await t.target.cleanup();
    }
  }, 120_000);

  it('resumes after a batch fails midway; meanwhile every value reads with the current and previous keys', async () => {
    const t = await startTestServer(backend, { encryptionKey: keyA, webhooks: false, webhookTargets: { allow: ['127.0.0.0/8'] } });
    try {
      const w = await world(t, 20);
      await t.server.close();
      const db = await openDatabase(t.target.config);
      const failing = [...w.sent.keys()].sort()[9] ?? '';
      if (backend.name === 'sqlite') {
        await sql`create trigger tz_fail before update on reports when new.id = ${sql.lit(failing)} begin select raise(abort, 'injected failure'); end`.execute(
          db.db,
        );
      } else {
        await sql`create function tz_fail() returns trigger language plpgsql as $$ begin raise exception 'injected failure'; end $$`.execute(
          db.db,
        );
        await sql`create trigger tz_fail before update on reports for each row when (new.id = ${sql.lit(failing)}) execute function tz_fail()`.execute(
          db.db,
        );
      }
      await expect(rotateEncryption(db.db, cipherOf(keyB, keyA), { batchSize: 4 })).rejects.toThrow(/injected failure/);
      const midway = await encryptionStatus(db.db, cipherOf(keyB, keyA));
      // The batches before the failing one are under the new key, the rest still under the old one.
      expect(midway.columns.find((c) => c.label === 'reports.free_text_enc')?.byKeyId).toEqual({ [idB]: 8, [idA]: 12 });
      expect(midway.keyIdsInUse).toEqual([idA, idB]);

      const both = await start(t, keyB, [keyA]);
      await expectReadable(both.url, t, w);
      await expectReplays(both.url, w.recorded);
      await both.close();
      let refused: unknown;
      await start(t, keyB, []).catch((error: unknown) => (refused = error));
      expect(isReferralServerError(refused) && refused.code).toBe('unknown_encryption_key');
      expect(String((refused as Error).message)).toMatch(new RegExp(`key id ${idA}.*TAHAFFUZ_ENCRYPTION_KEYS_PREVIOUS`));

      await sql`drop trigger tz_fail${sql.raw(backend.name === 'postgres' ? ' on reports' : '')}`.execute(db.db);
      const resumed = await rotateEncryption(db.db, cipherOf(keyB, keyA), { batchSize: 4 });
      expect(resumed.columns.find((c) => c.label === 'reports.free_text_enc')?.rewrapped).toBe(12);
      expect(resumed.finished).toBe(true);
      await expectOnlyUnder(db.db, schemaOf(t), cipherOf(keyB), idA);
      await db.close();
      const after = await start(t, keyB, []);
      await expectReadable(after.url, t, w);
      await expectReplays(after.url, w.recorded);
      await after.close();
    } finally {
      await t.target.cleanup();
    }
  }, 120_000);

  it('refuses to start, and to read, without a key that stored values need, naming its key id and never a value', async () => {
    const t = await startTestServer(backend, { encryptionKey: keyA, webhooks: false, webhookTargets: { allow: ['127.0.0.0/8'] } });
    try {
      const w = await world(t, 2);
      await t.server.close();
      const keyC = generateEncryptionKey();
      for (const previous of [[], [keyC]]) {
        let refused: unknown;
        await start(t, keyB, previous).catch((error: unknown) => (refused = error));
        expect(isReferralServerError(refused) && refused.code).toBe('unknown_encryption_key');
        expect(String((refused as Error).message)).toMatch(
          new RegExp(`key id ${idA}, which is not among the configured keys.*TAHAFFUZ_ENCRYPTION_KEYS_PREVIOUS`),
        );
      }
      const db = await openDatabase(t.target.config);
      // The rotation refuses keys that do not open the database, and changes nothing.
      await expect(rotateEncryption(db.db, cipherOf(keyB, keyC))).rejects.toThrow(new RegExp(`key id ${idA}`));
      expect((await encryptionStatus(db.db)).byKeyId).toEqual({ [idA]: expect.any(Number) });
      // A single value whose key is gone: the error names the key id and where the value is.
      const [id, body] = [...w.sent][0] ?? [];
      const row = await db.db
        .selectFrom('reports')
        .select('free_text_enc')
        .where('id', '=', id ?? '')
        .executeTakeFirstOrThrow();
      let failed: unknown;
      try {
        cipherOf(keyB).decrypt(row.free_text_enc ?? '', `reports.free_text:${id ?? ''}`);
      } catch (error) {
        failed = error;
      }
      expect(String((failed as Error).message)).toContain(
        `reports.free_text:${id ?? ''} is encrypted with key id ${idA}, which is not configured`,
      );
      expect(String((failed as Error).message)).not.toContain(String(body?.['narrative']).slice(0, 12));
      await db.close();

      // The check value opens, but the database records values under a key that is not given.
      const withC = await start(t, keyC, [keyA]);
      expect((await call(withC.url, 'POST', '/v1/reports', { key: t.keys.publishableKey, body: sampleReport() })).status).toBe(201);
      await withC.close();
      let refused: unknown;
      await start(t, keyA, []).catch((error: unknown) => (refused = error));
      expect(String((refused as Error).message)).toMatch(
        new RegExp(`Stored values may still be encrypted with key id ${cipherOf(keyC).keyId}, which is not configured.*encryption rotate`),
      );
    } finally {
      await t.target.cleanup();
    }
  }, 60_000);

  it('knows every encrypted column of the schema', async () => {
    const target = await backend.create();
    const db = await openDatabase(target.config);
    try {
      const columns = new Set<string>();
      for (const table of await db.db.introspection.getTables()) {
        if (schemaOf({ target }) !== undefined && table.schema !== schemaOf({ target })) continue;
        for (const column of table.columns) if (column.name.endsWith('_enc')) columns.add(`${table.name}.${column.name}`);
      }
      const listed = new Set(SEALED_COLUMNS.map((c) => `${c.table}.${c.column}`));
      expect([...columns].filter((name) => !listed.has(name))).toEqual([]);
      expect(columns.size).toBeGreaterThanOrEqual(6);
    } finally {
      await db.close();
      await target.cleanup();
    }
  });
});
