import { DialogueValidationError, problemsFromIssues } from './errors.js';
import { DialogueSchema, type Dialogue } from './model.js';

/** Validates a whole dialogue after a change; throws `DialogueValidationError` naming each bad path. */
export function validated(dialogue: Dialogue, what = `dialogue "${dialogue.id}"`): Dialogue {
  const r = DialogueSchema.safeParse(dialogue);
  if (!r.success) throw new DialogueValidationError(what, problemsFromIssues(r.error.issues));
  return r.data;
}

/** A deep copy, so that a failed change leaves the caller's dialogue as it was. */
export function copy(dialogue: Dialogue): Dialogue {
  return structuredClone(dialogue);
}

/** Drops the keys whose value is `undefined`, as `exactOptionalPropertyTypes` and the JSON file want. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
