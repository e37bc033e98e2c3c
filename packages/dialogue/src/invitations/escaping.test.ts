import fc from 'fast-check';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { describe, expect, test } from 'vitest';
import { cleanParamText, cleanText } from './ics-text.js';
import { buildInviteCalendar } from './invite-calendar.js';
import { buildInviteEmail } from './invite-email.js';
import { testDialogue } from './test-dialogue.js';
import { parseWithIcalJs, parseWithNodeIcal, unfoldedLines } from './test-support.js';

// Text a person might type, and the text an attacker would: every separator iCalendar and mail
// headers use, line breaks of every kind, control characters, quotes, RTL text and astral characters.
const hostile = fc.constantFrom(
  '"',
  ';',
  ':',
  ',',
  '\\',
  '^',
  "^'",
  '^n',
  '\r',
  '\n',
  '\r\n',
  '\t',
  '\u0000',
  '\u0007',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u2028',
  '<',
  '>',
  '@',
  '=?utf-8?b?',
  'ATTENDEE:mailto:evil@example.net',
  ';RSVP=FALSE',
  'Bcc: evil@example.net',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'X-INJECTED:1',
  'تحفظ',
  '🛡️',
  '\ud800',
);
const userText = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: hostile },
      { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
      fc.string({ unit: 'binary', maxLength: 6 }),
    ),
    {
      minLength: 1,
      maxLength: 12,
    },
  )
  .map((parts) => parts.join(''))
  .filter((s) => s.trim().length > 0);

const inputs = fc.record({
  name: userText,
  organiser: userText,
  title: userText,
  venue: userText,
  description: userText,
  theme: userText,
  breakout: fc.boolean(),
  cancel: fc.boolean(),
});

const REQUEST_EVENT_PROPS = [
  'UID',
  'SEQUENCE',
  'DTSTAMP',
  'DTSTART',
  'DTEND',
  'SUMMARY',
  'LOCATION',
  'DESCRIPTION',
  'ORGANIZER',
  'ATTENDEE',
  'STATUS',
];
const CALENDAR_PROPS = ['VERSION', 'PRODID', 'METHOD'];
const ATTENDEE_PARAMS = ['ROLE', 'CUTYPE', 'PARTSTAT', 'RSVP', 'CN'];

function scenario(i: typeof inputs extends fc.Arbitrary<infer T> ? T : never) {
  const d = testDialogue();
  d.organiser.name = i.organiser;
  d.participants[0]!.name = i.name;
  d.working_groups[0]!.theme = i.theme;
  const session = d.sessions[i.breakout ? 1 : 3]!;
  session.title = i.title;
  session.location = i.venue;
  session.description = i.description;
  if (i.cancel) session.status = 'cancelled';
  return { d, session, participant: d.participants[0]! };
}

