// Client overhead: one create + one list (20 reports) against the reference server (SQLite,
// in this process) through the typed client and through raw fetch doing the same calls: the same
// URLs, headers (accept, authorization, content-type, idempotency-key) and bodies; raw fetch
// parses the JSON and checks the status but validates nothing. The two run interleaved, pair by
// pair, alternating which goes first, so that load on the machine hits both alike; the figure is
// the ratio of median latencies (budget <= 1.15x). Prints figures and the machine's load average;
// never fails on timing.
//
//   pnpm --filter @tahaffuz/bench bench:client-overhead [-- --iterations 1000]
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createReferralClient } from '@tahaffuz/referral-client';
import { benchReport, startBenchServer } from '../lib/bench-server.js';
import { median, ms, percentile } from '../lib/stats.js';

const { values } = parseArgs({ options: { iterations: { type: 'string', default: '1000' } } });
const ITERATIONS = Number(values.iterations);
const WARMUP = 30;
const PAGE_SIZE = 20;

const dir = mkdtempSync(join(tmpdir(), 'tahaffuz-bench-client-'));
const { server, intakeKey } = await startBenchServer({ sqlite: join(dir, 'bench.db') });
try {
  const tz = createReferralClient({ baseUrl: server.url, apiKey: intakeKey });

  const typed = async (i: number) => {
    const receipt = await tz.reports.create(benchReport(randomUUID(), i));
    const page = await tz.reports.list({ page_size: PAGE_SIZE });
    if (page.data.length !== PAGE_SIZE || receipt.reference.length === 0) throw new Error('typed client: unexpected answer');
  };

  const raw = async (i: number) => {
    const id = randomUUID();
    const created = await fetch(`${server.url}/v1/reports`, {
      method: 'POST',
      headers: {
        accept: 'application/json',
        authorization: `Bearer ${intakeKey}`,
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
      },
      body: JSON.stringify(benchReport(id, i)),
    });
    const receipt = (await created.json()) as { reference?: string };
    const listed = await fetch(`${server.url}/v1/reports?page_size=${PAGE_SIZE}`, {
      headers: { accept: 'application/json', authorization: `Bearer ${intakeKey}` },
    });
    const page = (await listed.json()) as { data?: unknown[] };
    if (created.status !== 201 || listed.status !== 200 || page.data?.length !== PAGE_SIZE || receipt.reference === undefined) {
      throw new Error(`raw fetch: unexpected answer ${created.status}/${listed.status}`);
    }
  };

  const time = async (fn: (i: number) => Promise<void>, i: number) => {
    const started = performance.now();
    await fn(i);
    return performance.now() - started;
  };

  // A full first page for every list.
  for (let i = 0; i < PAGE_SIZE; i += 1) await tz.reports.create(benchReport(randomUUID(), 100_000 + i));
  for (let i = 0; i < WARMUP; i += 1) {
    await typed(i);
    await raw(i);
  }
  const loadBefore = loadavg();
  const typedTimes: number[] = [];
  const rawTimes: number[] = [];
  for (let i = 0; i < ITERATIONS; i += 1) {
    // Alternate which goes first, so neither always runs on a just-warmed path.
    if (i % 2 === 0) {
      typedTimes.push(await time(typed, i));
      rawTimes.push(await time(raw, i));
    } else {
      rawTimes.push(await time(raw, i));
      typedTimes.push(await time(typed, i));
    }
  }
  const ratio = median(typedTimes) / median(rawTimes);
  // The rounds ran in pairs; the median of the pairs' ratios moves less with a changing load.
  const pairRatio = median(typedTimes.map((typedTime, i) => typedTime / rawTimes[i]!));
  const loadAfter = loadavg();
  const load = (values: number[]) => values.map((value) => value.toFixed(2)).join(' ');
  console.log(
    `client-overhead: create + list(${PAGE_SIZE}) x ${ITERATIONS} each, interleaved, warm-up ${WARMUP}; SQLite; Node ${process.version}`,
  );
  console.log(`load average (1, 5, 15 min) before: ${load(loadBefore)}, after: ${load(loadAfter)}`);
  console.log('');
  console.log('| calls | median | p90 | p99 |');
  console.log('| --- | --- | --- | --- |');
  console.log(`| raw fetch | ${ms(median(rawTimes))} | ${ms(percentile(rawTimes, 90))} | ${ms(percentile(rawTimes, 99))} |`);
  console.log(`| typed client | ${ms(median(typedTimes))} | ${ms(percentile(typedTimes, 90))} | ${ms(percentile(typedTimes, 99))} |`);
  console.log('');
  console.log(`median ratio typed / raw: ${ratio.toFixed(3)}x (budget <= 1.15x: ${ratio <= 1.15 ? 'within' : 'OVER BUDGET'})`);
  console.log(`median of the rounds' ratios: ${pairRatio.toFixed(3)}x`);
} finally {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}
