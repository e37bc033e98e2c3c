import { DialogueValidationError, problemsFromIssues } from './errors.js';
import { DialogueSchema, InstantSchema, InvitationRecordSchema, type Dialogue, type InvitationRecord } from './model.js';

/**
 * What the last full validation of a dialogue established: everything but the invitation send log
 * (as JSON, with the log and the version emptied) and a private copy of each send-log entry.
 */
interface Validated {
  readonly head: string;
  readonly entries: readonly InvitationRecord[];
  /** How many keys each entry has (same order as `entries`). */
  readonly sizes: readonly number[];
  readonly sessionIds: ReadonlySet<string>;
  readonly participantIds: ReadonlySet<string>;
}

/** The dialogue as JSON without its send log, version and save time: what a send-log save leaves alone. */
function headOf(dialogue: Dialogue): string {
  return JSON.stringify({ ...dialogue, invitations: [], version: 0, updated_at: '' });
}

/**
 * Same keys, same (primitive) values: a send-log entry is flat. `size`: how many keys `b` has. A key
 * of `a` that `b` lacks differs even when its value is `undefined`, so that adding one key and
 * deleting another cannot pass for no change.
 */
function sameEntry(a: InvitationRecord, b: InvitationRecord, size: number): boolean {
  let n = 0;
  for (const key in a) {
    if (!Object.hasOwn(b, key) || (a as Record<string, unknown>)[key] !== (b as Record<string, unknown>)[key]) return false;
    n++;
  }
  return n === size;
}

function full(dialogue: Dialogue): { checked: Dialogue; validated: Validated } {
  const r = DialogueSchema.safeParse(dialogue);
  if (!r.success) throw new DialogueValidationError(`dialogue "${dialogue.id}"`, problemsFromIssues(r.error.issues));
  const checked = r.data;
  return {
    checked,
    validated: {
      head: headOf(checked),
      entries: checked.invitations.map((e) => ({ ...e })),
      sizes: checked.invitations.map((e) => Object.keys(e).length),
      sessionIds: new Set(checked.sessions.map((s) => s.id)),
      participantIds: new Set(checked.participants.map((p) => p.id)),
    },
  };
}

/**
 * Validates a dialogue before it is saved, as `DialogueSchema` does, but re-checks only what changed
 * since `last` (the previous validation of the same dialogue): when everything outside the invitation
 * send log is unchanged, only the new or changed send-log entries are checked (their fields and that
 * their session and participant exist). Anything else, or any problem, takes the full validation,
 * whose error names every bad path. Returns a copy that shares nothing with the argument or `last`.
 */
export function validateChanges(dialogue: Dialogue, last: Validated | undefined): { checked: Dialogue; validated: Validated } {
  if (last === undefined || !Array.isArray(dialogue.invitations)) return full(dialogue);
  const head = headOf(dialogue);
  if (head !== last.head) return full(dialogue);
  const invitations: InvitationRecord[] = [];
  const entries: InvitationRecord[] = [];
  const sizes: number[] = [];
  for (const [i, entry] of dialogue.invitations.entries()) {
    const before = last.entries[i];
    const size = last.sizes[i];
    if (before !== undefined && size !== undefined && sameEntry(entry, before, size)) {
      invitations.push({ ...before });
      entries.push(before);
      sizes.push(size);
      continue;
    }
    const r = InvitationRecordSchema.safeParse(entry);
    if (!r.success || !last.sessionIds.has(r.data.session_id) || !last.participantIds.has(r.data.participant_id)) return full(dialogue);
    invitations.push(r.data);
    entries.push({ ...r.data });
    sizes.push(Object.keys(r.data).length);
  }
  const { version, updated_at } = dialogue;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0 || !InstantSchema.safeParse(updated_at).success)
    return full(dialogue);
  const checked = JSON.parse(head) as Dialogue;
  checked.invitations = invitations;
  checked.version = version;
  checked.updated_at = updated_at;
  return { checked, validated: { ...last, entries, sizes } };
}

export type { Validated };
