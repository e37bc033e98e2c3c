import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
