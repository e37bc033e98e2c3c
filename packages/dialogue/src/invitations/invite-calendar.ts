import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalAttendeeType, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { DialogueError } from '../errors.js';
import { workingGroupOf, type Dialogue, type InvitationMethod, type Participant, type Session } from '../model.js';
import { assertPlainMailbox, cleanParamText, cleanText } from './ics-text.js';
import { sessionTimes, type SessionTimes } from './session-time.js';

/** Options of {@link buildInviteCalendar}. */
export interface InviteCalendarOptions {
  /** `REQUEST` invites or updates; `CANCEL` withdraws the session (or this participant from it). */
  readonly method: InvitationMethod;
  /** DTSTAMP: when the message is created. @default new Date() */
  readonly now?: Date;
  /** SEQUENCE to write; the send plan raises it above anything the participant already has. @default session.sequence */
  readonly sequence?: number;
}

const ZONE_NAME = /^[A-Za-z0-9_+\-/]+$/;
const vtimezones = new Map<string, string>();

/** The VTIMEZONE block for an IANA zone; throws when the generator has no data for it. */
function vtimezone(zone: string): string {
  let block = vtimezones.get(zone);
  if (block === undefined) {
    const generated = ZONE_NAME.test(zone) ? getVtimezoneComponent(zone) : null;
    if (!generated) {
      throw new DialogueError(`no VTIMEZONE data for time zone ${JSON.stringify(zone)}; use a canonical IANA name`, {
        code: 'BAD_TIMEZONE',
      });
    }
    block = generated;
    vtimezones.set(zone, block);
  }
  return block;
}

/**
 * What the calendar says about the session, in the participant's terms: the session's own
 * description, and for a breakout the working group the participant sits in.
 */
function describe(dialogue: Dialogue, session: Session, participant: Participant): string {
  const parts: string[] = [];
  if (session.description !== undefined) parts.push(session.description);
  if (session.kind === 'breakout') {
    const group = dialogue.working_groups.find((g) => g.id === session.working_group_id) ?? workingGroupOf(dialogue, participant.id);
    if (group !== undefined) parts.push(`${group.code}: ${group.theme}`);
  }
  parts.push(dialogue.title);
  return parts.join('\n\n');
}

/**
 * Builds the iCalendar file (one VEVENT) that invites one participant to one session, following
 * every invitation rule of DESIGN.md: METHOD REQUEST or CANCEL (+ STATUS:CANCELLED), the session's
 * stable UID and SEQUENCE, ORGANIZER the organiser's mailbox, the participant as ATTENDEE with
 * RSVP=TRUE and PARTSTAT=NEEDS-ACTION, DTSTART/DTEND with TZID in the dialogue's zone plus its
 * VTIMEZONE, DTSTAMP in UTC, no X-WR-CALNAME. The bytes depend on the dialogue only (and on
 * `now`, in DTSTAMP), never on the process time zone.
 *
 * @example
 * const ics = buildInviteCalendar(dialogue, dialogue.sessions[0], dialogue.participants[0], { method: 'REQUEST' });
 */
export function buildInviteCalendar(
  dialogue: Dialogue,
  session: Session,
  participant: Participant,
  options: InviteCalendarOptions,
): string {
  return calendarWithTimes(dialogue, session, participant, options, sessionTimes(dialogue, session));
}

/** {@link buildInviteCalendar} with the session's times already read (the email builder needs them too). */
export function calendarWithTimes(
  dialogue: Dialogue,
  session: Session,
  participant: Participant,
  options: InviteCalendarOptions,
  { start, end }: SessionTimes,
): string {
  const zone = dialogue.timezone;
  const block = vtimezone(zone);
  assertPlainMailbox(dialogue.organiser.email, 'the organiser');
  assertPlainMailbox(participant.email, `participant "${participant.id}"`);
  const cancel = options.method === 'CANCEL';

  // No calendar-wide `timezone` name: with one, ical-generator writes DTSTAMP without its `Z` and
  // DTSTART/DTEND floating in the server's zone, and adds TIMEZONE-ID / X-WR-TIMEZONE. A nameless
  // entry still lets it call the VTIMEZONE generator for the event's own zone.
  const calendar = ical({
    prodId: { company: 'Tahaffuz', product: 'Dialogue', language: 'EN' },
    method: cancel ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
    timezone: { name: null, generator: () => block },
  });
  const event = calendar.createEvent({
    id: session.uid,
    sequence: options.sequence ?? session.sequence,
    stamp: options.now ?? new Date(),
    // Luxon values already set to the zone: ical-generator formats a plain Date with the server's
    // local clock when the event has a time zone.
    start,
    end,
    timezone: zone,
    summary: cleanText(session.title),
    description: cleanText(describe(dialogue, session, participant)),
    // An empty value would make ical-generator leave LOCATION out.
    location: cleanText(session.location ?? '') || cleanText(dialogue.venue) || '-',
    organizer: { name: cleanParamText(dialogue.organiser.name), email: dialogue.organiser.email },
    status: cancel ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });
  event.createAttendee({
    name: cleanParamText(participant.name),
    email: participant.email,
    role: ICalAttendeeRole.REQ,
    type: ICalAttendeeType.INDIVIDUAL,
    status: ICalAttendeeStatus.NEEDSACTION,
    rsvp: !cancel,
  });
  return calendar.toString();
}
