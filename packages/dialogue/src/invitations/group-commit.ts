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

/** Creates a {@link GroupCommit} around `save`; never two saves at once. */
export function createGroupCommit(save: () => Promise<void> | void): GroupCommit {
  let waiting: Waiter[] = [];
  let saving = false;

  const loop = async (): Promise<void> => {
    saving = true;
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      try {
        await save();
        for (const w of batch) w.resolve();
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    saving = false;
  };

  return {
    commit() {
      return new Promise<void>((resolve, reject) => {
        waiting.push({ resolve, reject });
        if (!saving) void loop();
      });
    },
  };
}
