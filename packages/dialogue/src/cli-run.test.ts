import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './cli-run.js';
import { JsonFileStore } from './store.js';

let cwd: string;
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'dialogue-cli-'));
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env: {},
    cwd,
  });
  return { code, stdout, stderr };
}

describe('tahaffuz-dialogue CLI', () => {
  it('runs a dialogue from init to report, as staff would', async () => {
    expect(
      (
        await cli(
          'init',
          '--id',
          'nd',
          '--title',
          'National Dialogue',
          '--timezone',
          'Asia/Karachi',
          '--venue',
          'Islamabad',
          '--organiser-name',
          'SSDO',
          '--organiser-email',
          'dialogue@example.org',
          '--languages',
          'en,ur',
        )
      ).code,
    ).toBe(0);
    await writeFile(
      join(cwd, 'orgs.csv'),
      '\uFEFFid,name,sector,contact_email\r\nfia,Federal Investigation Agency,law_enforcement,fia@example.org\r\nncrc,NCRC,child_rights_institution,ncrc@example.org\r\n',
    );
    await writeFile(
      join(cwd, 'people.csv'),
      'id,name,email,organisation_id,role,language\np1,Delegate One,p1@example.org,fia,delegate,en\np2,Delegate Two,p2@example.org,ncrc,delegate,ur\n',
    );
    expect((await cli('org', 'import', 'orgs.csv')).code).toBe(0);
    expect((await cli('participants', 'import', 'people.csv')).stdout).toContain('participants: 0 before, 2 now');
    expect((await cli('group', 'add', '--id', 'wg1', '--code', 'WG1', '--theme', 'LEAs', '--sectors', 'law_enforcement')).code).toBe(0);
    expect(
      (await cli('group', 'add', '--id', 'wg2', '--code', 'WG2', '--theme', 'Child rights', '--sectors', 'child_rights_institution')).code,
    ).toBe(0);
    expect((await cli('groups', 'assign', '--by-sector')).stdout).toContain('placed 2 participant(s)');
    expect(
      (
        await cli(
          'session',
          'add',
          '--id',
          'open',
          '--kind',
          'plenary',
          '--title',
          'Opening',
          '--start',
          '2026-03-12T09:00',
          '--end',
          '2026-03-12T10:00',
        )
      ).code,
    ).toBe(0);
    expect((await cli('session', 'reschedule', 'open', '--start', '2026-03-12T09:30', '--end', '2026-03-12T10:30')).code).toBe(0);
    expect((await cli('session', 'list')).stdout).toContain('open\tplenary\t2026-03-12T09:30 – 10:30\tscheduled\tseq 1');
    expect((await cli('recs', 'add', '--group', 'WG1', '--text', 'Transparent reporting')).code).toBe(0);
    expect((await cli('recs', 'adopt', 'ND-WG1-R01', '--date', '2026-03-12', '--today', '2026-03-12')).code).toBe(0);
    expect((await cli('recs', 'respond', 'ND-WG1-R01', 'accepted')).code).toBe(0);
    expect((await cli('recs', 'assign', 'ND-WG1-R01', '--owner', 'fia', '--interval', '30')).code).toBe(0);
    const illegal = await cli(
      'recs',
      'update',
      'ND-WG1-R01',
      '--status',
      'completed',
      '--narrative',
      'x',
      '--author',
      'FIA',
      '--date',
      '2026-03-20',
      '--today',
      '2026-03-20',
    );
    expect(illegal.code).toBe(1);
    expect(illegal.stderr).toContain('allowed next: not_started, withdrawn, superseded');
    // Dates are checked against --today in the dialogue's time zone; the message names the rule.
    const future = await cli(
      'recs',
      'update',
      'ND-WG1-R01',
      '--narrative',
      'x',
      '--author',
      'FIA',
      '--date',
      '2072-03-20',
      '--today',
      '2026-03-20',
    );
    expect(future.code).toBe(1);
    expect(future.stderr).toContain(
      'the update date 2072-03-20 is refused (today is 2026-03-20 in Asia/Karachi): an update may not be dated in the future',
    );
    const due = await cli('recs', 'assign', 'ND-WG1-R01', '--due', '2020-01-01');
    expect(due.code).toBe(1);
    expect(due.stderr).toContain('a due date may not be before the recommendation was adopted');
    const ok = await cli(
      'recs',
      'update',
      'ND-WG1-R01',
      '--status',
      'not_started',
      '--narrative',
      'Planned',
      '--author',
      'FIA',
      '--date',
      '2026-03-20',
      '--today',
      '2026-03-20',
    );
    expect(ok.stdout).toBe('ND-WG1-R01: not_started, 0%\n');
    expect((await cli('recs', 'list', '--only', 'overdue', '--today', '2026-05-01')).stdout).toMatch(
      /^ND-WG1-R01\tnot_started\t0%\taccepted\tfia\t2026-04-19 overdue\n$/,
    );
    expect((await cli('report', '--format', 'html', '--out', 'report.html', '--today', '2026-05-01')).code).toBe(0);
    expect(await readFile(join(cwd, 'report.html'), 'utf8')).toContain('Transparent reporting');
    const csv = (await cli('report', '--format', 'csv')).stdout;
    await writeFile(join(cwd, 'recs.csv'), csv);
    const before = await new JsonFileStore(join(cwd, 'dialogues')).load('nd');
    const imported = await cli('recs', 'import', 'recs.csv');
    expect(imported).toMatchObject({ code: 0, stdout: '0 added, 0 changed, 1 unchanged\n' });
    const after = await new JsonFileStore(join(cwd, 'dialogues')).load('nd');
    expect(after.recommendations).toEqual(before.recommendations);
    // A newer (internal) note makes the exported file stale: refused, naming the row; --overwrite merges.
    expect(
      (
        await cli(
          'recs',
          'update',
          'ND-WG1-R01',
          '--narrative',
          'Note',
          '--author',
          'FIA',
          '--internal',
          '--date',
          '2026-04-01',
          '--today',
          '2026-04-01',
        )
      ).code,
    ).toBe(0);
    const stale = await cli('recs', 'import', 'recs.csv');
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('row 2, column revision: ND-WG1-R01 changed since this row was exported');
    await writeFile(join(cwd, 'recs.csv'), csv.replace('Transparent reporting', 'Transparent public reporting'));
    const forced = await cli('recs', 'import', 'recs.csv', '--overwrite');
    expect(forced).toMatchObject({ code: 0, stdout: 'changed ND-WG1-R01 (row 2): text (overwritten)\n0 added, 1 changed, 0 unchanged\n' });
    const merged = (await new JsonFileStore(join(cwd, 'dialogues')).load('nd')).recommendations[0]!;
    expect(merged.updates.map((u) => u.narrative)).toEqual(['Adopted by the dialogue.', 'Planned', 'Note']);
    expect((await cli('report', '--format', 'md')).stdout).toContain('# Follow-up report: National Dialogue');
    expect(
      (await cli('recs', 'add', '--group', 'wg1', '--text', 'Part', '--parent', 'nd-wg1-r01', '--weight', '2', '--owner', 'ncrc')).code,
    ).toBe(0);
    expect((await new JsonFileStore(join(cwd, 'dialogues')).load('nd')).recommendations[1]).toMatchObject({
      reference: 'ND-WG1-R02',
      parent_id: 'nd-wg1-r01',
      weight: 2,
      owner_organisation_id: 'ncrc',
    });
    expect((await cli('recs', 'add', '--group', 'wg1', '--text', 'x', '--weight=0')).stderr).toContain(
      '--weight must be a positive number',
    );
  });

  it('explains usage errors and bad CSV lines without a stack trace', async () => {
    expect((await cli('nonsense')).code).toBe(2);
    expect((await cli('--bogus')).stderr).toContain("Unknown option '--bogus'");
    expect((await cli('report')).stderr).toContain('no dialogue in');
    await cli(
      'init',
      '--id',
      'nd',
      '--title',
      'T',
      '--timezone',
      'Asia/Karachi',
      '--venue',
      'V',
      '--organiser-name',
      'O',
      '--organiser-email',
      'o@example.org',
    );
    await writeFile(join(cwd, 'bad.csv'), 'id,name,sector,contact_email\nx,X,police,x@example.org\n');
    const bad = await cli('org', 'import', 'bad.csv');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('row 2, column sector');
    expect(bad.stderr).not.toContain('    at ');
    // Excel's "CSV (Comma delimited)" on a Western system: refused, naming the row, unless --encoding says so.
    await writeFile(
      join(cwd, 'ansi.csv'),
      Buffer.concat([
        Buffer.from(
          'id,name,sector,contact_email\r\nx,Media \x96 Press,media,x@example.org\r\ny,???? ???,media,y@example.org\r\n',
          'latin1',
        ),
      ]),
    );
    const ansi = await cli('org', 'import', 'ansi.csv');
    expect(ansi.code).toBe(1);
    expect(ansi.stderr).toContain('row 2, column (encoding): not UTF-8 text (byte 0x96)');
    expect(ansi.stderr).toContain('"CSV UTF-8 (Comma delimited) (*.csv)"');
    const decoded = await cli('org', 'import', 'ansi.csv', '--encoding', 'windows-1252');
    expect(decoded.code).toBe(0);
    expect(decoded.stderr).toContain('warning: ansi.csv, row 3, column name: only question marks');
    expect((await cli('org', 'export')).stdout).toBe(
      '\uFEFFid,name,sector,contact_email\r\nx,Media – Press,media,x@example.org\r\ny,???? ???,media,y@example.org\r\n',
    );
    const again = await cli(
      'init',
      '--id',
      'nd',
      '--title',
      'T',
      '--timezone',
      'Asia/Karachi',
      '--venue',
      'V',
      '--organiser-name',
      'O',
      '--organiser-email',
      'o@example.org',
    );
    expect(again).toMatchObject({ code: 1, stderr: expect.stringContaining('a dialogue "nd" already exists') });
    const tz = await cli(
      'init',
      '--id',
      'nd2',
      '--title',
      'T',
      '--timezone',
      'Asia/Nowhere',
      '--venue',
      'V',
      '--organiser-name',
      'O',
      '--organiser-email',
      'o@example.org',
    );
    expect(tz.stderr).toContain('timezone: not an IANA time zone');
  });
});

