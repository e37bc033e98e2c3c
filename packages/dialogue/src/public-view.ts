import type { Recommendation } from './model.js';

/**
 * A recommendation as the public sees it: its public updates only, and the status and progress those
 * updates set. The status is the one the last public update with a status change moved it to (before
 * any, the status its first recorded change started from); the progress is the last public update's
 * figure (0 when only internal updates carry one). A recommendation whose updates never changed status
 * or progress keeps its recorded values (they were entered, not reported).
 */
export function publicView(r: Recommendation): Recommendation {
  const updates = r.updates.filter((u) => u.public);
  const statusChanges = r.updates.filter((u) => u.status_to !== undefined);
  const publicStatus = updates.filter((u) => u.status_to !== undefined).at(-1)?.status_to;
  const status = publicStatus ?? (statusChanges.length === 0 ? r.status : (statusChanges[0]?.status_from ?? r.status));
  const progressUpdates = r.updates.filter((u) => u.progress !== undefined);
  const publicProgress = updates.filter((u) => u.progress !== undefined).at(-1)?.progress;
  const progress = publicProgress ?? (progressUpdates.length === 0 ? r.progress : 0);
  return { ...r, updates, status, progress };
}
