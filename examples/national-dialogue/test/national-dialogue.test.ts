import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AxeResults } from 'axe-core';
import { chromium } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  attendeesOf,
  buildFollowUpReport,
  exportRecommendationsCsv,
  findRecommendation,
  importRecommendationsCsv,
  rolledUpProgress,
  workingGroupOf,
  writeInvitationsToDir,
} from '@tahaffuz/dialogue';
// The invitation engineer's parsing helpers (ical.js and node-ical), shared rather than copied.
import { calendarOf, parseWithIcalJs, parseWithNodeIcal, unfoldedLines } from '../../../packages/dialogue/src/invitations/test-support.js';
import { RECOMMENDATIONS } from '../src/founding-dialogue.js';
import { runFoundingDialogue, type RunResult } from '../src/run.js';

interface Received {
  to: string[];
  raw: string;
}

let dir: string;
let server: SMTPServer;
let smtpUrl: string;
const received: Received[] = [];
let result: RunResult;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'national-dialogue-'));
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  smtpUrl = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  result = await runFoundingDialogue({ dir, smtpUrl });
});

afterAll(async () => {
  await new Promise<void>((done) => server.close(() => done()));
  await rm(dir, { recursive: true, force: true });
});

describe('the founding national dialogue, end to end', () => {
  it('reproduces the organisations, groups and recommendations of the article', () => {
    const d = result.dialogue;
    expect(d.organisations.map((o) => o.id)).toEqual(
      expect.arrayContaining(['ssdo', 'us-state', 'inl', 'pcpb', 'ncrc', 'fia', 'npb', 'mopass']),
    );
    expect(d.working_groups.map((g) => g.theme)).toEqual([
      'Law enforcement agencies',
      'Child rights institutions',
      'Legislators and policymakers',
      'Media and civil society',
    ]);
    // Grouped by the sectors each group drew from; the international partners join no group.
    expect(workingGroupOf(d, 'fia-cyber')?.code).toBe('WG1');
    expect(workingGroupOf(d, 'pcpb-chair')?.code).toBe('WG2');
    expect(workingGroupOf(d, 'mopass-minister')?.code).toBe('WG3');
    expect(workingGroupOf(d, 'journalist-1')?.code).toBe('WG4');
    expect(result.unassigned.sort()).toEqual(['inl-advisor', 'inl-director', 'us-counsellor']);
    const texts = d.recommendations.filter((r) => r.parent_id === undefined).map((r) => r.text);
    expect(texts).toEqual(RECOMMENDATIONS.map((r) => r.text));
    expect(d.participants.every((p) => p.email.endsWith('@example.org'))).toBe(true);
  });

  it('sends one invitation per session each person attends, then the moved breakout only to its group', () => {
    const d = result.dialogue;
    const expected = d.sessions.reduce((n, s) => n + attendeesOf(d, s).length, 0);
    expect(result.emlFiles).toBe(expected);
    expect(result.firstSend).toMatchObject({ sent: expected, rejected: [], failed: [], possiblyDuplicated: [] });
    const invitations = received.filter((m) => m.raw.includes('text/calendar'));
    const first = invitations.slice(0, expected);
    for (const m of first) {
      expect(m.to).toHaveLength(1);
      expect(m.raw).toMatch(/Content-Type: text\/calendar; charset=utf-8; method=REQUEST/i);
      expect(m.raw).toContain('METHOD:REQUEST');
    }
    const wg3 = attendeesOf(d, d.sessions.find((s) => s.id === 'breakout-wg3')!)
      .map((p) => p.email)
      .sort();
    expect(result.afterReschedule.sent).toBe(wg3.length);
    const update = invitations.slice(expected);
    expect(update.flatMap((m) => m.to).sort()).toEqual(wg3);
    for (const m of update) expect(m.raw).toContain('SEQUENCE:1');
    expect(d.invitations.every((i) => i.state === 'sent')).toBe(true);
  });

  it('reminds each owner of due or overdue recommendations, once', () => {
    const d = result.dialogue;
    const owners = new Set(
      buildFollowUpReport(d, { today: '2026-10-01', includeInternal: true })
        .recommendations.filter((r) => r.tracking === 'due' || r.tracking === 'overdue')
        .map((r) => r.owner_organisation_id),
    );
    expect(owners.size).toBeGreaterThan(1);
    expect(result.reminders).toMatchObject({ planned: owners.size, sent: owners.size, rejected: [], failed: [] });
    const contacts = d.organisations
      .filter((o) => owners.has(o.id))
      .map((o) => o.contact_email)
      .sort();
    const reminderMails = received.filter((m) => /^Subject: (Overdue|Due): progress report/m.test(m.raw));
    expect(reminderMails.flatMap((m) => m.to).sort()).toEqual(contacts);
    expect(d.reminders.every((r) => r.state === 'sent')).toBe(true);
  });

  it('tracks the (invented) follow-up and writes the reports', async () => {
    const d = result.dialogue;
    expect(findRecommendation(d, 'ND-WG4-R01').status).toBe('verified');
    expect(rolledUpProgress(d, 'ND-WG2-R03')).toBeCloseTo((2 * 50 + 20) / 3);
    const md = await readFile(result.reports.markdown, 'utf8');
    const html = await readFile(result.reports.html, 'utf8');
    const internal = await readFile(result.reports.internalHtml, 'utf8');
    expect(md).toContain('# Follow-up report: National Dialogue on Child Trafficking in Persons and Bonded Labour');
    expect(md).toMatch(/## Overdue\n\n[\s\S]*\*\*ND-WG1-R03\*\*/);
    for (const r of RECOMMENDATIONS) expect(html).toContain(r.text);
    expect(html).not.toContain('Equipment procurement delayed');
    expect(internal).toContain('Equipment procurement delayed');
    const csv = await readFile(result.reports.csv, 'utf8');
    // The public CSV imports back into the dialogue without changing anything (internal updates and figures kept).
    expect(importRecommendationsCsv(d, csv, { today: '2026-10-01' }).recommendations).toEqual(d.recommendations);
    expect(csv).toBe(exportRecommendationsCsv(d));
    const fia = d.organisations.find((o) => o.id === 'fia')!;
    expect(csv).toContain(`,fia,${fia.name},`);
    expect(csv.split('\r\n')[0]).not.toContain('updates');
    expect(JSON.parse(await readFile(result.reports.json, 'utf8'))).toMatchObject({ title: d.title });
  });
});

describe('the founding dialogue invitations', () => {
  it('are identical whatever the process time zone, and both parsers read every rule in them', async () => {
    const d = result.dialogue;
    const original = process.env['TZ'];
    const byZone: Map<string, string>[] = [];
    try {
      for (const tz of ['UTC', 'Pacific/Kiritimati']) {
        process.env['TZ'] = tz;
        // The switch took: local time really is UTC, then UTC+14.
        expect(new Date(2026, 0, 1).getTimezoneOffset()).toBe(tz === 'UTC' ? 0 : -840);
        const out = join(dir, `eml-${tz.replace('/', '-')}`);
        await writeInvitationsToDir(d, out, { all: true, now: new Date('2026-02-20T09:00:00Z') });
        const files = new Map<string, string>();
        for (const name of (await readdir(out)).sort()) files.set(name, (await calendarOf(await readFile(join(out, name), 'utf8'))).ics);
        byZone.push(files);
      }
    } finally {
      if (original === undefined) delete process.env['TZ'];
      else process.env['TZ'] = original;
    }
    const [utc, far] = byZone;
    expect(utc!.size).toBe(d.sessions.reduce((n, s) => n + attendeesOf(d, s).length, 0));
    expect([...far!.entries()]).toEqual([...utc!.entries()]);

    for (const [file, ics] of utc!) {
      const [sessionId, participantId] = file.split('--');
      const session = d.sessions.find((s) => s.id === sessionId)!;
      const participant = d.participants.find((p) => p.id === participantId)!;
      const lines = unfoldedLines(ics);
      expect(lines.some((l) => l.startsWith('X-WR-CALNAME'))).toBe(false);
      expect(lines.find((l) => l.startsWith('DTSTAMP'))).toMatch(/^DTSTAMP:\d{8}T\d{6}Z$/);
      const startUtc = new Date(`${session.start}:00+05:00`).toISOString();
      for (const parsed of [parseWithIcalJs(ics), parseWithNodeIcal(ics)]) {
        expect(parsed).toMatchObject({
          method: 'REQUEST',
          vevents: 1,
          uid: session.uid,
          sequence: session.sequence,
          startUtc,
          startTzid: 'Asia/Karachi',
          organizer: { email: 'dialogue@example.org' },
        });
        expect(parsed.vtimezones).toEqual(['Asia/Karachi']);
        expect(parsed.attendees).toEqual([
          expect.objectContaining({ email: participant.email, cn: participant.name, partstat: 'NEEDS-ACTION', rsvp: 'TRUE' }),
        ]);
      }
    }
  });
});

const CHROMIUM = '/usr/bin/chromium';
const noBrowser = !existsSync(CHROMIUM) && process.env['CI'] === undefined;
if (noBrowser) console.warn(`[national-dialogue] ${CHROMIUM} is missing: the report's browser checks are SKIPPED. Under CI they fail.`);
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
// The Nu HTML checker's jar from the vnu-jar package, run on Debian's Java (its own Java download is not used).
const VNU = join(dirname(createRequire(import.meta.url).resolve('vnu-jar')), 'build/dist/vnu.jar');
const JAVA = '/usr/bin/java';
const noJava = !existsSync(JAVA) && process.env['CI'] === undefined;
if (noJava) console.warn(`[national-dialogue] ${JAVA} is missing: the Nu HTML check of the report is SKIPPED. Under CI it fails.`);
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
// UPDATE_REPORT_SCREENSHOTS=1 CI=true npx vitest run --project examples national-dialogue writes them.
const SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)), '../../../packages/dialogue/docs');

