import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReferralClient } from '../src/index.js';
import * as sample from './samples.js';

/** A small deterministic PRNG, so that a failure here can be replayed. */
function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * An idempotent report endpoint behind a lossy network: 10% of requests are dropped before
 * they are handled, 10% of responses are lost after the report was stored, and 2% of
 * connections stall. It counts the reports it stores, by id.
 */
async function startLossyServer(seed: number) {
  const random = mulberry32(seed);
  const byKey = new Map<string, string>();
  const stored = new Map<string, number>();
  const counts = { droppedRequests: 0, droppedResponses: 0, stalled: 0 };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const roll = random();
      if (roll < 0.1) {
        counts.droppedRequests += 1;
        request.socket.destroy();
        return;
      }
      if (roll < 0.12) {
        counts.stalled += 1;
        return;
      }
      const key = String(request.headers['idempotency-key']);
      let answer = byKey.get(key);
      if (answer === undefined) {
        const { id } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: string };
        stored.set(id, (stored.get(id) ?? 0) + 1);
        answer = JSON.stringify({ ...sample.receipt, id });
        byKey.set(key, answer);
      }
      if (random() < 0.1) {
        counts.droppedResponses += 1;
        request.socket.destroy();
        return;
      }
      response.writeHead(201, { 'content-type': 'application/json' }).end(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stored,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let lossy: Awaited<ReturnType<typeof startLossyServer>>;
beforeAll(async () => {
  lossy = await startLossyServer(20_261_128);
});
afterAll(() => lossy.close());

describe('the default retry and timeout settings', () => {
  it('get every report through a lossy network exactly once', async () => {
    // Defaults only: this is what an integrator gets without configuring anything.
    const tz = createReferralClient({ baseUrl: lossy.url, apiKey: 'tz_pk_test_0123456789abcdef' });
    const total = 150;
    let next = 0;
    const receipts: string[] = [];
    const errors: unknown[] = [];
    const lane = async () => {
      while (next < total) {
        next += 1;
        try {
          receipts.push((await tz.reports.create(sample.reportInput)).id);
        } catch (error) {
          errors.push(error);
        }
      }
    };
    await Promise.all(Array.from({ length: 50 }, lane));
    expect(errors).toEqual([]);
    expect(new Set(receipts).size).toBe(total);
    expect(lossy.stored.size).toBe(total);
    expect([...lossy.stored.values()].every((count) => count === 1)).toBe(true);
    // The network really was lossy.
    expect(lossy.counts.droppedRequests + lossy.counts.droppedResponses).toBeGreaterThan(15);
    expect(lossy.counts.stalled).toBeGreaterThan(0);
  }, 90_000);
});
