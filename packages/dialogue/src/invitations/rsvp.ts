import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { simpleParser } from 'mailparser';
import { PARTSTATS, type Dialogue, type Partstat } from '../model.js';
import { invitationKey } from './invitation-plan.js';

/** One attendee's answer found in an iTIP REPLY. */
export interface RsvpReply {
  /** The event's UID (the session's). */
  readonly uid: string;
  readonly sequence: number;
  /** The replying attendee's address, lower-cased, without `mailto:`. */
  readonly attendee: string;
  readonly partstat: Partstat;
  /** DTSTAMP of the reply, to order several replies from one person. */
  readonly stamp: string;
  /** The file it came from. */
  readonly file: string;
  /** The email's From address, lower-cased, when the reply came in an email. */
  readonly from?: string;
}

/** A file that held no usable REPLY, and why (no personal data). */
export interface RsvpSkipped {
  readonly file: string;
  readonly reason: string;
}

/** Replies read from a folder. */
export interface RsvpReadResult {
  readonly replies: readonly RsvpReply[];
  readonly skipped: readonly RsvpSkipped[];
}

const KNOWN = new Set<string>(PARTSTATS);

/** Reads the iTIP REPLY (METHOD:REPLY, the VEVENT's UID and SEQUENCE, each ATTENDEE's PARTSTAT) from one iCalendar text. */
export function parseRsvpCalendar(ics: string, file: string, from?: string): RsvpReply[] | string {
  let root: ICAL.Component;
  try {
    root = new ICAL.Component(ICAL.parse(ics) as unknown[]);
  } catch {
    return 'not a valid iCalendar file';
  }
  const method = String(root.getFirstPropertyValue('method') ?? '').toUpperCase();
  if (method !== 'REPLY') return `METHOD is ${method === '' ? 'missing' : method}, not REPLY`;
  const replies: RsvpReply[] = [];
  for (const event of root.getAllSubcomponents('vevent')) {
    const uid = event.getFirstPropertyValue('uid');
    if (typeof uid !== 'string' || uid === '') continue;
    const sequence = Number(event.getFirstPropertyValue('sequence') ?? 0);
    const stampValue = event.getFirstPropertyValue('dtstamp');
    const stamp = stampValue instanceof ICAL.Time ? stampValue.toJSDate().toISOString() : '';
    for (const attendee of event.getAllProperties('attendee')) {
      const value = String(attendee.getFirstValue() ?? '');
      const address = value
        .replace(/^mailto:/i, '')
        .trim()
        .toLowerCase();
      const partstat = String(attendee.getParameter('partstat') ?? 'NEEDS-ACTION').toUpperCase();
      if (address === '' || !KNOWN.has(partstat)) continue;
      replies.push({
        uid,
        sequence: Number.isInteger(sequence) ? sequence : 0,
        attendee: address,
        partstat: partstat as Partstat,
        stamp,
        file,
        ...(from === undefined ? {} : { from }),
      });
    }
  }
  return replies.length === 0 ? 'no attendee answer in the REPLY' : replies;
}

/**
 * Reads every `.eml` (and `.ics`) file in a folder and returns the iTIP REPLY answers they carry:
 * the `text/calendar` part (or an .ics attachment) with METHOD:REPLY.
 *
 * @example
 * const { replies } = await readRsvpReplies('replies/');
 * const result = applyRsvp(dialogue, replies);
 */
export async function readRsvpReplies(folder: string): Promise<RsvpReadResult> {
  const names = (await readdir(folder)).filter((n) => /\.(eml|ics)$/i.test(n)).sort();
  const replies: RsvpReply[] = [];
  const skipped: RsvpSkipped[] = [];
  for (const name of names) {
    const file = join(folder, name);
    const bytes = await readFile(file);
    let calendars: string[];
    let from: string | undefined;
    if (/\.ics$/i.test(name)) {
      calendars = [bytes.toString('utf8')];
    } else {
      const mail = await simpleParser(bytes, { skipHtmlToText: true, skipTextToHtml: true, skipTextLinks: true });
      from = mail.from?.value[0]?.address?.toLowerCase();
      calendars = mail.attachments
        .filter((a) => /^(text\/calendar|application\/ics)$/i.test(a.contentType))
        .map((a) => a.content.toString('utf8'));
    }
    if (calendars.length === 0) {
      skipped.push({ file, reason: 'no calendar part' });
      continue;
    }
    let found: RsvpReply[] | string = 'no calendar part';
    for (const ics of calendars) {
      found = parseRsvpCalendar(ics, file, from);
      if (typeof found !== 'string') break;
    }
    if (typeof found === 'string') skipped.push({ file, reason: found });
    else replies.push(...found);
  }
  return { replies, skipped };
}

