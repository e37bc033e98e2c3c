import { StaleWriteError } from './errors.js';
import type { Dialogue } from './model.js';
import type { DialogueStore } from './store.js';

/** Options of {@link updateDialogue}. */
export interface UpdateOptions {
  /**
   * How many times to load again and re-apply the change when another writer saved in between.
   * @default 2
   */
  retries?: number;
}

/**
 * Loads a dialogue, applies a change and saves it with the version check. When another writer got
 * there first, loads again and re-applies the change (it must be a pure function of the dialogue),
 * up to `retries` times; then the `StaleWriteError` is thrown.
 *
 * @example
 * await updateDialogue(store, 'nd-2026', (d) => cancelSession(d, 'panel-2'));
 */
export async function updateDialogue(
  store: DialogueStore,
  id: string,
  change: (dialogue: Dialogue) => Dialogue | Promise<Dialogue>,
  options: UpdateOptions = {},
): Promise<Dialogue> {
  const retries = options.retries ?? 2;
  for (let attempt = 0; ; attempt++) {
    const current = await store.load(id);
    const next = await change(structuredClone(current));
    try {
      return await store.save(next, current.version);
    } catch (error) {
      if (!(error instanceof StaleWriteError) || attempt >= retries) throw error;
    }
  }
}
