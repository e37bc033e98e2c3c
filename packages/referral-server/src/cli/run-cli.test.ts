import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_ORGANIZATIONS, generateEncryptionKey, openDatabase } from '@tahaffuz/referral-server';
import { call, sampleReport } from '../test-support/test-server.js';
import { runCli } from './run-cli.js';

describe('tahaffuz-server CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tahaffuz-cli-'));
  const dbPath = join(dir, 'data', 'tahaffuz.db');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function run(args: string[], env: Record<string, string> = {}) {
    const out: string[] = [];
    const err: string[] = [];
    const result = await runCli([...args, '--db', dbPath], { out: (l) => out.push(l), err: (l) => err.push(l), env });
    return { result, out: out.join('\n'), err: err.join('\n') };
  }

  it('migrates, seeds demo data with one key per role, and manages keys', async () => {
    expect((await run(['migrate'])).result).toBe(0);
    const seeded = await run(['seed', '--demo', '--origin', 'https://partner.example.org']);
    expect(seeded.result).toBe(0);
    expect(seeded.out).toMatch(/DEMO/);
    for (const role of ['intake', 'caseworker', 'supervisor', 'provider', 'admin', 'operator']) {
      expect(seeded.out).toMatch(new RegExp(`${role}\\s+tz_sk_test_[0-9A-Za-z]{32}`));
    }
    expect(seeded.out).toMatch(/publishable\s+tz_pk_test_/);
    // An admin key for every demo organisation, and which key reads which province's reports.
    for (const name of [
      'National Intake Desk',
      'Punjab Child Protection Intake',
      'Sindh Child Protection Intake',
      'Karachi Legal Aid Clinic',
    ]) {
      expect(seeded.out).toMatch(new RegExp(`DEMO ${name}\\s+tz_sk_test_[0-9A-Za-z]{32}`));
    }
    expect(seeded.out).toMatch(/reports from PK-PB\s+DEMO Punjab Child Protection Intake\s+intake key tz_sk_test_/);
    expect(seeded.out).toMatch(/reports from PK-SD\s+DEMO Sindh Child Protection Intake\s+intake key tz_sk_test_/);
    expect(seeded.out).toMatch(/reports from elsewhere\s+DEMO National Intake Desk\s+intake key tz_sk_test_/);

    // The first operator key of a deployment comes from the CLI.
    const operator = await run(['keys', 'create', '--org', DEMO_ORGANIZATIONS.nationalIntake, '--role', 'operator']);
    expect(operator.result, operator.err).toBe(0);
    expect(operator.out).toMatch(/tz_sk_live_/);
    expect((await run(['keys', 'list'])).out).toMatch(/operator/);

    const created = await run(['keys', 'create', '--org', DEMO_ORGANIZATIONS.sindhIntake, '--role', 'caseworker']);
    expect(created.result).toBe(0);
    const [id, key] = created.out.split('\n')[0]?.split(/\s+/) ?? [];
    expect(key).toMatch(/^tz_sk_live_/);
    const listed = await run(['keys', 'list']);
    expect(listed.out).toContain(id);
    expect(listed.out).not.toContain(key);
    expect(listed.out).toContain(`…${key?.slice(-4) ?? ''}`);
    expect((await run(['keys', 'revoke', id ?? ''])).result).toBe(0);
    expect((await run(['keys', 'list'])).out).toMatch(new RegExp(`${id ?? ''}.*revoked`));
    expect((await run(['keys', 'revoke', id ?? ''])).result).toBe(1);

    const publishable = await run([
      'keys',
      'create',
      '--publishable',
      '--origin',
      'https://a.example',
      '--origin',
      'https://b.example',
      '--test',
    ]);
    expect(publishable.out).toMatch(/tz_pk_test_/);
  });

  it('explains wrong usage with exit code 2 and says what to do', async () => {
    const badRole = await run(['keys', 'create', '--org', DEMO_ORGANIZATIONS.sindhIntake, '--role', 'boss']);
    expect(badRole.result).toBe(2);
    expect(badRole.err).toMatch(/--role must be one of/);
    expect((await run(['keys', 'create', '--publishable'])).err).toMatch(/--origin/);
    expect((await run(['frobnicate'])).result).toBe(2);
    expect((await run(['start', '--bogus'])).result).toBe(2);
  });

  it('refuses to start without an encryption key, starts with one, and erases a report', async () => {
    const refused = await run(['start', '--port', '0']);
    expect(refused.result).toBe(1);
    expect(refused.err).toMatch(/TAHAFFUZ_ENCRYPTION_KEY/);

    const seeded = await run(['seed', '--demo', '--origin', 'https://partner.example.org']);
    const publishable = /publishable\s+(\S+)/.exec(seeded.out)?.[1] ?? '';
    const intake = /intake\s+(\S+)/.exec(seeded.out)?.[1] ?? '';
    // The database already holds demo data written in demo mode (key kept in the database).
    const started = await run(['start', '--port', '0', '--demo']);
    if (typeof started.result === 'number') throw new Error(started.err);
    const url = /listening on (\S+)/.exec(started.err)?.[1] ?? '';
    const report = sampleReport();
    try {
      expect((await call(url, 'POST', '/v1/reports', { key: publishable, body: report })).status).toBe(201);
      expect((await call(url, 'GET', `/v1/reports/${String(report['id'])}`, { key: intake })).json.narrative).toBe(report['narrative']);
    } finally {
      await started.result.stop();
    }
    expect((await run(['erase', 'report', String(report['id'])])).out).toMatch(/Erased/);
    expect((await run(['erase', 'report', '00000000-0000-4000-8000-000000000000'])).result).toBe(1);
    // Journalled beside the file, as the API's erasures are, so a restored backup is erased again at the next start.
    const journal = readdirSync(`${dbPath}.erasures`).map((name) => readFileSync(join(`${dbPath}.erasures`, name), 'utf8'));
    expect(journal.join('')).toContain(`"target":"report","id":"${String(report['id'])}"`);
    const db = await openDatabase({ sqlite: dbPath });
    const row = await db.db.selectFrom('reports').selectAll().where('id', '=', String(report['id'])).executeTakeFirstOrThrow();
    await db.close();
    expect(row.free_text_enc).toBeNull();
    expect(row.reporter_enc).toBeNull();
    expect(row.erased_at).not.toBeNull();
    expect(JSON.parse(row.details)).toEqual({ categories: report['categories'], location: { admin_area: 'PK-PB-LHR' } });
    const other = await run(['start', '--port', '0'], { TAHAFFUZ_ENCRYPTION_KEY: generateEncryptionKey() });
    expect(other.result).toBe(1);
    expect(other.err).toMatch(/not the one this database was written with/);
  });

  it('start --allow-webhook-target lets webhooks reach a private range (off by default), and refuses what is not one', async () => {
    const bad = await run(['start', '--port', '0', '--demo', '--allow-webhook-target', 'localhost']);
    expect(bad.result).toBe(2);
    expect(bad.err).toMatch(/Webhook target allow-list entry "localhost" is not an IP address or a CIDR range/);

    const seeded = await run(['seed', '--demo', '--origin', 'https://partner.example.org']);
    const admin = /^\s+admin\s+(tz_sk_test_\S+)/m.exec(seeded.out)?.[1] ?? '';
    expect(admin).not.toBe('');
    const subscribe = (server: string) =>
      call(server, 'POST', '/v1/webhooks', { key: admin, body: { url: 'http://127.0.0.1:9/hook', event_types: ['case.opened'] } });
    for (const [args, status] of [
      [[], 400],
      [['--allow-webhook-target', '10.0.0.0/8,127.0.0.0/8'], 201],
    ] as const) {
      const started = await run(['start', '--port', '0', '--demo', ...args]);
      if (typeof started.result === 'number') throw new Error(started.err);
      try {
        const url = /listening on (\S+)/.exec(started.err)?.[1] ?? '';
        expect((await subscribe(url)).status, args.join(' ')).toBe(status);
      } finally {
        await started.result.stop();
      }
    }
  });

  it('start --trust-proxy takes the client from the hop the proxy appended, and refuses what is not an address', async () => {
    const bad = await run(['start', '--port', '0', '--demo', '--trust-proxy', 'lb.internal']);
    expect(bad.result).toBe(2);
    expect(bad.err).toMatch(/Trusted proxy "lb\.internal" is not an IP address or a CIDR range/);

    const seeded = await run(['seed', '--demo', '--origin', 'https://partner.example.org']);
    const publishable = /publishable\s+(\S+)/.exec(seeded.out)?.[1] ?? '';
    const started = await run(['start', '--port', '0', '--demo', '--trust-proxy', '10.0.0.0/8,127.0.0.1']);
    if (typeof started.result === 'number') throw new Error(started.err);
    const url = /listening on (\S+)/.exec(started.err)?.[1] ?? '';
    try {
      const statuses: number[] = [];
      // 30 per minute per key and address by default; a fresh spoofed leftmost hop each time.
      for (let i = 0; i < 31; i += 1) {
        const forwarded = `203.0.113.${i + 1}, 198.51.100.7`;
        statuses.push(
          (await call(url, 'POST', '/v1/reports', { key: publishable, body: {}, headers: { 'x-forwarded-for': forwarded } })).status,
        );
      }
      expect(statuses.slice(0, 30).every((status) => status === 400)).toBe(true);
      expect(statuses[30]).toBe(429);
      const other = await call(url, 'POST', '/v1/reports', { key: publishable, body: {}, headers: { 'x-forwarded-for': '198.51.100.8' } });
      expect(other.status).toBe(400);
    } finally {
      await started.result.stop();
    }
  });
});
