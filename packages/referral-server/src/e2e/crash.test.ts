import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateEncryptionKey } from '../crypto/field-cipher.js';
import { seedDemo } from '../demo/seed-demo.js';
import { openDatabase } from '../storage/open-database.js';
import { builtCliAvailable, startServerProcess, stopProcess } from '../test-support/server-process.js';
import { call, sampleReport } from '../test-support/test-server.js';

describe('crash: SIGKILL while creates are in flight, restart on the same SQLite file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tahaffuz-crash-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every report that got a 201, once', async () => {
    if (!builtCliAvailable('the crash test')) return;
    const path = join(dir, 'tahaffuz.db');
    const env = { TAHAFFUZ_ENCRYPTION_KEY: generateEncryptionKey() };
    const setup = await openDatabase({ sqlite: path });
    const keys = await seedDemo(setup.db, { mode: 'test', origins: ['https://partner.example.org'] });
    await setup.close();

    const first = await startServerProcess(['--db', path], env);
    const acknowledged: string[] = [];
    const unanswered: Array<{ report: Record<string, unknown>; idempotencyKey: string }> = [];
    let inFlight = 0;
    let killed = false;
    const worker = async () => {
      while (!killed) {
        const report = sampleReport();
        const idempotencyKey = randomUUID();
        inFlight += 1;
        try {
          const answer = await call(first.url, 'POST', '/v1/reports', { key: keys.publishableKey, body: report, idempotencyKey });
          if (answer.status === 201) acknowledged.push(String(report['id']));
          else if (!killed) throw new Error(`unexpected ${answer.status}`);
        } catch (error) {
          if (!killed) throw error;
          unanswered.push({ report, idempotencyKey });
        } finally {
          inFlight -= 1;
        }
      }
    };
    const workers = Array.from({ length: 10 }, worker);
    // Kill once a good number went through and several requests are open at that very moment.
    while (acknowledged.length < 40 || inFlight < 5) await new Promise((r) => setTimeout(r, 1));
    killed = true;
    await stopProcess(first.child, 'SIGKILL');
    await Promise.allSettled(workers);
    expect(unanswered.length).toBeGreaterThan(0);

    const second = await startServerProcess(['--db', path], env);
    try {
      for (const id of acknowledged) {
        const read = await call(second.url, 'GET', `/v1/reports/${id}`, { key: keys.secretKeys.intake });
        expect(read.status, id).toBe(200);
      }
      // Requests cut off by the crash are retried with their keys: stored once, never twice.
      for (const { report, idempotencyKey } of unanswered) {
        const retried = await call(second.url, 'POST', '/v1/reports', { key: keys.publishableKey, body: report, idempotencyKey });
        expect([201, 409]).toContain(retried.status);
      }
    } finally {
      await stopProcess(second.child);
    }
    const db = await openDatabase({ sqlite: path });
    const rows = await db.db.selectFrom('reports').select('id').execute();
    await db.close();
    const ids = rows.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of acknowledged) expect(ids).toContain(id);
  });
});
