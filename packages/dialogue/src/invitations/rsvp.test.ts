import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ical, { ICalAttendeeStatus, ICalCalendarMethod } from 'ical-generator';
import nodemailer from 'nodemailer';
import { afterEach, describe, expect, test } from 'vitest';
import type { Dialogue } from '../model.js';
import { attendanceList } from './attendance-list.js';
import { planInvitations } from './invitation-plan.js';
import { applyRsvp, readRsvpReplies } from './rsvp.js';
import { testDialogue } from './test-dialogue.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** The dialogue after every invitation went out (SEQUENCE as planned). */
function invited(): Dialogue {
  const d = testDialogue();
  for (const item of planInvitations(d)) {
    d.invitations.push({
      session_id: item.session.id,
      participant_id: item.participant.id,
      sequence_sent: item.sequence,
      method: item.method,
      content_hash: item.contentHash,
      state: 'sent',
      attempts: 1,
      partstat: 'NEEDS-ACTION',
    });
  }
  return d;
}

/** An iTIP REPLY as a calendar client writes it. */
function replyIcs(uid: string, sequence: number, email: string, status: ICalAttendeeStatus, stamp: string): string {
  const cal = ical({ method: ICalCalendarMethod.REPLY, prodId: { company: 'Client', product: 'Mail' } });
  const e = cal.createEvent({ id: uid, sequence, stamp: new Date(stamp), start: new Date('2026-12-01T04:00:00Z'), summary: 'Re' });
  e.organizer({ name: 'Dialogue secretariat', email: 'secretariat@example.org' });
  e.createAttendee({ email, status, name: 'Someone' });
  return cal.toString();
}

async function eml(dir: string, name: string, from: string, ics: string | undefined, asAttachmentOnly = false): Promise<void> {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const message = {
    from,
    to: 'secretariat@example.org',
    subject: 'Accepted: Opening plenary',
    text: 'reply',
    ...(ics === undefined
      ? {}
      : asAttachmentOnly
        ? { attachments: [{ filename: 'reply.ics', content: ics, contentType: 'application/ics' }] }
        : { icalEvent: { method: 'REPLY', content: ics } }),
  };
  const info = await transport.sendMail(message);
  await writeFile(join(dir, name), info.message as Buffer);
}

describe('RSVP replies', () => {
  test('iTIP REPLY emails update PARTSTAT; stale, unknown and non-reply messages are ignored with a reason', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rsvp-'));
    dirs.push(dir);
    await eml(
      dir,
      '01.eml',
      'p1@example.org',
      replyIcs('s-open@nd-test.tahaffuz', 0, 'P1@Example.org', ICalAttendeeStatus.ACCEPTED, '2026-11-29T10:00:00Z'),
    );
    await eml(
      dir,
      '02.eml',
      'p2@example.org',
      replyIcs('s-open@nd-test.tahaffuz', 0, 'p2@example.org', ICalAttendeeStatus.DECLINED, '2026-11-29T10:00:00Z'),
    );
    // p2 changes their mind later (the later DTSTAMP wins even though the file sorts first).
    await eml(
      dir,
      '00.eml',
      'p2@example.org',
      replyIcs('s-open@nd-test.tahaffuz', 0, 'p2@example.org', ICalAttendeeStatus.TENTATIVE, '2026-11-30T10:00:00Z'),
    );
    // Outlook style: the reply only as an attachment.
    await eml(
      dir,
      '03.eml',
      'p4@example.org',
      replyIcs('s-wg2@nd-test.tahaffuz', 0, 'p4@example.org', ICalAttendeeStatus.ACCEPTED, '2026-11-29T10:00:00Z'),
      true,
    );
    // Answers to a session p3 was never invited to, to a UID nobody knows, and an older SEQUENCE.
    await eml(
      dir,
      '04.eml',
      'p3@example.org',
      replyIcs('s-wg1@nd-test.tahaffuz', 0, 'p3@example.org', ICalAttendeeStatus.ACCEPTED, '2026-11-29T10:00:00Z'),
    );
    await eml(
      dir,
      '05.eml',
      'p3@example.org',
      replyIcs('other@elsewhere', 0, 'p3@example.org', ICalAttendeeStatus.ACCEPTED, '2026-11-29T10:00:00Z'),
    );
    await eml(
      dir,
      '06.eml',
      'p3@example.org',
      replyIcs('s-report@nd-test.tahaffuz', 0, 'p3@example.org', ICalAttendeeStatus.ACCEPTED, '2026-11-29T10:00:00Z'),
    );
    await eml(dir, '07.eml', 'p1@example.org', undefined);
    // Someone else answering for p4.
    await eml(
      dir,
      '08.eml',
      'intruder@example.net',
      replyIcs('s-open@nd-test.tahaffuz', 0, 'p4@example.org', ICalAttendeeStatus.DECLINED, '2026-11-29T11:00:00Z'),
    );
    await writeFile(join(dir, 'notes.txt'), 'not mail');

    const { replies, skipped } = await readRsvpReplies(dir);
    expect(replies).toHaveLength(8);
    expect(skipped).toEqual([{ file: join(dir, '07.eml'), reason: 'no calendar part' }]);

    const d = invited();
    d.invitations.find((r) => r.session_id === 's-report' && r.participant_id === 'p3')!.sequence_sent = 2;
    const result = applyRsvp(d, replies);
    expect(result.updated).toEqual([
      { session_id: 's-open', participant_id: 'p1', partstat: 'ACCEPTED' },
      { session_id: 's-open', participant_id: 'p2', partstat: 'TENTATIVE' },
      { session_id: 's-wg2', participant_id: 'p4', partstat: 'ACCEPTED' },
    ]);
    expect(result.ignored.map((i) => i.reason).sort()).toEqual([
      'UID matches no session',
      'answers SEQUENCE 0, 2 was sent since',
      'attendee was not sent an invitation to session "s-wg1"',
      'the email was not sent by the attendee it answers for',
    ]);
    // Trusting the mailbox that collects replies, the same answer counts.
    const trusting = invited();
    const forwarded = applyRsvp(
      trusting,
      replies.filter((r) => r.file.endsWith('08.eml')),
      { requireSenderIsAttendee: false },
    );
    expect(forwarded.updated).toEqual([{ session_id: 's-open', participant_id: 'p4', partstat: 'DECLINED' }]);

    const rows = attendanceList(d);
    expect(rows.filter((r) => r.session_id === 's-open').map((r) => [r.participant_id, r.partstat])).toEqual([
      ['p1', 'ACCEPTED'],
      ['p2', 'TENTATIVE'],
      ['p3', 'NEEDS-ACTION'],
      ['p4', 'NEEDS-ACTION'],
    ]);
    expect(rows.find((r) => r.session_id === 's-wg2' && r.participant_id === 'p4')).toMatchObject({
      invitation: 'sent',
      partstat: 'ACCEPTED',
      organisation: 'SSDO',
    });
    expect(rows).toHaveLength(12);
  });

  test('a participant not yet invited shows as not_sent', () => {
    const d = testDialogue();
    expect(attendanceList(d).every((r) => r.invitation === 'not_sent' && r.partstat === 'NEEDS-ACTION')).toBe(true);
  });
});
