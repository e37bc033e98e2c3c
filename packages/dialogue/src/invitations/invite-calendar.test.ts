import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import ical from 'ical-generator';
import { DateTime } from 'luxon';
import { describe, expect, test } from 'vitest';
import { isDialogueError } from '../errors.js';
import { attendeesOf, type Dialogue } from '../model.js';
import { buildInviteCalendar } from './invite-calendar.js';
import { testDialogue } from './test-dialogue.js';
import { parseWithIcalJs, parseWithNodeIcal, unfoldedLines } from './test-support.js';

const NOW = new Date('2026-11-28T03:04:05Z');

/** A dialogue in a zone with daylight saving, sessions on both sides of a change. */
function londonDialogue(): Dialogue {
  const d = testDialogue({ timezone: 'Europe/London' });
  d.sessions[0] = { ...d.sessions[0]!, start: '2026-10-24T09:00', end: '2026-10-24T10:00' }; // BST, UTC+1
  d.sessions[3] = { ...d.sessions[3]!, start: '2026-10-25T09:00', end: '2026-10-25T10:30' }; // GMT, after the change
  return d;
}

function checkRules(d: Dialogue, method: 'REQUEST' | 'CANCEL'): number {
  let checked = 0;
  for (const session of d.sessions) {
    for (const p of attendeesOf(d, session)) {
      const ics = buildInviteCalendar(d, session, p, { method, now: NOW, sequence: session.sequence });
      const lines = unfoldedLines(ics);
      const start = DateTime.fromISO(session.start, { zone: d.timezone }).toUTC().toISO();
      const end = DateTime.fromISO(session.end, { zone: d.timezone }).toUTC().toISO();
      for (const parsed of [parseWithIcalJs(ics), parseWithNodeIcal(ics)]) {
        expect(parsed.method).toBe(method);
        expect(parsed.vevents).toBe(1);
        expect(parsed.uid).toBe(session.uid);
        expect(parsed.sequence).toBe(session.sequence);
        expect(parsed.status).toBe(method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED');
        expect(parsed.vtimezones).toEqual([d.timezone]);
        expect(parsed.startTzid).toBe(d.timezone);
        expect(parsed.startUtc).toBe(start);
        expect(parsed.endUtc).toBe(end);
        expect(parsed.organizer.email).toBe(d.organiser.email);
        expect(parsed.attendees).toHaveLength(1);
        expect(parsed.attendees[0]).toMatchObject({
          email: p.email,
          cn: p.name,
          partstat: 'NEEDS-ACTION',
          rsvp: method === 'REQUEST' ? 'TRUE' : 'FALSE',
        });
      }
      // The wall-clock time as typed, with its zone; DTSTAMP in UTC.
      expect(lines).toContain(`DTSTART;TZID=${d.timezone}:${session.start.replace(/[-:]/g, '')}00`);
      expect(lines).toContain(`DTEND;TZID=${d.timezone}:${session.end.replace(/[-:]/g, '')}00`);
      expect(lines).toContain('DTSTAMP:20261128T030405Z');
      expect(lines).toContain(`METHOD:${method}`);
      expect(ics).not.toMatch(/^(X-WR-CALNAME|X-WR-TIMEZONE|TIMEZONE-ID|NAME)[;:]/m);
      expect(lines.filter((l) => l.startsWith('ORGANIZER'))).toEqual([`ORGANIZER;CN="${d.organiser.name}":mailto:${d.organiser.email}`]);
      checked++;
    }
  }
  return checked;
}

describe('buildInviteCalendar follows every invitation rule', () => {
  test('requests in Asia/Karachi, read by ical.js and node-ical', () => {
    expect(checkRules(testDialogue(), 'REQUEST')).toBe(4 + 2 + 2 + 4);
  });

  test('requests across a daylight-saving change in Europe/London', () => {
    const d = londonDialogue();
    expect(checkRules(d, 'REQUEST')).toBe(12);
    const ics = buildInviteCalendar(d, d.sessions[0]!, d.participants[0]!, { method: 'REQUEST', now: NOW });
    expect(parseWithIcalJs(ics).startUtc).toBe('2026-10-24T08:00:00.000Z');
    const after = buildInviteCalendar(d, d.sessions[3]!, d.participants[0]!, { method: 'REQUEST', now: NOW });
    expect(parseWithNodeIcal(after).startUtc).toBe('2026-10-25T09:00:00.000Z');
  });

  test('cancellations carry METHOD:CANCEL and STATUS:CANCELLED with the same UID and the new SEQUENCE', () => {
    const d = testDialogue();
    d.sessions = d.sessions.map((s) => ({ ...s, sequence: 3, status: 'cancelled' as const }));
    expect(checkRules(d, 'CANCEL')).toBe(12);
  });

  test('a dialogue in UTC gets UTC times with Z, read alike by both parsers', () => {
    const d = testDialogue({ timezone: 'UTC' });
    const ics = buildInviteCalendar(d, d.sessions[0]!, d.participants[0]!, { method: 'REQUEST', now: NOW });
    expect(unfoldedLines(ics)).toContain('DTSTART:20261201T090000Z');
    expect(parseWithIcalJs(ics).startUtc).toBe('2026-12-01T09:00:00.000Z');
    expect(parseWithNodeIcal(ics).startUtc).toBe('2026-12-01T09:00:00.000Z');
  });

  test('a wall-clock time that daylight saving skips is refused, not moved', () => {
    const d = testDialogue({ timezone: 'Europe/London' });
    const session = { ...d.sessions[0]!, start: '2026-03-29T01:30', end: '2026-03-29T03:00' };
    let error: unknown;
    try {
      buildInviteCalendar(d, session, d.participants[0]!, { method: 'REQUEST' });
    } catch (e) {
      error = e;
    }
    expect(isDialogueError(error)).toBe(true);
    expect(String((error as Error).message)).toMatch(/does not exist in Europe\/London/);
  });

  test('a zone the VTIMEZONE generator does not know is refused instead of sent without VTIMEZONE', () => {
    const d = testDialogue({ timezone: 'Europe/Kyiv' });
    expect(() => buildInviteCalendar(d, d.sessions[0]!, d.participants[0]!, { method: 'REQUEST' })).toThrow(/no VTIMEZONE data/);
  });

  test('an address that would need escaping in a calendar is refused', () => {
    const d = testDialogue();
    d.participants[0]!.email = 'a;b@example.org';
    expect(() => buildInviteCalendar(d, d.sessions[0]!, d.participants[0]!, { method: 'REQUEST' })).toThrow(/participant "p1"/);
  });
});

// ical-generator 10.2 used the obvious way. If one of these starts failing after an upgrade, the
// pitfall is fixed upstream: re-check docs/decisions/0005-ical-generator-workarounds.md.
describe('the ical-generator pitfalls the builder works around (still present in 10.2)', () => {
  const instant = new Date('2026-12-01T04:00:00Z'); // 09:00 in Karachi

  test("a calendar-wide time zone drops DTSTAMP's Z and leaves DTSTART floating", () => {
    const cal = ical({ timezone: 'Asia/Karachi' });
    cal.createEvent({ id: 'x', start: instant, end: new Date(instant.getTime() + 3_600_000), stamp: instant, summary: 's' });
    const lines = unfoldedLines(cal.toString());
    expect(lines.find((l) => l.startsWith('DTSTAMP:'))).not.toMatch(/Z$/);
    expect(lines.find((l) => l.startsWith('DTSTART'))).toMatch(/^DTSTART:\d{8}T\d{6}$/);
    expect(lines).toContain('X-WR-TIMEZONE:Asia/Karachi');
  });

  test("a plain Date with an event time zone is written in the server's clock", () => {
    const cal = ical();
    cal.createEvent({
      id: 'x',
      timezone: 'Asia/Karachi',
      start: instant,
      end: new Date(instant.getTime() + 3_600_000),
      stamp: instant,
      summary: 's',
    });
    const local = `${String(instant.getFullYear())}${String(instant.getMonth() + 1).padStart(2, '0')}${String(instant.getDate()).padStart(2, '0')}T${String(instant.getHours()).padStart(2, '0')}`;
    expect(cal.toString()).toContain(`DTSTART;TZID=Asia/Karachi:${local}`);
  });

  test('a " in an attendee name ends the CN parameter', () => {
    const cal = ical();
    const start = DateTime.fromISO('2026-12-01T09:00', { zone: 'Asia/Karachi' });
    const e = cal.createEvent({ id: 'x', start, end: start.plus({ hours: 1 }), timezone: 'Asia/Karachi', stamp: instant, summary: 's' });
    e.organizer({ name: 'O', email: 'o@example.org' });
    e.createAttendee({ name: 'A "B";RSVP=FALSE', email: 'a@example.org', rsvp: true });
    const ics = cal.toString();
    expect(unfoldedLines(ics).find((l) => l.startsWith('ATTENDEE'))).toContain('CN="A \\"B\\";RSVP=FALSE"');
    expect(parseWithIcalJs(ics).attendees[0]!.cn).not.toBe('A "B";RSVP=FALSE');
    // node-ical 0.26 loses the attendee altogether.
    const n = parseWithNodeIcal(ics).attendees;
    expect(n.length === 1 && n[0]!.cn === 'A "B";RSVP=FALSE' && n[0]!.rsvp === 'TRUE').toBe(false);
  });

  test('without a generator there is no VTIMEZONE, and a calendar name becomes X-WR-CALNAME', () => {
    const cal = ical({ name: 'Dialogue' });
    cal.createEvent({
      id: 'x',
      start: DateTime.fromISO('2026-12-01T09:00', { zone: 'Asia/Karachi' }),
      timezone: 'Asia/Karachi',
      stamp: instant,
      summary: 's',
    });
    expect(cal.toString()).not.toContain('BEGIN:VTIMEZONE');
    expect(cal.toString()).toContain('X-WR-CALNAME:Dialogue');
    expect(getVtimezoneComponent('Asia/Karachi')).toContain('TZID:Asia/Karachi');
  });
});
