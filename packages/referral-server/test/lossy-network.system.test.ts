import { randomUUID } from 'node:crypto';
import { createReferralClient, type ReportReceipt } from '@tahaffuz/referral-client';
import { generateEncryptionKey, seedDemo, startReferralServer } from '@tahaffuz/referral-server';
import { expect, it } from 'vitest';
import { describeEachBackend } from '@tahaffuz/test-kit';
import { startLossyProxy } from './lossy-proxy.js';

/*
 * 1,000 reports.create from 20 concurrent workers through a proxy that drops 10% of requests,
 * drops 10% of responses after the server committed and stalls 2% of connections. The client runs
 * with its defaults — nothing tuned for this test — and every report must end up stored exactly
 * once, with the receipt the caller got being the stored one.
 */

const REPORTS = 1000;
const WORKERS = 20;
const SEED = 0x7a4f_2026;

function reportInput(id: string, i: number) {
  return {
    id,
    categories: i % 3 === 0 ? (['bonded_labour', 'child_labour'] as const) : (['child_trafficking'] as const),
    happening_now: i % 2 === 0,
    location: { admin_area: i % 2 === 0 ? 'PK-PB-LHR' : 'PK-PB', place_type: 'brick_kiln' as const },
    narrative: `Lossy-network test report ${i}: children seen at work before dawn.`,
    reporter: { mode: 'anonymous' as const },
    locale: 'en',
  };
}

describeEachBackend('1,000 reports.create through a lossy network, client defaults', (backend) => {
  it('ends with 0 lost, 0 duplicated, 0 errors, and every receipt is the stored one', async () => {
    const database = await backend.create();
    const server = await startReferralServer({
      database: database.config,
      port: 0,
      encryptionKey: generateEncryptionKey(),
      log: false,
      // No rate limits: 1,000 creates from one address in seconds is this test, not abuse, and
      // the limiter's own writes (two commits per request on SQLite) would double the runtime.
      rateLimit: false,
    });
    const proxy = await startLossyProxy({ target: server.url, seed: SEED });
    try {
      const { secretKeys } = await seedDemo(server.database.db);
      const lossy = createReferralClient({ baseUrl: proxy.url, apiKey: secretKeys.intake });

      const ids = Array.from({ length: REPORTS }, () => randomUUID());
      const receipts = new Map<string, ReportReceipt>();
      const errors: Array<{ i: number; error: unknown }> = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: WORKERS }, async () => {
          while (next < REPORTS) {
            const i = next;
            next += 1;
            const id = ids[i]!;
            try {
              receipts.set(id, await lossy.reports.create(reportInput(id, i)));
            } catch (error) {
              errors.push({ i, error });
            }
          }
        }),
      );

      // The network really was lossy, at about the configured rates.
      const stats = proxy.stats();
      expect(stats.droppedRequests).toBeGreaterThan(50);
      expect(stats.droppedResponses).toBeGreaterThan(50);
      expect(stats.stalled).toBeGreaterThan(5);
      expect(stats.upstreamFailures).toEqual([]);

      // 0 errors: every call returned its own report's receipt.
      expect(errors.map(({ i, error }) => `${i}: ${String(error)}`)).toEqual([]);
      expect(receipts.size).toBe(REPORTS);
      for (const [id, receipt] of receipts) expect(receipt.id).toBe(id);

      // 0 lost, 0 duplicated, read through the API (without the proxy)...
      const direct = createReferralClient({ baseUrl: server.url, apiKey: secretKeys.intake });
      const seen = new Map<string, number>();
      const storedReference = new Map<string, string>();
      for await (const report of direct.reports.list({ page_size: 100 })) {
        seen.set(report.id, (seen.get(report.id) ?? 0) + 1);
        storedReference.set(report.id, report.reference);
      }
      expect(seen.size).toBe(REPORTS);
      expect([...seen.values()].every((count) => count === 1)).toBe(true);
      for (const [id, receipt] of receipts) expect(storedReference.get(id)).toBe(receipt.reference);

      // ...and counted in the database itself.
      const db = server.database.db;
      const counted = await db
        .selectFrom('reports')
        .select((eb) => [eb.fn.countAll<number>().as('rows'), eb.fn.count<number>('id').distinct().as('ids')])
        .executeTakeFirstOrThrow();
      expect(Number(counted.rows)).toBe(REPORTS);
      expect(Number(counted.ids)).toBe(REPORTS);
      const references = await db.selectFrom('reports').select('reference').execute();
      expect(new Set(references.map((row) => row.reference)).size).toBe(REPORTS);
    } finally {
      await proxy.close();
      await server.close();
      await database.cleanup();
    }
  }, 170_000);
});
