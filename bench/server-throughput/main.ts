// Server throughput: report creates/s over HTTP (20 concurrent loopback clients, server in its own
// process) against the same SQL statements per report, one transaction each, straight through
// the driver with the server's own pragmas and no HTTP, in the same run. SQLite has a budget
// (HTTP >= 40% of the SQL baseline); PostgreSQL is reported. Prints figures; never fails on timing.
//
//   pnpm --filter @tahaffuz/bench bench:server-throughput [-- --reports 1000 --concurrency 20 --no-postgres --show-sql]
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import type { DatabaseConfig } from '@tahaffuz/referral-server';
import { rawCreate, startBenchServer } from '../lib/bench-server.js';
import { createLoadClient } from '../lib/load-client.js';
import { createPostgresDatabase, dropPostgresDatabases } from '@tahaffuz/test-kit/postgres';
import { installSqlRecorder, replayPlan, withoutTransactionControl, type RecordedStatement } from '../lib/sql-recorder.js';
import { ms, percentile, runConcurrently } from '../lib/stats.js';

const { values } = parseArgs({
  options: {
    reports: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '20' },
    'no-postgres': { type: 'boolean', default: false },
    'show-sql': { type: 'boolean', default: false },
    'postgres-url': { type: 'string', default: process.env['TAHAFFUZ_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test' },
  },
});
const REPORTS = Number(values.reports);
const CONCURRENCY = Number(values.concurrency);
const WARMUP = 200;
const POSTGRES_URL = values['postgres-url'];
const here = dirname(fileURLToPath(import.meta.url));

interface Recording {
  readonly plan: (i: number) => RecordedStatement[];
  /** The same statements with the server's own transaction boundaries (autocommits included). */
  readonly asServerPlan: (i: number) => RecordedStatement[];
  readonly statementsPerReport: number;
  readonly pragmas: readonly string[];
  /** One create's statements as run, transaction statements included. */
  readonly raw: readonly RecordedStatement[];
}

/** Runs an in-process server, creates reports over HTTP and records the SQL of two of them. */
async function recordCreate(database: DatabaseConfig): Promise<Recording> {
  const recorder = installSqlRecorder();
  try {
    const { server, intakeKey } = await startBenchServer(database);
    const pragmas = recorder.pragmas.map((pragma) => pragma.source).filter((source) => source.includes('='));
    try {
      for (let i = 0; i < 5; i += 1) await rawCreate(server.url, intakeKey, randomUUID(), i);
      const recordOne = async (i: number) => {
        recorder.statements.length = 0;
        recorder.recording = true;
        await rawCreate(server.url, intakeKey, randomUUID(), i);
        recorder.recording = false;
        return [...recorder.statements];
      };
      for (let attempt = 0; attempt < 10; attempt += 1) {
        // The same shape of report twice: i and i + 600 agree on every `i % n` benchReport uses.
        const a = await recordOne(6 * attempt);
        const b = await recordOne(6 * attempt + 6 * 100);
        try {
          const plan = replayPlan(withoutTransactionControl(a), withoutTransactionControl(b));
          return { plan, asServerPlan: replayPlan(a, b), statementsPerReport: withoutTransactionControl(a).length, pragmas, raw: a };
        } catch {
          // Background work (a timer) ran statements during one of the two: record again.
        }
      }
      throw new Error('could not record two creates with the same statements');
    } finally {
      await server.close();
    }
  } finally {
    recorder.uninstall();
  }
}

interface HttpResult {
  readonly perSecond: number;
  /** CPU time of the server process per create (user + system), or undefined off Linux. */
  readonly cpuMsPerCreate: number | undefined;
  /** CPU time of the load-generating clients (this process) per create. */
  readonly clientCpuMsPerCreate: number;
  readonly p50: number;
  readonly p99: number;
}

/**
 * CPU time (user + system) a process has used, from /proc (Linux; undefined elsewhere). Unlike
 * creates/s it hardly moves with the load of other processes on the machine.
 */
