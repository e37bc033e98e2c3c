import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  createFieldCipher,
  encryptionStatus,
  generateEncryptionKey,
  openDatabase,
  parseEncryptionKey,
  rotateEncryption,
} from '@tahaffuz/referral-server';
import { sqliteBackend as sqlite } from '@tahaffuz/test-kit';
import { BUILT_CLI, builtCliAvailable } from '../test-support/server-process.js';
import { call, sampleReport, startTestServer } from '../test-support/test-server.js';
import { SEALED_COLUMNS } from './sealed-columns.js';

// The real-process crash runs on SQLite; rotate-encryption.test.ts fails a batch midway on both
// backends.

describe('encryption rotate killed midway [sqlite]', () => {
  const backend = sqlite;
  it('leaves every value readable with the current and previous keys, and a second run finishes', async () => {
    if (!builtCliAvailable('the killed-rotation test')) return;
    const [keyA, keyB] = [generateEncryptionKey(), generateEncryptionKey()];
    const t = await startTestServer(backend, { encryptionKey: keyA, webhooks: false });
    try {
      const narratives = new Map<string, string>();
      await Promise.all(
        Array.from({ length: 4 }, async (_, lane) => {
          for (let i = 0; i < 75; i += 1) {
            const body = sampleReport({ narrative: `Narrative ${lane}-${i} about the kiln` });
            narratives.set(String(body['id']), String(body['narrative']));
            expect((await call(t.server.url, 'POST', '/v1/reports', { key: t.keys.publishableKey, body })).status).toBe(201);
          }
        }),
      );
      await t.server.close();
      const child = spawn(process.execPath, [BUILT_CLI, 'encryption', 'rotate', '--batch-size', '1', '--db', t.target.sqlitePath ?? ''], {
        env: { ...process.env, TAHAFFUZ_ENCRYPTION_KEY: keyB, TAHAFFUZ_ENCRYPTION_KEYS_PREVIOUS: keyA },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = new Promise((done) => child.once('exit', done));
      const db = await openDatabase(t.target.config);
      const idB = createFieldCipher(parseEncryptionKey(keyB)).keyId;
      // Kill it once it has rewritten some values and before it is done.
      for (let i = 0; i < 400; i += 1) {
        const status = await encryptionStatus(db.db);
        if ((status.byKeyId[idB] ?? 0) >= 20) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      child.kill('SIGKILL');
      await exited;
      const both = createFieldCipher(parseEncryptionKey(keyB), [parseEncryptionKey(keyA)]);
      const midway = await encryptionStatus(db.db, both);
      expect(midway.byKeyId[idB]).toBeGreaterThanOrEqual(20);
      expect(midway.notCurrent).toBeGreaterThan(0);
      const column = SEALED_COLUMNS.find((c) => c.label === 'reports.free_text_enc');
      expect(column).toBeDefined();
      const rows = await db.db.selectFrom('reports').select(['id', 'free_text_enc']).execute();
      for (const row of rows) {
        expect(JSON.parse(both.decrypt(row.free_text_enc ?? '', column?.context?.({ id: row.id }) ?? '')).narrative).toBe(
          narratives.get(row.id),
        );
      }
      const resumed = await rotateEncryption(db.db, both, { batchSize: 50 });
      expect([resumed.finished, resumed.unreadable, resumed.status.notCurrent]).toEqual([true, 0, 0]);
      expect(resumed.rewrapped).toBe(midway.notCurrent);
      await db.close();
    } finally {
      await t.target.cleanup();
    }
  }, 60_000);
});
