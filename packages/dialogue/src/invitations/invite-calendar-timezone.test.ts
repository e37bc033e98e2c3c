import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { attendeesOf } from '../model.js';
import { buildInviteCalendar } from './invite-calendar.js';
import { testDialogue } from './test-dialogue.js';

// The process time zone is fixed when Node starts, so each zone gets its own `node` process running
// this package's sources, transpiled as they are (no bundling, no build needed).
const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const packageDir = join(here, '..', '..');
let outDir = '';

const DRIVER = `
import { buildInviteCalendar } from './invitations/invite-calendar.js';
import { testDialogue } from './invitations/test-dialogue.js';
import { attendeesOf } from './model.js';
import { parseWithIcalJs, parseWithNodeIcal } from './invitations/test-support.js';
const now = new Date(process.argv[2]);
const d = testDialogue();
const london = testDialogue({ timezone: 'Europe/London' });
london.sessions[0] = { ...london.sessions[0], start: '2026-03-29T03:00', end: '2026-03-29T04:00' };
london.sessions[3] = { ...london.sessions[3], start: '2026-10-25T01:30', end: '2026-10-25T02:30' };
const out = [];
for (const dialogue of [d, london])
  for (const s of dialogue.sessions)
    for (const p of attendeesOf(dialogue, s))
      for (const method of ['REQUEST', 'CANCEL']) out.push(buildInviteCalendar(dialogue, s, p, { method, now }));
// Both parsers, in this process's zone: the instants they read.
const read = out.map((ics) => {
  const a = parseWithIcalJs(ics);
  const n = parseWithNodeIcal(ics);
  return [a.startUtc, a.endUtc, n.startUtc, n.endUtc, a.method, n.method, a.attendees.length, n.attendees.length];
});
process.stdout.write(JSON.stringify({ tz: Intl.DateTimeFormat().resolvedOptions().timeZone, offset: new Date().getTimezoneOffset(), out, read }));
`;

async function sources(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await sources(path)));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) files.push(path);
  }
  return files;
}

beforeAll(async () => {
  // Inside the package (so that its dependencies resolve), under the ignored `.tmp/`.
  await mkdir(join(packageDir, '.tmp'), { recursive: true });
  outDir = await mkdtemp(join(packageDir, '.tmp', 'tz-test-'));
  const src = join(packageDir, 'src');
  for (const file of await sources(src)) {
    const js = ts.transpileModule(await readFile(file, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
    }).outputText;
    const target = join(outDir, relative(src, file)).replace(/\.ts$/, '.js');
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, js);
  }
  await writeFile(join(outDir, 'package.json'), '{"type":"module"}');
  await writeFile(join(outDir, 'driver.js'), DRIVER);
});

afterAll(async () => {
  if (outDir !== '') await rm(outDir, { recursive: true, force: true });
});

interface ChildResult {
  tz: string;
  offset: number;
  out: string[];
  read: [string, string, string, string, string, string, number, number][];
}

async function calendarsIn(tz: string, now: string): Promise<ChildResult> {
  const { stdout } = await run(process.execPath, [join(outDir, 'driver.js'), now], { env: { ...process.env, TZ: tz } });
  return JSON.parse(stdout) as ChildResult;
}

test('the same dialogue gives byte-identical calendars (DTSTAMP aside), read alike by ical.js and node-ical, under TZ=UTC, Pacific/Kiritimati and America/St_Johns', async () => {
  const now = '2026-11-28T03:04:05.000Z';
  const [utc, kiritimati, newfoundland] = await Promise.all([
    calendarsIn('UTC', now),
    calendarsIn('Pacific/Kiritimati', now),
    calendarsIn('America/St_Johns', '2026-11-28T17:00:00.000Z'),
  ]);
  // The child processes really ran in those zones.
  expect(utc.offset).toBe(0);
  expect(kiritimati.offset).toBe(-14 * 60);
  expect(newfoundland.offset).toBe(3.5 * 60);
  expect(utc.out.length).toBe(48);
  expect(kiritimati.out).toEqual(utc.out);
  const withoutStamp = (ics: string): string => ics.replace(/^DTSTAMP:.*$/m, 'DTSTAMP');
  expect(newfoundland.out.map(withoutStamp)).toEqual(utc.out.map(withoutStamp));
  expect(newfoundland.out[0]).toContain('DTSTAMP:20261128T170000Z');

  // ical.js and node-ical, each run under UTC and under UTC+14, read the same instants: the wall-clock
  // times in the dialogue's zone, whatever the reader's zone.
  expect(kiritimati.read).toEqual(utc.read);
  expect(newfoundland.read).toEqual(utc.read);
  for (const [aStart, aEnd, nStart, nEnd, aMethod, nMethod, aCount, nCount] of utc.read) {
    expect([nStart, nEnd, nMethod, nCount]).toEqual([aStart, aEnd, aMethod, aCount]);
  }
  expect(utc.read[0]!.slice(0, 2)).toEqual(['2026-12-01T04:00:00.000Z', '2026-12-01T05:00:00.000Z']);
  // London: 03:00 on the day clocks go forward is 02:00 UTC.
  const springForward = utc.out.findIndex((ics) => ics.includes('DTSTART;TZID=Europe/London:20260329T030000'));
  expect(utc.read[springForward]!.slice(0, 1)).toEqual(['2026-03-29T02:00:00.000Z']);

  // And this process (whatever its zone) agrees with them.
  const d = testDialogue();
  const s = d.sessions[0]!;
  const first = buildInviteCalendar(d, s, attendeesOf(d, s)[0]!, { method: 'REQUEST', now: new Date(now) });
  expect(first).toBe(utc.out[0]);
});