function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line, in clock ticks (100 per second on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

/** Starts the server in a child process and creates reports from CONCURRENCY loopback clients. */
async function httpRun(args: string[]): Promise<HttpResult> {
  // BENCH_CPU_PROF=<dir>: profile the server process (`node --cpu-prof`), one .cpuprofile per run.
  const profile = process.env['BENCH_CPU_PROF'];
  const nodeArgs = profile === undefined || profile === '' ? [] : ['--cpu-prof', `--cpu-prof-dir=${profile}`];
  const child = spawn(process.execPath, [...nodeArgs, join(here, 'server-process.mjs'), ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    const first = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout });
      lines.once('line', resolve);
      child.once('exit', (code) => reject(new Error(`server process exited ${code}`)));
    });
    const { url, key } = JSON.parse(first) as { url: string; key: string };
    const client = createLoadClient(url, key, CONCURRENCY);
    await runConcurrently(WARMUP, CONCURRENCY, (i) => client.create(randomUUID(), i));
    const cpuBefore = processCpuMs(child.pid);
    const clientCpu = process.cpuUsage();
    const { latencies, seconds } = await runConcurrently(REPORTS, CONCURRENCY, (i) => client.create(randomUUID(), i));
    const cpuAfter = processCpuMs(child.pid);
    const clientUsed = process.cpuUsage(clientCpu);
    client.close();
    const cpuMsPerCreate = cpuBefore === undefined || cpuAfter === undefined ? undefined : (cpuAfter - cpuBefore) / REPORTS;
    return {
      perSecond: REPORTS / seconds,
      cpuMsPerCreate,
      clientCpuMsPerCreate: (clientUsed.user + clientUsed.system) / 1000 / REPORTS,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
    };
  } finally {
    child.stdin.end();
    await new Promise((resolve) => {
      if (child.exitCode !== null) resolve(undefined);
      else child.once('exit', resolve);
    });
  }
}

/**
 * The recorded statements per report on one better-sqlite3 connection: in one transaction each
 * (the budget's baseline), or with the server's own transaction boundaries (`asServer`: every
 * statement outside the server's transaction commits on its own) to show what the commits cost.
 */
function sqliteBaseline(file: string, recording: Recording, asServer = false): { perSecond: number; cpuMsPerCreate: number } {
  const db = new BetterSqlite3(file);
  try {
    for (const pragma of recording.pragmas) db.pragma(pragma);
    const prepared = new Map<string, BetterSqlite3.Statement>();
    const statement = (sql: string) => {
      let found = prepared.get(sql);
      if (found === undefined) {
        found = db.prepare(sql);
        prepared.set(sql, found);
      }
      return found;
    };
    const run = (i: number, plan: (i: number) => RecordedStatement[]) => {
      for (const { sql, params } of plan(i)) {
        const prepared = statement(sql);
        if (prepared.reader) prepared.all(...params);
        else prepared.run(...params);
      }
    };
    const one = (i: number) => {
      if (asServer) {
        run(i, recording.asServerPlan);
        return;
      }
      db.exec('begin immediate');
      try {
        run(i, recording.plan);
        db.exec('commit');
      } catch (error) {
        db.exec('rollback');
        throw error;
      }
    };
    for (let i = 0; i < WARMUP; i += 1) one((asServer ? 2_000_000 : 1_000_000) + i);
    const started = performance.now();
    const cpu = process.cpuUsage();
    for (let i = 0; i < REPORTS; i += 1) one((asServer ? 3_000_000 : 0) + i);
    const used = process.cpuUsage(cpu);
    return { perSecond: REPORTS / ((performance.now() - started) / 1000), cpuMsPerCreate: (used.user + used.system) / 1000 / REPORTS };
  } finally {
    db.close();
  }
}

/** The recorded statements per report, one transaction each, from CONCURRENCY pooled connections. */
async function postgresBaseline(url: string, recording: Recording): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: CONCURRENCY });
  try {
    const one = async (i: number) => {
      const client = await pool.connect();
      try {
        await client.query('begin');
        for (const { sql, params } of recording.plan(i)) await client.query(sql, params as unknown[]);
        await client.query('commit');
      } catch (error) {
        await client.query('rollback');
        throw error;
      } finally {
        client.release();
      }
    };
    await runConcurrently(WARMUP, CONCURRENCY, (i) => one(1_000_000 + i));
    const { seconds } = await runConcurrently(REPORTS, CONCURRENCY, one);
    return REPORTS / seconds;
  } finally {
    await pool.end();
  }
}

async function postgresReachable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Commits that write (and so sync) in a recorded sequence: each write outside a transaction, and each transaction. */
function countCommits(statements: readonly RecordedStatement[]): number {
  let commits = 0;
  let inTransaction = false;
  for (const { sql } of statements) {
    if (/^\s*begin\b/i.test(sql)) inTransaction = true;
    else if (/^\s*(commit|rollback)\b/i.test(sql)) {
      inTransaction = false;
      commits += 1;
    } else if (!inTransaction && !/^\s*select\b/i.test(sql)) commits += 1;
  }
  return commits;
}

