import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresDatabase, describeEachBackend, dropPostgresDatabases, POSTGRES_TEST_URL } from '@tahaffuz/test-kit';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createFieldCipher, parseEncryptionKey } from '../src/crypto/field-cipher.js';
import { seedDemo } from '../src/demo/seed-demo.js';
import { purgeRateLimitBuckets } from '../src/rate-limit/rate-limiter.js';
import { type ReferralServer, startReferralServer } from '../src/start-server.js';
import { checkpointSqliteWal, openDatabase, sqliteFileOf } from '../src/storage/open-database.js';
import type { Database } from '../src/storage/schema.js';
import { call, sampleReport, TEST_ORIGIN } from '../src/test-support/test-server.js';
import { must, SIDES, startWorld, type World } from './support/world.js';

/*
 * Issue 9, item 5. Erased content leaves the files: every free text is sealed (so no plaintext
 * ever reaches SQLite or PostgreSQL, dead tuples and WAL included), SQLite zeroes what is deleted
 * (`secure_delete`) and an erasure empties the WAL, so not even the erased ciphertext stays; a
 * database restored from a backup taken before an erasure is erased again by the erasure journal
 * before it answers (docs/decisions/0018-erasure-and-restore.md).
 */

function marker(label: string): string {
  return `${label}-${randomBytes(6).toString('hex')}`;
}

/** The forms a value can take in raw bytes: plain, UTF-16, hex, and base64 / base64url at every alignment. */
function forms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const out = [value, Buffer.from(value, 'utf16le').toString('latin1'), bytes.toString('hex'), bytes.toString('hex').toUpperCase()];
  for (let shift = 0; shift < 3; shift += 1) {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
    // Drop the groups that mix in the neighbouring bytes.
    const core = encoded.slice(shift === 0 ? 0 : 4, encoded.length - 4);
    out.push(core, core.replaceAll('+', '-').replaceAll('/', '_'));
  }
  return out;
}

function foundIn(bytes: string, values: Record<string, string>): string[] {
  return Object.entries(values).flatMap(([name, value]) => (forms(value).some((form) => bytes.includes(form)) ? [name] : []));
}

function sqliteBytes(path: string): string {
  return [path, `${path}-wal`, `${path}-shm`]
    .filter((p) => existsSync(p))
    .map((p) => readFileSync(p).toString('latin1'))
    .join('\n');
}

/** Every stored ciphertext of a report and case and what hangs off it, read before they are erased. */
async function ciphertextsOf(db: Kysely<Database>, ids: { reportId: string; caseId: string }): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const report = await db.selectFrom('reports').selectAll().where('id', '=', ids.reportId).executeTakeFirstOrThrow();
  for (const column of ['free_text_enc', 'reporter_enc', 'location_enc'] as const) {
    const value = report[column];
    if (value !== null) out[`reports.${column}`] = value;
  }
  const kase = await db.selectFrom('cases').select('free_text_enc').where('id', '=', ids.caseId).executeTakeFirstOrThrow();
  if (kase.free_text_enc !== null) out['cases.free_text_enc'] = kase.free_text_enc;
  for (const consent of await db
    .selectFrom('consents')
    .select(['id', 'withdrawal_reason_enc'])
    .where('case_id', '=', ids.caseId)
    .execute()) {
    if (consent.withdrawal_reason_enc !== null) out[`consents.${consent.id}`] = consent.withdrawal_reason_enc;
  }
  for (const referral of await db.selectFrom('referrals').select(['id', 'data']).where('case_id', '=', ids.caseId).execute()) {
    for (const [field, value] of Object.entries(JSON.parse(referral.data) as Record<string, unknown>)) {
      if (field.endsWith('_enc') && typeof value === 'string') out[`referrals.${referral.id}.${field}`] = value;
    }
  }
  const responses = await db
    .selectFrom('idempotency_objects')
    .innerJoin('idempotency_keys', (join) =>
      join.onRef('idempotency_keys.scope', '=', 'idempotency_objects.scope').onRef('idempotency_keys.key', '=', 'idempotency_objects.key'),
    )
    .select(['idempotency_keys.key', 'idempotency_keys.response_body'])
    .where('idempotency_objects.object_id', '=', ids.caseId)
    .execute();
  for (const response of responses) if (response.response_body !== null) out[`response ${response.key}`] = response.response_body;
  return out;
}

