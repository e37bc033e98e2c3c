import { randomUUID } from 'node:crypto';
import { DialogueError, NotFoundError } from './errors.js';
import type { Dialogue, Session } from './model.js';
import { compact, copy, validated } from './validate.js';

/** A session to put on the agenda; `sequence`, `status` and `uid` are set for you. */
export type NewSession = Omit<Session, 'sequence' | 'status' | 'uid'> & {
  /**
   * iCalendar UID, set once and never changed.
   * @default `<random UUID>@tahaffuz.dialogue`
   */
  uid?: string;
};

/** The changes a participant would see in their calendar. */
export type SessionChanges = Partial<Pick<Session, 'title' | 'description' | 'start' | 'end' | 'location' | 'speaker_ids' | 'invitees'>>;

/** Adds a session at sequence 0. Returns the changed dialogue. */
export function addSession(dialogue: Dialogue, session: NewSession): Dialogue {
  const next = copy(dialogue);
  next.sessions.push(
    compact({
      ...session,
      sequence: 0,
      status: 'scheduled' as const,
      uid: session.uid ?? `${randomUUID()}@tahaffuz.dialogue`,
    }),
  );
  return validated(next);
}

function findSession(dialogue: Dialogue, id: string): Session {
  const s = dialogue.sessions.find((x) => x.id === id);
  if (s === undefined) throw new NotFoundError('session', id);
  return s;
}

/**
 * Changes a session and bumps its SEQUENCE, so the next `invite` run sends the update to exactly the
 * people concerned. Keys set to `undefined` remove the field. A cancelled session cannot be changed.
 */
export function updateSession(dialogue: Dialogue, id: string, changes: SessionChanges): Dialogue {
  const next = copy(dialogue);
  const session = findSession(next, id);
  if (session.status === 'cancelled') {
    throw new DialogueError(`session "${id}" is cancelled and cannot be changed; add a new session instead`, {
      code: 'SESSION_CANCELLED',
    });
  }
  const changed = compact({ ...session, ...changes, sequence: session.sequence + 1 }) as Session;
  next.sessions = next.sessions.map((s) => (s.id === id ? changed : s));
  return validated(next);
}

/** Moves a session to a new start and end (wall-clock times in the dialogue's zone), and optionally a new room. */
export function rescheduleSession(dialogue: Dialogue, id: string, when: { start: string; end: string; location?: string }): Dialogue {
  return updateSession(dialogue, id, when);
}

/** Cancels a session: status `cancelled`, SEQUENCE+1; the next `invite` run sends a CANCEL to its attendees. */
export function cancelSession(dialogue: Dialogue, id: string): Dialogue {
  const next = copy(dialogue);
  const session = findSession(next, id);
  if (session.status === 'cancelled') return validated(next);
  session.status = 'cancelled';
  session.sequence += 1;
  return validated(next);
}
