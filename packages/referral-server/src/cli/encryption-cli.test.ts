import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFieldCipher, generateEncryptionKey, parseEncryptionKey } from '@tahaffuz/referral-server';
import { call, sampleReport } from '../test-support/test-server.js';
import { runCli } from './run-cli.js';

describe('tahaffuz-server encryption status|rotate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tahaffuz-cli-keys-'));
  const dbPath = join(dir, 'tahaffuz.db');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function run(args: string[], env: Record<string, string> = {}) {
    const out: string[] = [];
    const err: string[] = [];
    const result = await runCli([...args, '--db', dbPath], { out: (l) => out.push(l), err: (l) => err.push(l), env });
    return { result, out: out.join('\n'), err: err.join('\n') };
  }

  it('rotates to a new key with counts only, after which the old key can go', async () => {
    const [oldKey, newKey] = [generateEncryptionKey(), generateEncryptionKey()];
    const [oldId, newId] = [oldKey, newKey].map((key) => createFieldCipher(parseEncryptionKey(key)).keyId);
    const seeded = await run(['seed', '--demo', '--origin', 'https://partner.example.org']);
    const publishable = /publishable\s+(\S+)/.exec(seeded.out)?.[1] ?? '';
    const intake = /intake\s+(\S+)/.exec(seeded.out)?.[1] ?? '';
    const report = sampleReport();
    const started = await run(['start', '--port', '0'], { TAHAFFUZ_ENCRYPTION_KEY: oldKey });
    if (typeof started.result === 'number') throw new Error(started.err);
    const url = /listening on (\S+)/.exec(started.err)?.[1] ?? '';
    expect((await call(url, 'POST', '/v1/reports', { key: publishable, body: report })).status).toBe(201);
    await started.result.stop();

    const before = await run(['encryption', 'status'], { TAHAFFUZ_ENCRYPTION_KEY: oldKey });
    expect(before.result).toBe(0);
    expect(before.out).toMatch(new RegExp(`reports\\.free_text_enc\\s+${oldId} \\(current\\): 1`));
    expect(before.out).toMatch(/Every value is under the current key/);

    expect((await run(['encryption', 'rotate'])).err).toMatch(/Set TAHAFFUZ_ENCRYPTION_KEY to the new key/);
    expect((await run(['encryption', 'rotate', '--batch-size', '0'], { TAHAFFUZ_ENCRYPTION_KEY: newKey })).result).toBe(2);
    const withoutOld = await run(['encryption', 'rotate'], { TAHAFFUZ_ENCRYPTION_KEY: newKey });
    expect(withoutOld.result).toBe(1);
    expect(withoutOld.err).toContain(`key id ${oldId}`);

    const env = { TAHAFFUZ_ENCRYPTION_KEY: newKey, TAHAFFUZ_ENCRYPTION_KEYS_PREVIOUS: oldKey };
    const midway = await run(['encryption', 'status'], env);
    expect(midway.out).toMatch(new RegExp(`${oldId} \\(previous\\): 1`));
    expect(midway.out).toMatch(/value\(s\) are not under the current key.*encryption rotate/);
    const rotated = await run(['encryption', 'rotate', '--batch-size', '2', '--compact'], env);
    expect(rotated.result).toBe(0);
    expect(rotated.out).toMatch(/reports\.free_text_enc\s+rewritten 1, changed meanwhile 0, unreadable 0/);
    expect(rotated.out).toMatch(new RegExp(`Done: every value is under key id ${newId}`));
    expect(rotated.out + rotated.err).not.toContain(String(report['narrative']).slice(0, 20));
    expect((await run(['encryption', 'rotate'], env)).out).not.toMatch(/rewritten [1-9]/);

    const after = await run(['encryption', 'status'], { TAHAFFUZ_ENCRYPTION_KEY: newKey });
    expect(after.out).not.toContain(oldId);
    expect(after.out).toMatch(/No previous key is needed/);
    const restarted = await run(['start', '--port', '0'], { TAHAFFUZ_ENCRYPTION_KEY: newKey });
    if (typeof restarted.result === 'number') throw new Error(restarted.err);
    try {
      const got = await call(/listening on (\S+)/.exec(restarted.err)?.[1] ?? '', 'GET', `/v1/reports/${String(report['id'])}`, {
        key: intake,
      });
      expect(got.json.narrative).toBe(report['narrative']);
    } finally {
      await restarted.result.stop();
    }
    const oldOnly = await run(['start', '--port', '0'], { TAHAFFUZ_ENCRYPTION_KEY: oldKey });
    expect(oldOnly.result).toBe(1);
    expect(oldOnly.err).toContain(`key id ${newId}`);
  });
});