describeEachBackend('erased content at rest', (backend) => {
  let w: World;
  const journal = mkdtempSync(join(tmpdir(), 'tahaffuz-journal-'));
  const started = performance.now();
  beforeAll(async () => {
    w = await startWorld(backend, {
      webhooks: false,
      erasureJournal: journal,
      rateLimit: { perKey: { limit: 10_000, windowMs: 60_000 }, perClient: { limit: 10_000, windowMs: 60_000 } },
    });
  });
  afterAll(async () => {
    await w?.stop();
    rmSync(journal, { recursive: true, force: true });
  });

  /** A report and case with a marker in every free text a person types, and the markers. */
  async function objectsWithMarkers() {
    const k = w.keys.live.A;
    const markers = {
      landmark: marker('LANDMARK'),
      narrative: marker('NARRATIVE'),
      reporterName: marker('REPORTERNAME'),
      screening: marker('SCREENING'),
      note: marker('NOTE'),
      rejection: marker('REJECTION'),
      withdrawal: marker('WITHDRAWAL'),
      override: marker('OVERRIDE'),
    };
    const report = sampleReport({
      location: {
        admin_area: SIDES.A.adminArea,
        place_type: 'brick_kiln',
        landmark: markers.landmark,
        coordinates: { latitude: 31.47, longitude: 74.27 },
      },
      narrative: markers.narrative,
      reporter: { mode: 'share', contact: { name: markers.reporterName, phone: '+92 300 7654321', safe_to_contact: true } },
    });
    must(await w.call('POST', '/v1/reports', { key: w.publishable.live, body: report, headers: { origin: TEST_ORIGIN } }), 201, 'report');
    const reportId = String(report['id']);
    const kase = must(
      await w.call('POST', '/v1/cases', {
        key: k.supervisor,
        body: { report_ids: [reportId], screening_outcome: 'screened_in', screening_reason: markers.screening, protection_concerns: [] },
      }),
      201,
      'case',
    );
    const caseId = String(kase.id);
    const consent = must(
      await w.call('POST', '/v1/consents', {
        key: k.supervisor,
        body: {
          case_id: caseId,
          grantor: 'guardian',
          basis: 'consent',
          scope: { service_types: ['shelter'], organization_ids: 'any' },
          obtained_at: new Date(Date.now() - 60_000).toISOString(),
        },
      }),
      201,
      'consent',
    );
    const first = must(
      await w.call('POST', '/v1/referrals', {
        key: k.supervisor,
        body: { case_id: caseId, service_id: SIDES.A.service, note: markers.note },
      }),
      201,
      'referral',
    );
    must(await w.call('POST', `/v1/referrals/${first.id}/transitions`, { key: k.supervisor, body: { to: 'requested' } }), 200, 'requested');
    must(
      await w.call('POST', `/v1/referrals/${first.id}/transitions`, {
        key: k.provider,
        body: { to: 'rejected', reason: markers.rejection },
      }),
      200,
      'rejected',
    );
    must(
      await w.call('POST', `/v1/consents/${consent.id}/withdraw`, { key: k.supervisor, body: { reason: markers.withdrawal } }),
      200,
      'withdrawn',
    );
    const second = must(
      await w.call('POST', '/v1/referrals', { key: k.supervisor, body: { case_id: caseId, service_id: SIDES.A.service } }),
      201,
      'referral',
    );
    must(
      await w.call('POST', `/v1/referrals/${second.id}/transitions`, {
        key: k.supervisor,
        body: { to: 'requested', override: { reason: markers.override } },
      }),
      200,
      'override',
    );
    return { reportId, caseId, referralIds: [String(first.id), String(second.id)], markers };
  }

  async function erase(ids: { reportId: string; caseId: string }, url = w.url): Promise<void> {
    for (const [target_type, target_id] of [
      ['report', ids.reportId],
      ['case', ids.caseId],
    ]) {
      must(
        await call(url, 'POST', '/v1/erasures', {
          key: w.keys.live.A.admin,
          body: { target_type, target_id, reason: 'Erasure requested by the family.' },
        }),
        201,
        'erasure',
      );
    }
  }

  it('stores the landmark and coordinates sealed, not in the clear details', async () => {
    const { reportId, markers } = await objectsWithMarkers();
    const row = await w.t.server.database.db.selectFrom('reports').selectAll().where('id', '=', reportId).executeTakeFirstOrThrow();
    expect(row.details).not.toContain(markers.landmark);
    expect(JSON.parse(row.details).location).toEqual({ admin_area: SIDES.A.adminArea, place_type: 'brick_kiln' });
    expect(row.location_enc).toMatch(/^v2\./);
    const read = must(await w.call('GET', `/v1/reports/${reportId}`, { key: w.keys.live.A.intake }), 200, 'read');
    expect(read.location).toEqual({
      admin_area: SIDES.A.adminArea,
      place_type: 'brick_kiln',
      landmark: markers.landmark,
      coordinates: { latitude: 31.47, longitude: 74.27 },
    });
  });

  if (backend.name === 'sqlite') {
    it('leaves neither the markers nor the erased ciphertexts in the SQLite file, its WAL or shared memory', async () => {
      const objects = await objectsWithMarkers();
      const sealed = await ciphertextsOf(w.t.server.database.db, objects);
      expect(Object.keys(sealed).length).toBeGreaterThan(6);
      const path = w.t.target.sqlitePath ?? '';
      expect(foundIn(sqliteBytes(path), sealed).length, 'the ciphertexts are in the files before erasure').toBeGreaterThan(0);
      await erase(objects);
      const bytes = sqliteBytes(path);
      expect(foundIn(bytes, objects.markers), 'markers in the files').toEqual([]);
      expect(foundIn(bytes, sealed), 'erased ciphertexts in the files').toEqual([]);
      expect(existsSync(`${path}-wal`) ? readFileSync(`${path}-wal`).length : 0, 'the WAL is emptied').toBe(0);
    });

    it('leaves no client-address hash of a purged rate-limit bucket in the files', async () => {
      const db = w.t.server.database.db;
      // Buckets of client addresses (`client:<hash>`, `pk:<key id>:<hash>`); `key:<api key id>` names no address.
      const buckets = (await db.selectFrom('rate_limit_buckets').select('bucket').execute())
        .map((row) => row.bucket)
        .filter((bucket) => !bucket.startsWith('key:'));
      expect(buckets.length).toBeGreaterThan(0);
      const hashes = Object.fromEntries(buckets.map((bucket, i) => [`bucket ${i}`, bucket.slice(bucket.lastIndexOf(':') + 1)]));
      const purged = await purgeRateLimitBuckets(db, () => Date.now() + 3_600_000);
      expect(purged).toBeGreaterThan(0);
      // What the server's maintenance does after a purge that deleted rows.
      expect(checkpointSqliteWal(sqliteFileOf(db) as NonNullable<ReturnType<typeof sqliteFileOf>>)).toBe(true);
      expect(foundIn(sqliteBytes(w.t.target.sqlitePath ?? ''), hashes)).toEqual([]);
    });
  } else {
    it('never lets a plaintext marker reach PostgreSQL: tables, dead tuples, TOAST and WAL', async () => {
      const objects = await objectsWithMarkers();
      await erase(objects);
      const url = (w.t.target.config as { postgres: string }).postgres;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query('checkpoint');
        const relations = await client.query<{ path: string }>(
          `select pg_relation_filepath(c.oid) as path from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname in ('public', 'pg_toast') and c.relkind in ('r', 't', 'i') and pg_relation_filepath(c.oid) is not null`,
        );
        expect(relations.rows.length).toBeGreaterThan(10);
        const chunks: string[] = [];
        for (const { path } of relations.rows) {
          const file = await client.query<{ bytes: Buffer }>('select pg_read_binary_file($1, 0, 100000000, true) as bytes', [path]);
          if (file.rows[0]?.bytes !== null && file.rows[0]?.bytes !== undefined) chunks.push(file.rows[0].bytes.toString('latin1'));
        }
        // WAL segments written since the test began, judged on the database server's clock (its file
        // times): this process's clock may be another (the date check fakes it), so only the time
        // elapsed, from the monotonic clock, is carried over.
        const elapsedSeconds = Math.ceil((performance.now() - started) / 1000) + 5;
        const wal = await client.query<{ name: string }>(
          'select name from pg_ls_waldir() where modification >= now() - make_interval(secs => $1) order by name',
          [elapsedSeconds],
        );
        expect(wal.rows.length).toBeGreaterThan(0);
        for (const { name } of wal.rows) {
          const file = await client.query<{ bytes: Buffer }>('select pg_read_binary_file($1, 0, 100000000, true) as bytes', [
            `pg_wal/${name}`,
          ]);
          if (file.rows[0]?.bytes !== null && file.rows[0]?.bytes !== undefined) chunks.push(file.rows[0].bytes.toString('latin1'));
        }
        const bytes = chunks.join('\n');
        // The files are this database's: the ids of its objects are in them.
        expect(bytes).toContain(objects.caseId);
        expect(foundIn(bytes, objects.markers)).toEqual([]);
      } finally {
        await client.end();
      }
    });
  }

  it('erases again, at start, what a database restored from a backup taken before the erasure brings back', async () => {
    const objects = await objectsWithMarkers();
    const sealed = await ciphertextsOf(w.t.server.database.db, objects);
    const backup = await takeBackup(w, journal);
    try {
      await erase(objects, backup.server.url);
      expect(readdirSync(journal).length, 'the erasures are journalled').toBeGreaterThan(0);
      await backup.server.close();
      const restored = await backup.restore();
      const server = await startReferralServer({
        database: restored,
        port: 0,
        encryptionKey: w.t.encryptionKey,
        erasureJournal: journal,
        log: false,
        rateLimit: false,
        webhooks: false,
      });
      try {
        const k = w.keys.live.A;
        expect((await call(server.url, 'GET', `/v1/reports/${objects.reportId}`, { key: k.intake })).status).toBe(404);
        expect((await call(server.url, 'GET', `/v1/cases/${objects.caseId}`, { key: k.supervisor })).status).toBe(404);
        const answers: string[] = [];
        for (const id of objects.referralIds) {
          for (const key of [k.supervisor, k.provider]) answers.push((await call(server.url, 'GET', `/v1/referrals/${id}`, { key })).text);
        }
        answers.push((await call(server.url, 'GET', `/v1/consents?case_id=${objects.caseId}`, { key: k.supervisor })).text);
        expect(foundIn(answers.join('\n'), objects.markers)).toEqual([]);
        if ('sqlite' in restored) {
          const bytes = sqliteBytes(restored.sqlite);
          expect(foundIn(bytes, objects.markers)).toEqual([]);
          expect(foundIn(bytes, sealed), 'erased ciphertexts in the restored file').toEqual([]);
        }
      } finally {
        await server.close();
      }
    } finally {
      await backup.cleanup();
    }
  });
});

