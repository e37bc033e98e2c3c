import { createHash } from 'node:crypto';
import type { DateTime } from 'luxon';
import type { SendMailOptions } from 'nodemailer';
import { workingGroupOf, type Dialogue, type InvitationMethod, type Participant, type Session } from '../model.js';
import { cleanLine, cleanText } from './ics-text.js';
import { calendarWithTimes } from './invite-calendar.js';
import { INVITE_STRINGS } from './invite-strings.js';
import { sessionTimes } from './session-time.js';
import { escapeHtml } from '../report-html.js';

/** Options of {@link buildInviteEmail}. */
export interface InviteEmailOptions {
  /** `REQUEST` invites or updates; `CANCEL` withdraws. */
  readonly method: InvitationMethod;
  /** DTSTAMP and the Date header. @default new Date() */
  readonly now?: Date;
  /** SEQUENCE to write. @default session.sequence */
  readonly sequence?: number;
}

/** A built invitation: the nodemailer message and the calendar inside it. */
export interface InviteEmail {
  /** Pass to `transport.sendMail()`; addresses are objects, so no typed name can become a header. */
  readonly message: SendMailOptions & {
    readonly icalEvent: { readonly method: InvitationMethod; readonly filename: string; readonly content: string };
  };
  /** The iCalendar file, also attached to `message`. */
  readonly ics: string;
  /** The Message-ID, the same for every copy of one version (a resend after a crash included). */
  readonly messageId: string;
}

// Formatting with Intl is the slowest step of an email and a dialogue has few distinct times.
const whenCache = new Map<string, string>();

function formatWhen(start: DateTime, end: DateTime, locale: string, zone: string): string {
  const key = `${start.toMillis()} ${end.toMillis()} ${locale} ${zone}`;
  let text = whenCache.get(key);
  if (text === undefined) {
    if (whenCache.size >= 2000) whenCache.clear();
    text = formatWhenUncached(start, end, locale, zone);
    whenCache.set(key, text);
  }
  return text;
}

function formatWhenUncached(start: DateTime, end: DateTime, locale: string, zone: string): string {
  const s = start.setLocale(locale);
  const e = end.setLocale(locale);
  const day = s.toLocaleString({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
  const time = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;
  const sameDay = start.hasSame(end, 'day');
  const endText = sameDay ? e.toLocaleString(time) : `${e.toLocaleString({ day: 'numeric', month: 'long' })} ${e.toLocaleString(time)}`;
  return `${day}, ${s.toLocaleString(time)}–${endText} (${zone}, UTC${start.toFormat('ZZ')})`;
}

/** The Message-ID of one version of one invitation: stable, so a resend is recognisably the same message. */
export function messageIdFor(
  session: Session,
  participant: Participant,
  method: InvitationMethod,
  sequence: number,
  organiser: string,
): string {
  const digest = createHash('sha256').update(`${session.uid}\n${participant.id}\n${method}\n${sequence}`).digest('hex').slice(0, 32);
  const domain = organiser.slice(organiser.lastIndexOf('@') + 1);
  return `<invite.${digest}@${domain}>`;
}

/**
 * Builds the email that carries one participant's invitation (or cancellation) for one session: plain
 * text and HTML in the participant's language (Urdu right-to-left), with the session, its time in the
 * dialogue's zone, the venue and, for a breakout, the participant's working group; and the calendar
 * as `icalEvent` (nodemailer adds it as a `text/calendar; method=…` alternative and as `invite.ics`).
 *
 * @example
 * const { message } = buildInviteEmail(dialogue, session, participant, { method: 'REQUEST' });
 * await transport.sendMail(message);
 */
export function buildInviteEmail(dialogue: Dialogue, session: Session, participant: Participant, options: InviteEmailOptions): InviteEmail {
  const now = options.now ?? new Date();
  const sequence = options.sequence ?? session.sequence;
  const times = sessionTimes(dialogue, session);
  const { start, end } = times;
  const ics = calendarWithTimes(dialogue, session, participant, { method: options.method, now, sequence }, times);
  const t = INVITE_STRINGS[participant.language];
  const cancel = options.method === 'CANCEL';

  const title = cleanLine(session.title);
  const dialogueTitle = cleanLine(dialogue.title);
  const name = cleanLine(participant.name);
  const when = formatWhen(start, end, t.locale, dialogue.timezone);
  const where = cleanLine(session.location ?? dialogue.venue);
  const group =
    session.kind === 'breakout'
      ? (dialogue.working_groups.find((g) => g.id === session.working_group_id) ?? workingGroupOf(dialogue, participant.id))
      : undefined;
  const groupText = group === undefined ? undefined : `${group.code}: ${cleanLine(group.theme)}`;
  const description = session.description === undefined ? undefined : cleanText(session.description);
  const intro = cancel ? t.cancelledText(dialogueTitle) : t.invitedTo(dialogueTitle);
  const organiserName = cleanLine(dialogue.organiser.name);

  const rows: [string, string][] = [
    [t.when, when],
    [t.where, where],
  ];
  if (groupText !== undefined) rows.push([t.group, groupText]);

  const text = [
    t.greeting(name),
    '',
    intro,
    '',
    `${t.kind[session.kind]}: ${title}`,
    ...rows.map(([k, v]) => `${k}: ${v}`),
    ...(description === undefined ? [] : ['', description]),
    '',
    ...(cancel ? [] : [t.reply, '']),
    t.organisedBy(organiserName),
    '',
  ].join('\n');

  const html = [
    '<!doctype html>',
    `<html lang="${participant.language}" dir="${t.dir}">`,
    `<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>`,
    `<body dir="${t.dir}" lang="${participant.language}" style="font-family: sans-serif">`,
    `<p>${escapeHtml(t.greeting(name))}</p>`,
    `<p>${escapeHtml(intro)}</p>`,
    `<h1 style="font-size: 1.3em">${escapeHtml(t.kind[session.kind])}: ${escapeHtml(title)}</h1>`,
    '<table>',
    ...rows.map(([k, v]) => `<tr><th scope="row" style="text-align: start">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`),
    '</table>',
    ...(description === undefined ? [] : [`<p style="white-space: pre-line">${escapeHtml(description)}</p>`]),
    ...(cancel ? [] : [`<p>${escapeHtml(t.reply)}</p>`]),
    `<p>${escapeHtml(t.organisedBy(organiserName))}</p>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');

  const messageId = messageIdFor(session, participant, options.method, sequence, dialogue.organiser.email);
  return {
    ics,
    messageId,
    message: {
      from: { name: organiserName, address: dialogue.organiser.email },
      to: [{ name, address: participant.email }],
      subject: `${cancel ? t.cancelled : t.invitation}: ${title} — ${when}`,
      messageId,
      date: now,
      text,
      html,
      icalEvent: { method: options.method, filename: 'invite.ics', content: ics },
    },
  };
}
