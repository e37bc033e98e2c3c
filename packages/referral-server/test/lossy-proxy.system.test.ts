import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFateDrawer, startLossyProxy, type LossyFate } from './lossy-proxy.js';

const RATES = { dropRequestRate: 0.1, dropResponseRate: 0.1, stallRate: 0.02 };

/** A trivial echo server that remembers the sequence number of every request it received. */
let echo: Server;
let echoUrl: string;
const received = new Set<number>();

beforeAll(async () => {
  echo = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.add((JSON.parse(body) as { n: number }).n);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
});

afterAll(async () => {
  echo.closeAllConnections();
  await new Promise((resolve) => echo.close(resolve));
});

type Outcome = 'ok' | 'wrong' | 'error' | 'timeout';

async function send(url: string, n: number, timeoutMs: number): Promise<Outcome> {
  try {
    const response = await fetch(`${url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ n }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await response.json()) as { n: number };
    return response.status === 200 && body.n === n ? 'ok' : 'wrong';
  } catch (error) {
    return error instanceof Error && error.name === 'TimeoutError' ? 'timeout' : 'error';
  }
}

/** What the client saw, told apart by whether the echo server got the request. */
function observedFate(outcome: Outcome, n: number): LossyFate {
  if (outcome === 'wrong') throw new Error(`request ${n} got a wrong answer through the proxy`);
  if (outcome === 'ok') return 'pass';
  if (outcome === 'timeout') return 'stall';
  return received.has(n) ? 'drop-response' : 'drop-request';
}

async function runSequential(seed: number, count: number, offset: number): Promise<LossyFate[]> {
  const proxy = await startLossyProxy({ target: echoUrl, seed });
  try {
    const seen: LossyFate[] = [];
    for (let i = 0; i < count; i += 1) {
      const n = offset + i;
      seen.push(observedFate(await send(proxy.url, n, 800), n));
    }
    expect(proxy.fates).toEqual(seen);
    return seen;
  } finally {
    await proxy.close();
  }
}

describe('createFateDrawer', () => {
  it('draws the same sequence for the same seed, and rates near the configured ones', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (seed) => {
        const a = createFateDrawer(seed, RATES);
        const b = createFateDrawer(seed, RATES);
        const counts: Record<LossyFate, number> = { pass: 0, 'drop-request': 0, 'drop-response': 0, stall: 0 };
        const draws = 20_000;
        let mismatches = 0;
        for (let i = 0; i < draws; i += 1) {
          const fate = a();
          if (b() !== fate) mismatches += 1;
          counts[fate] += 1;
        }
        expect(mismatches).toBe(0);
        // Binomial standard deviations at 20,000 draws: 0.21% (10%) and 0.10% (2%); allow > 5 sd.
        expect(Math.abs(counts['drop-request'] / draws - 0.1)).toBeLessThan(0.012);
        expect(Math.abs(counts['drop-response'] / draws - 0.1)).toBeLessThan(0.012);
        expect(Math.abs(counts.stall / draws - 0.02)).toBeLessThan(0.006);
      }),
      { numRuns: 20 },
    );
  });

  it('refuses rates outside [0, 1] or adding up to more than 1', () => {
    expect(() => createFateDrawer(1, { ...RATES, stallRate: -0.1 })).toThrow(/stallRate/);
    expect(() => createFateDrawer(1, { dropRequestRate: 0.6, dropResponseRate: 0.5, stallRate: 0 })).toThrow(/at most 1/);
  });
});

describe('startLossyProxy against an echo server', () => {
  it('loses requests, loses responses after the server answered and stalls, at the seeded rates', async () => {
    const proxy = await startLossyProxy({ target: echoUrl, seed: 20261128 });
    const total = 1000;
    const outcomes = new Map<number, Outcome>();
    let next = 0;
    try {
      await Promise.all(
        Array.from({ length: 20 }, async () => {
          while (next < total) {
            const n = 100_000 + next;
            next += 1;
            outcomes.set(n, await send(proxy.url, n, 2000));
          }
        }),
      );
      const stats = proxy.stats();
      const seen = { pass: 0, 'drop-request': 0, 'drop-response': 0, stall: 0 };
      for (const [n, outcome] of outcomes) seen[observedFate(outcome, n)] += 1;

      expect(stats.requests).toBe(total);
      expect(stats.upstreamFailures).toEqual([]);
      // What the client and the echo server observed is exactly what the proxy did.
      expect(seen).toEqual({
        pass: stats.passed,
        'drop-request': stats.droppedRequests,
        'drop-response': stats.droppedResponses,
        stall: stats.stalled,
      });
      // The echo server answered every request the proxy forwarded, including the dropped responses.
      const forwarded = [...outcomes.keys()].filter((n) => received.has(n)).length;
      expect(forwarded).toBe(stats.passed + stats.droppedResponses);
      expect(stats.droppedRequests / total).toBeGreaterThan(0.07);
      expect(stats.droppedRequests / total).toBeLessThan(0.13);
      expect(stats.droppedResponses / total).toBeGreaterThan(0.07);
      expect(stats.droppedResponses / total).toBeLessThan(0.13);
      expect(stats.stalled / total).toBeGreaterThan(0.005);
      expect(stats.stalled / total).toBeLessThan(0.04);
    } finally {
      await proxy.close();
    }
  });

  it('is deterministic for a seed: one sequential client meets the same fates twice', async () => {
    const first = await runSequential(42, 100, 200_000);
    const second = await runSequential(42, 100, 300_000);
    const other = await runSequential(43, 100, 400_000);
    expect(second).toEqual(first);
    expect(other).not.toEqual(first);
    expect(new Set(first)).toEqual(new Set<LossyFate>(['pass', 'drop-request', 'drop-response', 'stall']));
  });

  it('closes with stalled requests still open, and the clients see their sockets end', async () => {
    const proxy = await startLossyProxy({ target: echoUrl, seed: 1, dropRequestRate: 0, dropResponseRate: 0, stallRate: 1 });
    const pending = send(proxy.url, 500_000, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await proxy.close();
    expect(await pending).toBe('error');
    expect(proxy.stats().stalled).toBe(1);
  });
});