/**
 * A copy of the database as a backup tool takes it, the server to go on with, and how to put the
 * copy back. The world's own server is done with afterwards (its database stays, for cleanup).
 */
async function takeBackup(
  w: World,
  journal: string,
): Promise<{
  server: ReferralServer;
  restore(): Promise<{ sqlite: string } | { postgres: string }>;
  cleanup(): Promise<void>;
}> {
  const target = w.t.target;
  if (target.sqlitePath !== undefined) {
    const path = target.sqlitePath;
    const copy = `${path}.backup`;
    await sql`vacuum into ${sql.lit(copy)}`.execute(w.t.server.database.db);
    return {
      server: w.t.server,
      async restore() {
        for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
        copyFileSync(copy, path);
        return { sqlite: path };
      },
      async cleanup() {
        rmSync(copy, { force: true });
      },
    };
  }
  // PostgreSQL: a copy of the whole database (what pg_dump and a restore amount to), taken while no one is connected.
  const url = (target.config as { postgres: string }).postgres;
  await w.t.server.close();
  const source = decodeURIComponent(new URL(url).pathname.slice(1));
  const backupUrl = await createPostgresDatabase(POSTGRES_TEST_URL, 'tz_backup');
  const backupName = decodeURIComponent(new URL(backupUrl).pathname.slice(1));
  const admin = new pg.Client({ connectionString: POSTGRES_TEST_URL });
  await admin.connect();
  try {
    await admin.query(`drop database "${backupName}"`);
    await admin.query(`create database "${backupName}" template "${source}"`);
  } finally {
    await admin.end();
  }
  const server = await startReferralServer({
    database: target.config,
    port: 0,
    encryptionKey: w.t.encryptionKey,
    erasureJournal: journal,
    log: false,
    rateLimit: false,
    webhooks: false,
  });
  return {
    server,
    async restore() {
      return { postgres: backupUrl };
    },
    async cleanup() {
      await dropPostgresDatabases([backupUrl]);
    },
  };
}