describe('tahaffuz-dialogue invite, rsvp and attendance', () => {
  it('writes .eml files, sends only what is new, records RSVPs and lists attendance', async () => {
    const received: string[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        stream.on('data', () => undefined);
        stream.on('end', () => {
          received.push(...session.envelope.rcptTo.map((r) => r.address));
          callback();
        });
      },
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    try {
      const smtp = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
      await cli(
        'init',
        '--id',
        'nd',
        '--title',
        'T',
        '--timezone',
        'Asia/Karachi',
        '--venue',
        'V',
        '--organiser-name',
        'O',
        '--organiser-email',
        'o@example.org',
      );
      await writeFile(join(cwd, 'orgs.csv'), 'id,name,sector,contact_email\nfia,FIA,law_enforcement,fia@example.org\n');
      await writeFile(
        join(cwd, 'people.csv'),
        'id,name,email,organisation_id,role\np1,One,p1@example.org,fia,delegate\np2,Two,p2@example.org,fia,delegate\n',
      );
      await cli('org', 'import', 'orgs.csv');
      await cli('participants', 'import', 'people.csv');
      await cli(
        'session',
        'add',
        '--id',
        'open',
        '--kind',
        'plenary',
        '--title',
        'Opening',
        '--start',
        '2026-03-12T09:00',
        '--end',
        '2026-03-12T10:00',
      );
      expect((await cli('invite', '--out', 'eml', '--all')).stdout).toBe('wrote 2 invitation email(s) to eml\n');
      expect((await readdir(join(cwd, 'eml'))).length).toBe(2);
      expect((await cli('invite')).code).toBe(2);
      const first = await cli('invite', '--smtp', smtp, '--rate', '100');
      expect(first.stdout).toBe('sent 2 of 2 planned message(s)\n');
      expect((await cli('invite', '--smtp', smtp)).stdout).toBe('sent 0 of 0 planned message(s)\n');
      expect(received.sort()).toEqual(['p1@example.org', 'p2@example.org']);
      const uid = (await new JsonFileStore(join(cwd, 'dialogues')).load('nd')).sessions[0]!.uid;
      await mkdir(join(cwd, 'replies'));
      const reply = [
        'From: p1@example.org',
        'To: o@example.org',
        'Subject: Accepted: Opening',
        'MIME-Version: 1.0',
        'Content-Type: text/calendar; charset=utf-8; method=REPLY',
        '',
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//test//EN',
        'METHOD:REPLY',
        'BEGIN:VEVENT',
        `UID:${uid}`,
        'SEQUENCE:0',
        'DTSTAMP:20260301T000000Z',
        'DTSTART:20260312T040000Z',
        'ORGANIZER:mailto:o@example.org',
        'ATTENDEE;PARTSTAT=ACCEPTED:mailto:p1@example.org',
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join('\r\n');
      await writeFile(join(cwd, 'replies', 'p1.eml'), reply);
      const rsvp = await cli('rsvp', 'replies');
      expect(rsvp.code).toBe(0);
      expect(rsvp.stdout).toContain('updated 1 invitation(s)');
      const attendance = (await cli('attendance')).stdout.split('\r\n');
      expect(attendance[0]).toBe('\uFEFFsession_id,session_title,start,participant_id,name,organisation,invitation,partstat');
      expect(attendance.slice(1, 3)).toEqual([
        'open,Opening,2026-03-12T09:00,p1,One,FIA,sent,ACCEPTED',
        'open,Opening,2026-03-12T09:00,p2,Two,FIA,sent,NEEDS-ACTION',
      ]);

      await writeFile(
        join(cwd, 'recs.csv'),
        'text,working_group_id,owner_organisation_id,status,adopted_on,reporting_interval_days\nPublish data,wg1,fia,adopted,2026-03-12,30\n',
      );
      await cli('group', 'add', '--id', 'wg1', '--code', 'WG1', '--theme', 'LEAs');
      expect((await cli('recs', 'import', 'recs.csv')).code).toBe(0);
      expect((await cli('remind', '--dry-run', '--today', '2026-04-01')).stdout).toBe('fia\tND-WG1-R01 due\n');
      received.length = 0;
      expect((await cli('remind', '--smtp', smtp, '--today', '2026-04-01')).stdout).toBe('sent 1 of 1 reminder(s)\n');
      expect((await cli('remind', '--smtp', smtp, '--today', '2026-04-20')).stdout).toBe('sent 0 of 0 reminder(s)\n');
      expect(received).toEqual(['fia@example.org']);
      // Still unreported one reporting interval (30 days) after the missed date: reminded again.
      expect((await cli('remind', '--dry-run', '--today', '2026-05-15')).stdout).toBe('fia\tND-WG1-R01 overdue\n');
      expect((await cli('recs', 'list', '--only', 'overdue', '--today', '2026-05-15')).stdout).toContain('ND-WG1-R01\t');
    } finally {
      await new Promise<void>((done) => server.close(() => done()));
    }
  });
});