function row(name: string, http: HttpResult, baseline: number, budget: string): string {
  const ratio = http.perSecond / baseline;
  return `| ${name} | ${http.perSecond.toFixed(0)} | ${ms(http.p50)} | ${ms(http.p99)} | ${baseline.toFixed(0)} | ${(ratio * 100).toFixed(0)}% | ${budget} |`;
}

console.log(
  `server-throughput: ${REPORTS} creates, ${CONCURRENCY} concurrent loopback clients, warm-up ${WARMUP}; Node ${process.version}`,
);
const rows: string[] = [];
const dir = mkdtempSync(join(tmpdir(), 'tahaffuz-bench-'));
try {
  const recordFile = join(dir, 'record.db');
  const sqliteRecording = await recordCreate({ sqlite: recordFile });
  console.log(`SQLite: ${sqliteRecording.statementsPerReport} statements per report; pragmas: ${sqliteRecording.pragmas.join(', ')}`);
  if (values['show-sql']) for (const { sql } of sqliteRecording.raw) console.log(`  ${sql.replace(/\s+/g, ' ').slice(0, 140)}`);
  const sqliteHttp = await httpRun(['sqlite', join(dir, 'http.db')]);
  const baselineFile = join(dir, 'baseline.db');
  copyFileSync(recordFile, baselineFile);
  for (const suffix of ['-wal', '-shm']) if (existsSync(recordFile + suffix)) copyFileSync(recordFile + suffix, baselineFile + suffix);
  const baseline = sqliteBaseline(baselineFile, sqliteRecording);
  const sqliteSql = baseline.perSecond;
  const sqliteAsServer = sqliteBaseline(baselineFile, sqliteRecording, true).perSecond;
  console.log(
    `SQLite: the server commits writes ${countCommits(sqliteRecording.raw)} times per report; with its own commits and no HTTP the same SQL runs ${sqliteAsServer.toFixed(0)} creates/s (HTTP reaches ${((sqliteHttp.perSecond / sqliteAsServer) * 100).toFixed(0)}% of that)`,
  );
  if (sqliteHttp.cpuMsPerCreate !== undefined) {
    console.log(
      `SQLite: CPU per create: server process ${sqliteHttp.cpuMsPerCreate.toFixed(2)} ms (HTTP, application and SQL), baseline ${baseline.cpuMsPerCreate.toFixed(2)} ms (SQL only), load clients ${sqliteHttp.clientCpuMsPerCreate.toFixed(2)} ms; CPU ratio ${((baseline.cpuMsPerCreate / sqliteHttp.cpuMsPerCreate) * 100).toFixed(0)}%`,
    );
  }
  const sqliteRatio = sqliteHttp.perSecond / sqliteSql;
  rows.push(row('SQLite (WAL, synchronous=FULL)', sqliteHttp, sqliteSql, `>= 40%: ${sqliteRatio >= 0.4 ? 'within' : 'OVER BUDGET'}`));
  console.log(rows.at(-1));

  if (values['no-postgres']) {
    console.log('PostgreSQL: not run (--no-postgres)');
  } else {
    const problem = await postgresReachable();
    if (problem !== undefined) {
      console.log(`PostgreSQL at ${POSTGRES_URL} unreachable (${problem}): not run`);
    } else {
      const recordUrl = await createPostgresDatabase(POSTGRES_URL, 'tz_bench_record');
      const httpUrl = await createPostgresDatabase(POSTGRES_URL, 'tz_bench_http');
      try {
        const pgRecording = await recordCreate({ postgres: recordUrl });
        console.log(`PostgreSQL: ${pgRecording.statementsPerReport} statements per report`);
        const pgHttp = await httpRun(['postgres', httpUrl]);
        const pgSql = await postgresBaseline(recordUrl, pgRecording);
        rows.push(row(`PostgreSQL 15 (pool of ${CONCURRENCY} for the baseline)`, pgHttp, pgSql, 'reported, no budget'));
        console.log(rows.at(-1));
      } finally {
        await dropPostgresDatabases([recordUrl, httpUrl], POSTGRES_URL);
      }
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log('');
console.log('| backend | HTTP creates/s | p50 | p99 | same SQL, no HTTP, creates/s | HTTP / SQL | budget |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const line of rows) console.log(line);
