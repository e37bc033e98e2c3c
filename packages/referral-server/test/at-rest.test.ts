import { randomBytes, randomInt } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RequestLogEntry } from '../src/http/server-context.js';
import { describeEachBackend } from '@tahaffuz/test-kit';
import { sampleReport } from '../src/test-support/test-server.js';
import { must, SIDES, startWorld, type World } from './support/world.js';

/*
 * Privacy at rest: after reports (from a page and from a partner), cases, consents and referrals
 * carrying known markers in every free-text and contact field, the raw database — the SQLite file
 * with its -wal and -shm, or every row of every table of the PostgreSQL schema — holds none of them
 * in plaintext, nor the reporter's IP address; the request log holds none either (also after a
 * provider read the share-mode contact through the referral's case summary). The API still
 * answers the markers, so they were stored (encrypted), not dropped.
 */

function marker(label: string): string {
  return `${label}-${randomBytes(6).toString('hex')}`;
}

describeEachBackend('data at rest', (backend) => {
  let w: World;
  const logged: RequestLogEntry[] = [];
  const digits = String(randomInt(1_000_000, 9_999_999));
  const secrets = {
    narrative: marker('NARRATIVE'),
    suspects: marker('SUSPECT'),
    name: marker('REPORTERNAME'),
    email: `${marker('mail')}@example.org`,
    phone: `+92 321 ${digits}`,
    safeTimes: marker('SAFETIMES'),
    landmark: marker('LANDMARK'),
  };
  /*
   * Free text the server encrypts as well (screening reason, referral note and status reason,
   * withdrawal reason). POST responses carry them decrypted, so this also covers the stored
   * idempotent responses.
   */
  const serverEncrypted = {
    screening: marker('SCREENING'),
    note: marker('REFERRALNOTE'),
    rejection: marker('REJECTREASON'),
    withdrawal: marker('WITHDRAWREASON'),
    override: marker('OVERRIDEREASON'),
  };
  const ids: string[] = [];

  beforeAll(async () => {
    // Rate limits on, so the client address is seen (it may only be kept as a keyed hash).
    w = await startWorld(backend, {
      rateLimit: { perKey: { limit: 10_000, windowMs: 60_000 }, perClient: { limit: 10_000, windowMs: 60_000 } },
      log: (entry) => logged.push(entry),
    });
    const reporter = {
      mode: 'share',
      contact: { name: secrets.name, phone: secrets.phone, email: secrets.email, safe_to_contact: true, safe_times: secrets.safeTimes },
    };
    const fromPage = sampleReport({
      location: {
        admin_area: 'PK-PB-LHR',
        place_type: 'brick_kiln',
        landmark: secrets.landmark,
        coordinates: { latitude: 31.52, longitude: 74.35 },
      },
      narrative: `${secrets.narrative} children at the kiln`,
      suspects: { description: secrets.suspects },
      reporter,
    });
    must(await w.call('POST', '/v1/reports', { key: w.publishable.live, body: fromPage }), 201, 'report from a page');
    const fromPartner = sampleReport({ narrative: `${secrets.narrative} second report`, reporter: { ...reporter, mode: 'confidential' } });
    must(await w.call('POST', '/v1/reports', { key: w.keys.test.A.intake, body: fromPartner }), 201, 'report from a partner');
    ids.push(String(fromPage['id']), String(fromPartner['id']));

    const supervisor = w.keys.live.A.supervisor;
    const kase = must(
      await w.call('POST', '/v1/cases', {
        key: supervisor,
        body: {
          report_ids: [fromPage['id']],
          screening_outcome: 'screened_in',
          screening_reason: serverEncrypted.screening,
          protection_concerns: ['bonded_labour'],
        },
      }),
      201,
      'case',
    );
    ids.push(String(kase.id));
    const consent = must(
      await w.call('POST', '/v1/consents', {
        key: supervisor,
        body: {
          case_id: kase.id,
          grantor: 'guardian',
          basis: 'consent',
          scope: { service_types: ['shelter'], organization_ids: 'any' },
          obtained_at: new Date(Date.now() - 60_000).toISOString(),
        },
      }),
      201,
      'consent',
    );
    const referral = must(
      await w.call('POST', '/v1/referrals', {
        key: supervisor,
        body: { case_id: kase.id, service_id: SIDES.A.service, note: serverEncrypted.note },
      }),
      201,
      'referral',
    );
    must(
      await w.call('POST', `/v1/referrals/${referral.id}/transitions`, { key: supervisor, body: { to: 'requested' } }),
      200,
      'requested',
    );
    // The shelter reads the case summary: the share-mode contact, decrypted for it, is still never stored or logged in clear.
    const summary = must(await w.call('GET', `/v1/referrals/${referral.id}/case`, { key: w.keys.live.A.provider }), 200, 'case summary');
    expect(JSON.stringify(summary)).toContain(secrets.name);
    expect(JSON.stringify(summary)).not.toContain(secrets.narrative);
    must(
      await w.call('POST', `/v1/referrals/${referral.id}/transitions`, {
        key: w.keys.live.A.provider,
        body: { to: 'rejected', reason: serverEncrypted.rejection },
      }),
      200,
      'rejected',
    );
    must(
      await w.call('POST', `/v1/consents/${consent.id}/withdraw`, { key: supervisor, body: { reason: serverEncrypted.withdrawal } }),
      200,
      'withdrawn',
    );
    // The consent is withdrawn now: a supervisor overrides, with a reason, to request another referral.
    const overridden = must(
      await w.call('POST', '/v1/referrals', { key: supervisor, body: { case_id: kase.id, service_id: SIDES.A.service } }),
      201,
      'second referral',
    );
    const requested = must(
      await w.call('POST', `/v1/referrals/${overridden.id}/transitions`, {
        key: supervisor,
        body: { to: 'requested', override: { reason: serverEncrypted.override } },
      }),
      200,
      'override',
    );
    expect(requested.consent_override).toMatchObject({ reason: serverEncrypted.override });
    // The shelter reads the summary (no landmark: only police get it) and the referral (without the override's reason).
    const shelterSummary = must(
      await w.call('GET', `/v1/referrals/${overridden.id}/case`, { key: w.keys.live.A.provider }),
      200,
      'summary',
    );
    expect(JSON.stringify(shelterSummary)).not.toContain(secrets.landmark);
    const shelterView = must(await w.call('GET', `/v1/referrals/${overridden.id}`, { key: w.keys.live.A.provider }), 200, 'shelter view');
    expect(shelterView.consent_override).toMatchObject({ reason: null });
    // Reads are audited: they must not copy plaintext anywhere either.
    const read = must(await w.call('GET', `/v1/reports/${String(fromPage['id'])}`, { key: w.keys.live.A.intake }), 200, 'read');
    expect(JSON.stringify(read)).toContain(secrets.narrative);
    expect(JSON.stringify(read)).toContain(secrets.name);
    const readReferral = must(await w.call('GET', `/v1/referrals/${referral.id}`, { key: supervisor }), 200, 'read referral');
    expect(readReferral).toMatchObject({ note: serverEncrypted.note, status_reason: serverEncrypted.rejection });
  });
  afterAll(async () => w?.stop());

  function assertNoPlaintext(text: string): void {
    expect(
      ids.filter((id) => !text.includes(id)),
      'the data read is this server’s',
    ).toEqual([]);
    const found = Object.entries({ ...secrets, ...serverEncrypted }).flatMap(([field, value]) => (text.includes(value) ? [field] : []));
    if (text.includes(digits)) found.push('phone digits');
    if (/127\.0\.0\.1(?!:\d)/.test(text)) found.push('reporter IP address');
    expect(found, 'fields found in plaintext').toEqual([]);
  }

  if (backend.name === 'sqlite') {
    it('leaves no narrative, contact or free text in the SQLite file, its WAL or shared memory', async () => {
      const path = w.t.target.sqlitePath ?? '';
      const files = [path, `${path}-wal`, `${path}-shm`].filter((p) => existsSync(p));
      expect(files).toContain(path);
      assertNoPlaintext(files.map((p) => readFileSync(p).toString('latin1')).join('\n'));
      // Also in UTF-16, in case a column were stored so.
      const utf16 = files.map((p) => readFileSync(p).toString('utf16le')).join('\n');
      expect(
        Object.entries({ ...secrets, ...serverEncrypted }).flatMap(([field, value]) => (utf16.includes(value) ? [field] : [])),
      ).toEqual([]);
    });
  } else {
    it('leaves no narrative, contact or free text in any row of any table of the PostgreSQL schema', async () => {
      // The test's own database: its tables are in `public`.
      const schema = 'public';
      const client = new pg.Client({ connectionString: (w.t.target.config as { postgres: string }).postgres });
      await client.connect();
      try {
        const tables = await client.query<{ table_name: string }>(
          'select table_name from information_schema.tables where table_schema = $1',
          [schema],
        );
        expect(tables.rows.map((r) => r.table_name)).toEqual(
          expect.arrayContaining(['reports', 'cases', 'referrals', 'consents', 'audit_events']),
        );
        const dump: string[] = [];
        for (const { table_name } of tables.rows) {
          const rows = await client.query<{ row: string }>(`select row_to_json(t)::text as row from "${schema}"."${table_name}" t`);
          dump.push(...rows.rows.map((r) => r.row));
        }
        assertNoPlaintext(dump.join('\n'));
      } finally {
        await client.end();
      }
    });
  }

  it('logs ids, routes, statuses and timings only', () => {
    expect(logged.length).toBeGreaterThan(8);
    const text = JSON.stringify(logged);
    for (const value of [...Object.values(secrets), ...Object.values(serverEncrypted)]) expect(text).not.toContain(value);
    for (const entry of logged) {
      expect(
        Object.keys(entry).every((k) => ['request_id', 'method', 'route', 'status', 'duration_ms', 'key_id', 'operation'].includes(k)),
      ).toBe(true);
      expect(entry.route).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    }
  });
});