describe.skipIf(noJava)('the follow-up report as HTML', () => {
  it('passes the Nu HTML checker (vnu), the public and the internal report', async () => {
    const run = promisify(execFile);
    // vnu writes its JSON report to stderr and exits 1 when it found errors.
    const { stderr } = await run(JAVA, [
      '-jar',
      VNU,
      '--errors-only',
      '--format',
      'json',
      result.reports.html,
      result.reports.internalHtml,
    ]).catch((error: { stderr?: string }) => ({ stderr: error.stderr ?? '' }));
    const messages = (JSON.parse(stderr) as { messages: { type: string; message: string; url?: string; lastLine?: number }[] }).messages;
    expect(messages.map((m) => `${m.url?.split('/').at(-1) ?? ''}:${m.lastLine ?? ''} ${m.type}: ${m.message}`)).toEqual([]);
  });
});

describe.skipIf(noBrowser)('the follow-up report in a browser', () => {
  it('passes axe (WCAG 2.2 A and AA) on a desktop and at 360 px, needs no horizontal scrolling there, and fits A4 in print', async () => {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
    try {
      const axe = await readFile(AXE, 'utf8');
      const url = pathToFileURL(result.reports.html).href;
      const audit = async (width: number, height: number) => {
        // The page's CSP allows no script at all; axe is let in by the test alone.
        const context = await browser.newContext({ bypassCSP: true, viewport: { width, height } });
        const page = await context.newPage();
        await page.goto(url);
        await page.evaluate(axe);
        const results = (await page.evaluate(
          (tags) =>
            (globalThis as unknown as { axe: { run(o: unknown): Promise<unknown> } }).axe.run({ runOnly: { type: 'tag', values: tags } }),
          WCAG_AA,
        )) as AxeResults;
        const violations = results.violations.map(
          (v) => `${width}px ${v.id} (${v.impact ?? ''}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
        );
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        return { page, context, violations, overflow };
      };
      const desktop = await audit(1280, 900);
      expect(desktop.violations).toEqual([]);
      await desktop.context.close();
      const phone = await audit(360, 740);
      expect(phone.violations).toEqual([]);
      expect(phone.overflow).toBe(0);
      if (process.env['UPDATE_REPORT_SCREENSHOTS'] !== undefined) {
        await mkdir(SCREENSHOTS, { recursive: true });
        // The first screens (header, summary charts, status tables): the whole page would be megabytes.
        await phone.page.screenshot({
          path: join(SCREENSHOTS, 'follow-up-report-360px.png'),
          clip: { x: 0, y: 0, width: 360, height: 2200 },
        });
      }
      await phone.context.close();
      // A4 at 96 dpi less the 15 mm margins: 180 mm = 680 px of printable width.
      const context = await browser.newContext({ viewport: { width: 680, height: 962 } });
      const page = await context.newPage();
      await page.goto(url);
      await page.emulateMedia({ media: 'print' });
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
      const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      if (process.env['UPDATE_REPORT_SCREENSHOTS'] !== undefined) {
        await page.setViewportSize({ width: 794, height: 1123 });
        await page.screenshot({ path: join(SCREENSHOTS, 'follow-up-report-a4.png'), clip: { x: 0, y: 0, width: 794, height: 1123 } });
      }
      await context.close();
    } finally {
      await browser.close();
    }
  });
});