describeEachBackend('client-address hashes in demo mode', (backend) => {
  it('cannot be recomputed from the encryption key that demo mode keeps in the database', async () => {
    const target = await backend.create();
    try {
      const setup = await openDatabase(target.config);
      const keys = await seedDemo(setup.db, { mode: 'test', origins: [TEST_ORIGIN] });
      await setup.close();
      const server = await startReferralServer({ database: target.config, port: 0, demo: true, log: false, webhooks: false });
      try {
        for (let i = 0; i < 3; i += 1) {
          const answer = await call(server.url, 'POST', '/v1/reports', {
            key: keys.publishableKey,
            body: sampleReport(),
            headers: { origin: TEST_ORIGIN },
          });
          expect(answer.status).toBe(201);
        }
        const db = server.database.db;
        const demoKey = await db.selectFrom('settings').select('value').where('name', '=', 'demo_encryption_key').executeTakeFirstOrThrow();
        // What anyone with a copy of the file can compute, for every loopback address.
        const attacker = createFieldCipher(parseEncryptionKey(demoKey.value));
        const guesses = ['127.0.0.1', '::1', '::ffff:127.0.0.1', '0:0:0:0::/64'].map((address) =>
          attacker.keyedHash(address, 'rate-limit-client'),
        );
        const buckets = (await db.selectFrom('rate_limit_buckets').select('bucket').execute()).map((row) => row.bucket);
        expect(buckets.filter((bucket) => !bucket.startsWith('key:')).length).toBeGreaterThan(0);
        expect(buckets.filter((bucket) => guesses.some((guess) => bucket.includes(guess)))).toEqual([]);
      } finally {
        await server.close();
      }
    } finally {
      await target.cleanup();
    }
  });
});
