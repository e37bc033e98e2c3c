import { DateTime } from 'luxon';
import { DialogueError } from '../errors.js';
import type { Dialogue, Session } from '../model.js';

/** A session's start and end as instants in the dialogue's zone. */
export interface SessionTimes {
  readonly start: DateTime<true>;
  readonly end: DateTime<true>;
}

function wallClock(value: string, zone: string, sessionId: string, field: string): DateTime<true> {
  const dt = DateTime.fromISO(value, { zone });
  if (!dt.isValid) {
    throw new DialogueError(`session "${sessionId}": ${field} is not a time in zone ${zone}`, { code: 'BAD_TIME' });
  }
  // Luxon moves a wall-clock time that falls in a daylight-saving gap; a calendar would then show a
  // time nobody typed. Refuse instead.
  if (dt.toFormat("yyyy-LL-dd'T'HH:mm") !== value) {
    throw new DialogueError(`session "${sessionId}": ${field} ${value} does not exist in ${zone} (clocks skip it); pick another time`, {
      code: 'BAD_TIME',
    });
  }
  return dt;
}

/**
 * The session's start and end, read as wall-clock times in the dialogue's IANA zone (never through
 * the server's clock), checked to exist and to be in order.
 */
export function sessionTimes(dialogue: Pick<Dialogue, 'timezone'>, session: Session): SessionTimes {
  // Parsing a zoned time is a good part of building an email, and a dialogue has few distinct
  // times: remember them (luxon values are immutable).
  const key = `${dialogue.timezone}\u0000${session.start}\u0000${session.end}`;
  const known = cache.get(key);
  if (known !== undefined) return known;
  const start = wallClock(session.start, dialogue.timezone, session.id, 'start');
  const end = wallClock(session.end, dialogue.timezone, session.id, 'end');
  if (end <= start) {
    throw new DialogueError(`session "${session.id}": end must be after start`, { code: 'BAD_TIME' });
  }
  if (cache.size >= 2000) cache.clear();
  const times = { start, end };
  cache.set(key, times);
  return times;
}

const cache = new Map<string, SessionTimes>();
