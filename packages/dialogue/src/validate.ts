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

/** `T` with the keys that may be `undefined` made optional and never `undefined`. */
export type Compact<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

/** Drops the keys whose value is `undefined`, as `exactOptionalPropertyTypes` and the JSON file want. */
export function compact<T extends object>(value: T): Compact<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Compact<T>;
}
