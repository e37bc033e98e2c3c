/**
 * Serialises saves of a document that is changed in place, and lets many changes share one save: a
 * caller waits for a save that started after its change, never for one that may have missed it.
 * Sending with several connections then costs one write per round of changes, not one per message.
 */
export interface GroupCommit {
  /** Resolves once a save that began after this call has completed; rejects if that save failed. */
  commit(): Promise<void>;
}

/** Creates a {@link GroupCommit} around `save`. */
export function createGroupCommit(save: () => Promise<void> | void): GroupCommit {
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;

  const start = (): Promise<void> => {
    const p = (async () => {
      await save();
    })();
    running = p;
    const clear = (): void => {
      if (running === p) running = undefined;
    };
    p.then(clear, clear);
    return p;
  };

  return {
    commit() {
      if (running === undefined) return start();
      if (queued === undefined) {
        const after = running.catch(() => undefined);
        queued = after.then(() => {
          queued = undefined;
          return start();
        });
      }
      return queued;
    },
  };
}