describe('user text never becomes iCalendar structure', () => {
  test('one VEVENT, only the expected properties and parameters, attendee intact, under ical.js and node-ical', () => {
    fc.assert(
      fc.property(inputs, (i) => {
        const { d, session, participant } = scenario(i);
        const method = i.cancel ? 'CANCEL' : 'REQUEST';
        const ics = buildInviteCalendar(d, session, participant, { method, now: new Date('2026-11-28T00:00:00Z') });

        // Every physical line is a known property, a VTIMEZONE line or a fold continuation.
        for (const line of unfoldedLines(ics)) {
          expect(line).toMatch(
            /^(BEGIN|END|VERSION|PRODID|METHOD|TZID|TZURL|X-LIC-LOCATION|TZOFFSETFROM|TZOFFSETTO|TZNAME|DTSTART|RRULE|UID|SEQUENCE|DTSTAMP|DTEND|SUMMARY|LOCATION|DESCRIPTION|ORGANIZER|ATTENDEE|STATUS)[;:]/,
          );
        }
        expect(ics.match(/^BEGIN:VEVENT$/gm)).toHaveLength(1);
        // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this pattern removes or finds.
        expect(ics).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/);

        const a = parseWithIcalJs(ics);
        expect(a.vevents).toBe(1);
        expect(a.calendarProps).toEqual(CALENDAR_PROPS);
        expect(a.eventProps).toEqual(REQUEST_EVENT_PROPS);
        expect(a.method).toBe(method);
        expect(a.summary).toBe(cleanText(i.title));
        const venue = cleanText(i.venue) || 'Islamabad';
        expect(a.location).toBe(venue);
        expect(a.organizer).toEqual({ email: 'secretariat@example.org', cn: cleanParamText(i.organiser), params: ['CN'] });
        expect(a.attendees).toEqual([
          {
            email: 'p1@example.org',
            cn: cleanParamText(i.name),
            partstat: 'NEEDS-ACTION',
            rsvp: i.cancel ? 'FALSE' : 'TRUE',
            params: ATTENDEE_PARAMS,
          },
        ]);

        const n = parseWithNodeIcal(ics);
        expect(n.vevents).toBe(1);
        expect(n.method).toBe(method);
        // node-ical 0.26 misreads two things in TEXT values, both on its side: a backslash followed by
        // `n` (it unescapes in the wrong order) and a value wrapped in double quotes (it strips them).
        const nodeIcalReadsAsIs = (v: string): boolean => !v.includes('\\') && !/^"[^\n]*"$/.test(v);
        if (nodeIcalReadsAsIs(cleanText(i.title))) expect(n.summary).toBe(cleanText(i.title));
        if (nodeIcalReadsAsIs(venue)) expect(n.location).toBe(venue);
        if (nodeIcalReadsAsIs(a.description)) expect(n.description).toBe(a.description);
        // node-ical turns a parameter that looks like a number or TRUE/FALSE into one ("5." reads as 5).
        const nodeIcalParam = (v: string): string => (v === 'TRUE' || v === 'FALSE' || !Number.isNaN(Number(v)) ? n.organizer.cn : v);
        expect(n.organizer).toEqual({ email: 'secretariat@example.org', cn: nodeIcalParam(cleanParamText(i.organiser)), params: ['CN'] });
        const attendeeCn = cleanParamText(i.name);
        expect(n.attendees).toEqual([
          {
            email: 'p1@example.org',
            cn: attendeeCn === 'TRUE' || attendeeCn === 'FALSE' || !Number.isNaN(Number(attendeeCn)) ? n.attendees[0]?.cn : attendeeCn,
            partstat: 'NEEDS-ACTION',
            rsvp: i.cancel ? 'FALSE' : 'TRUE',
            params: ATTENDEE_PARAMS,
          },
        ]);
        expect(n.startUtc).toBe(a.startUtc);
      }),
      { numRuns: 150 },
    );
  });

  test('the email has only its own headers and exactly its one recipient', async () => {
    const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
    await fc.assert(
      fc.asyncProperty(inputs, async (i) => {
        const { d, session, participant } = scenario(i);
        const method = i.cancel ? 'CANCEL' : 'REQUEST';
        const { message } = buildInviteEmail(d, session, participant, { method, now: new Date('2026-11-28T00:00:00Z') });
        const info = await transport.sendMail(message);
        expect(info.envelope).toEqual({ from: 'secretariat@example.org', to: ['p1@example.org'] });
        const raw = (info.message as Buffer).toString('utf8');
        const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
        const names = head
          .split('\r\n')
          .filter((l) => !/^[ \t]/.test(l))
          .map((l) => l.slice(0, l.indexOf(':')).toLowerCase());
        expect(names.sort()).toEqual(['content-type', 'date', 'from', 'message-id', 'mime-version', 'subject', 'to']);
        const parsed = await simpleParser(raw);
        const to = Array.isArray(parsed.to) ? parsed.to : [parsed.to];
        expect(to.flatMap((t) => t?.value ?? []).map((v) => v.address)).toEqual(['p1@example.org']);
        expect(parsed.from?.value.map((v) => v.address)).toEqual(['secretariat@example.org']);
        expect(parsed.cc).toBeUndefined();
        expect(parsed.bcc).toBeUndefined();
        expect(parsed.html).not.toMatch(/<script|<img|<a /i);
      }),
      { numRuns: 100 },
    );
  });
});
