import { attendeesOf, type Dialogue, type Partstat, type SendState } from '../model.js';
import { invitationKey } from './invitation-plan.js';

/** One line of the attendance list. */
export interface AttendanceRow {
  readonly session_id: string;
  readonly session_title: string;
  readonly start: string;
  readonly participant_id: string;
  readonly name: string;
  readonly organisation: string;
  /** Where the invitation stands in the send log; `not_sent` when it has no entry yet. */
  readonly invitation: SendState | 'not_sent';
  /** The participant's answer (NEEDS-ACTION until an RSVP arrives). */
  readonly partstat: Partstat;
}

/**
 * The attendance list: for each scheduled session, every invited participant with the state of the
 * invitation and their RSVP answer, in agenda order.
 *
 * @example
 * for (const row of attendanceList(dialogue)) console.log(row.session_id, row.participant_id, row.partstat);
 */
export function attendanceList(dialogue: Dialogue): AttendanceRow[] {
  const records = new Map(dialogue.invitations.map((r) => [invitationKey(r.session_id, r.participant_id), r] as const));
  const organisations = new Map(dialogue.organisations.map((o) => [o.id, o.name] as const));
  const rows: AttendanceRow[] = [];
  for (const session of dialogue.sessions) {
    if (session.status !== 'scheduled') continue;
    for (const p of attendeesOf(dialogue, session)) {
      const record = records.get(invitationKey(session.id, p.id));
      const current = record !== undefined && record.method === 'REQUEST';
      rows.push({
        session_id: session.id,
        session_title: session.title,
        start: session.start,
        participant_id: p.id,
        name: p.name,
        organisation: organisations.get(p.organisation_id) ?? p.organisation_id,
        invitation: current ? record.state : 'not_sent',
        partstat: current ? record.partstat : 'NEEDS-ACTION',
      });
    }
  }
  return rows;
}
