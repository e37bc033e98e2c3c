import { createHash } from 'node:crypto';
import { attendeesOf, type Dialogue, type InvitationMethod, type InvitationRecord, type Participant, type Session } from '../model.js';

/** Why a message is in the plan. */
export type PlanReason =
  /** First invitation of this participant to this session. */
  | 'new'
  /** The session (or what the participant's copy says) changed since the last version sent. */
  | 'changed'
  /** The session was cancelled; the participant had been invited. */
  | 'cancelled'
  /** The participant is no longer invited (e.g. moved to another working group). */
  | 'uninvited'
  /** The last attempt failed transiently (or was rejected and `retryRejected` is set): same version again. */
  | 'retry'
  /** A crash left the outcome unknown: the same UID and SEQUENCE go again; the participant may get it twice. */
  | 'unknown_outcome';

/** One message the send log says is still to go. */
export interface PlannedInvitation {
  readonly session: Session;
  readonly participant: Participant;
  readonly method: InvitationMethod;
  /** SEQUENCE to send: above anything this participant already holds for the session. */
  readonly sequence: number;
  /** What the log will remember this version by. */
  readonly contentHash: string;
  readonly reason: PlanReason;
}

/** Options of {@link planInvitations}. */
export interface PlanOptions {
  /** Send again the versions a server rejected permanently (after fixing an address, say). @default false */
  readonly retryRejected?: boolean;
}

/** The key of a send-log entry. */
export function invitationKey(sessionId: string, participantId: string): string {
  return `${sessionId}\u0000${participantId}`;
}

/**
 * The hash a send-log entry remembers a version by: everything the participant's calendar entry
 * says (UID, method, times and zone, title, description, place, organiser, the participant's name,
 * address and working group), nothing that changes on its own (DTSTAMP, SEQUENCE).
 */
export function invitationContentHash(dialogue: Dialogue, session: Session, participant: Participant, method: InvitationMethod): string {
  const group =
    session.kind === 'breakout'
      ? (session.working_group_id ??
        dialogue.working_groups.find(
          (g) => g.member_ids.includes(participant.id) || g.facilitator_id === participant.id || g.rapporteur_id === participant.id,
        )?.id)
      : undefined;
  const groupRecord = group === undefined ? undefined : dialogue.working_groups.find((g) => g.id === group);
  const canonical = JSON.stringify([
    1,
    session.uid,
    method,
    dialogue.timezone,
    session.start,
    session.end,
    session.title,
    session.description ?? null,
    session.location ?? dialogue.venue,
    dialogue.title,
    dialogue.organiser.name,
    dialogue.organiser.email,
    participant.name,
    participant.email,
    groupRecord === undefined ? null : [groupRecord.code, groupRecord.theme],
  ]);
  return `sha256:${createHash('sha256').update(canonical).digest('base64url')}`;
}

/**
 * Works out, from the dialogue and its send log, which messages still have to go: invitations that are
 * new or whose content changed (SEQUENCE raised above what the participant holds), CANCELs to exactly
 * the people who were sent an invitation for a session now cancelled or who are no longer invited,
 * retries of transient failures, and the resend of a message whose outcome a crash left unknown
 * (same UID and SEQUENCE). Sessions and participants come in the dialogue's order.
 *
 * @example
 * for (const item of planInvitations(dialogue)) console.log(item.session.id, item.participant.id, item.method, item.reason);
 */
export function planInvitations(dialogue: Dialogue, options: PlanOptions = {}): PlannedInvitation[] {
  const log = new Map<string, InvitationRecord>();
  for (const record of dialogue.invitations) log.set(invitationKey(record.session_id, record.participant_id), record);
  const plan: PlannedInvitation[] = [];

  for (const session of dialogue.sessions) {
    const invited = session.status === 'scheduled' ? new Set(attendeesOf(dialogue, session).map((p) => p.id)) : new Set<string>();
    for (const participant of dialogue.participants) {
      const record = log.get(invitationKey(session.id, participant.id));
      const push = (method: InvitationMethod, sequence: number, reason: PlanReason): void => {
        plan.push({
          session,
          participant,
          method,
          sequence,
          reason,
          contentHash: invitationContentHash(dialogue, session, participant, method),
        });
      };
      const sameVersionAgain = (r: InvitationRecord): PlanReason | undefined => {
        if (r.state === 'sending') return 'unknown_outcome';
        if (r.state === 'failed' || r.state === 'pending') return 'retry';
        if (r.state === 'rejected' && options.retryRejected === true) return 'retry';
        return undefined;
      };
      const next = (r: InvitationRecord): number => Math.max(session.sequence, r.sequence_sent + 1);

      if (invited.has(participant.id)) {
        if (record === undefined) {
          push('REQUEST', session.sequence, 'new');
          continue;
        }
        const hash = invitationContentHash(dialogue, session, participant, 'REQUEST');
        if (record.method === 'REQUEST' && record.content_hash === hash) {
          const reason = sameVersionAgain(record);
          if (reason !== undefined) push('REQUEST', record.sequence_sent, reason);
        } else {
          push('REQUEST', next(record), 'changed');
        }
        continue;
      }

      if (record === undefined) continue;
      const why: PlanReason = session.status === 'cancelled' ? 'cancelled' : 'uninvited';
      if (record.method === 'REQUEST') {
        // Only someone who may hold the invitation needs its cancellation.
        if (record.state === 'sent' || record.state === 'sending') push('CANCEL', next(record), why);
      } else {
        const reason = sameVersionAgain(record);
        if (reason !== undefined) push('CANCEL', record.sequence_sent, reason);
      }
    }
  }
  return plan;
}
