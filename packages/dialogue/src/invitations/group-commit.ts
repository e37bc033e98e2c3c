/**
 * Serialises saves of a document that is changed in place, and lets many changes share one save: a
 * caller waits for a save that started after its change, never for one that may have missed it.
 * Sending with several connections then costs one write per round of changes, not one per message.
 */
export interface GroupCommit {
  /** Resolves once a save that began after this call has completed; rejects if that save failed. */
  commit(): Promise<void>;
}

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

/** Options of {@link createGroupCommit}. */
export interface GroupCommitOptions {
  /** After a save fails, refuse every later commit with that error instead of saving again. @default false */
  readonly stopAfterFailure?: boolean;
}

/** Creates a {@link GroupCommit} around `save`; never two saves at once. */
export function createGroupCommit(save: () => Promise<void> | void, options: GroupCommitOptions = {}): GroupCommit {
  let waiting: Waiter[] = [];
  let saving = false;
  let failure: { error: unknown } | undefined;

  const loop = async (): Promise<void> => {
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      if (failure !== undefined) {
        for (const w of batch) w.reject(failure.error);
        continue;
      }
      try {
        await save();
        for (const w of batch) w.resolve();
      } catch (error) {
        if (options.stopAfterFailure === true) failure = { error };
        for (const w of batch) w.reject(error);
      }
    }
    saving = false;
  };

  return {
    commit() {
      return new Promise<void>((resolve, reject) => {
        waiting.push({ resolve, reject });
        if (!saving) {
          saving = true;
          // Start on the next turn of the event loop, so that changes made in this turn (the outcome
          // of one message and the `sending` mark of the next) share one save.
          setImmediate(() => void loop());
        }
      });
    },
  };
}