/** What {@link applyRsvp} did with each reply. */
export interface RsvpApplyResult {
  /** Invitations whose PARTSTAT changed, by ids. */
  readonly updated: readonly { session_id: string; participant_id: string; partstat: Partstat }[];
  /** Replies that matched no session, no invited participant, or an older SEQUENCE than the last sent. */
  readonly ignored: readonly { file: string; reason: string }[];
}

/** Options of {@link applyRsvp}. */
export interface ApplyRsvpOptions {
  /**
   * Count an emailed reply only when its From address is the attendee's own: anyone can write a
   * REPLY naming someone else. Turn off for replies that come through a shared or forwarding mailbox.
   * @default true
   */
  readonly requireSenderIsAttendee?: boolean;
}

/**
 * Applies RSVP replies to the send log: the reply's UID names the session, the ATTENDEE address names
 * the participant, and a reply counts only for the version last sent to that participant (a SEQUENCE
 * lower than the one sent answers an older time or place and is ignored). Later replies (DTSTAMP)
 * win. An emailed reply counts only when it comes from the attendee's own address (see options).
 * Changes the dialogue in place; the caller saves it.
 *
 * @example
 * const { updated } = applyRsvp(dialogue, (await readRsvpReplies('replies/')).replies);
 */
export function applyRsvp(dialogue: Dialogue, replies: readonly RsvpReply[], options: ApplyRsvpOptions = {}): RsvpApplyResult {
  const senderMustMatch = options.requireSenderIsAttendee ?? true;
  const sessionByUid = new Map(dialogue.sessions.map((s) => [s.uid, s] as const));
  const participantsByEmail = new Map<string, string[]>();
  for (const p of dialogue.participants) {
    const key = p.email.toLowerCase();
    participantsByEmail.set(key, [...(participantsByEmail.get(key) ?? []), p.id]);
  }
  const records = new Map(dialogue.invitations.map((r) => [invitationKey(r.session_id, r.participant_id), r] as const));
  const updated = new Map<string, { session_id: string; participant_id: string; partstat: Partstat }>();
  const ignored: { file: string; reason: string }[] = [];

  const ordered = [...replies].sort((a, b) => a.stamp.localeCompare(b.stamp));
  for (const reply of ordered) {
    if (senderMustMatch && reply.from !== undefined && reply.from !== reply.attendee) {
      ignored.push({ file: reply.file, reason: 'the email was not sent by the attendee it answers for' });
      continue;
    }
    const session = sessionByUid.get(reply.uid);
    if (session === undefined) {
      ignored.push({ file: reply.file, reason: 'UID matches no session' });
      continue;
    }
    const candidates = (participantsByEmail.get(reply.attendee) ?? [])
      .map((id) => records.get(invitationKey(session.id, id)))
      .filter((r) => r !== undefined && r.method === 'REQUEST' && (r.state === 'sent' || r.state === 'sending'));
    if (candidates.length === 0) {
      ignored.push({ file: reply.file, reason: `attendee was not sent an invitation to session "${session.id}"` });
      continue;
    }
    for (const record of candidates) {
      if (record === undefined) continue;
      if (reply.sequence < record.sequence_sent) {
        ignored.push({ file: reply.file, reason: `answers SEQUENCE ${reply.sequence}, ${record.sequence_sent} was sent since` });
        continue;
      }
      record.partstat = reply.partstat;
      updated.set(invitationKey(record.session_id, record.participant_id), {
        session_id: record.session_id,
        participant_id: record.participant_id,
        partstat: reply.partstat,
      });
    }
  }
  return { updated: [...updated.values()], ignored };
}
