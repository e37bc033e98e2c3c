import { DialogueValidationError } from './errors.js';
import type { Dialogue, Organisation, Participant } from './model.js';
import { compact, copy, validated } from './validate.js';

/** Adds organisations; an id already present is an error. Returns the changed dialogue. */
export function addOrganisations(dialogue: Dialogue, organisations: readonly Organisation[]): Dialogue {
  const next = copy(dialogue);
  next.organisations.push(...organisations.map((o) => compact({ ...o })));
  return validated(next);
}

/** Adds or replaces (by id) organisations. Returns the changed dialogue. */
export function upsertOrganisations(dialogue: Dialogue, organisations: readonly Organisation[]): Dialogue {
  const next = copy(dialogue);
  next.organisations = upsert(next.organisations, organisations);
  return validated(next);
}

/** Adds participants; an id already present is an error. Returns the changed dialogue. */
export function addParticipants(dialogue: Dialogue, participants: readonly Participant[]): Dialogue {
  const next = copy(dialogue);
  next.participants.push(...participants.map((p) => compact({ ...p })));
  return validated(next);
}

/** Adds or replaces (by id) participants. Returns the changed dialogue. */
export function upsertParticipants(dialogue: Dialogue, participants: readonly Participant[]): Dialogue {
  const next = copy(dialogue);
  next.participants = upsert(next.participants, participants);
  return validated(next);
}

/** Replaces items with the same id in place and appends the new ones, in input order. */
export function upsert<T extends { id: string }>(existing: readonly T[], incoming: readonly T[]): T[] {
  const seen = new Set<string>();
  for (const item of incoming) {
    if (seen.has(item.id)) {
      throw new DialogueValidationError('input', [{ path: item.id, message: `id "${item.id}" appears twice` }]);
    }
    seen.add(item.id);
  }
  const byId = new Map(incoming.map((item) => [item.id, compact({ ...item }) as T] as const));
  const result = existing.map((item) => byId.get(item.id) ?? item);
  const known = new Set(existing.map((item) => item.id));
  for (const item of incoming) if (!known.has(item.id)) result.push(compact({ ...item }) as T);
  return result;
}
