import type { ProgressUpdate, Recommendation } from './model.js';

/**
 * The recommendation with only the updates `keep` accepts, and the status and progress those set: the
 * status the last kept status change moved it to (before any, the status its first recorded change
 * started from); the progress of the last kept update that has one (0 when only others carry one). A
 * recommendation whose updates never changed status or progress keeps its recorded values (they were
 * entered, not reported).
 */
function replayed(r: Recommendation, keep: (u: ProgressUpdate) => boolean): Recommendation {
  const updates = r.updates.filter(keep);
  const statusChanges = r.updates.filter((u) => u.status_to !== undefined);
  const keptStatus = updates.filter((u) => u.status_to !== undefined).at(-1)?.status_to;
  const status = keptStatus ?? (statusChanges.length === 0 ? r.status : (statusChanges[0]?.status_from ?? r.status));
  const withProgress = r.updates.filter((u) => u.progress !== undefined);
  const keptProgress = updates.filter((u) => u.progress !== undefined).at(-1)?.progress;
  const progress = keptProgress ?? (withProgress.length === 0 ? r.progress : 0);
  return { ...r, updates, status, progress };
}

/**
 * A recommendation as the public sees it: its public updates only, and the status and progress those
 * updates set. The status is the one the last public update with a status change moved it to (before
 * any, the status its first recorded change started from); the progress is the last public update's
 * figure (0 when only internal updates carry one). A recommendation whose updates never changed status
 * or progress keeps its recorded values (they were entered, not reported).
 */
export function publicView(r: Recommendation): Recommendation {
  return replayed(r, (u) => u.public);
}

/**
 * A recommendation as it stood at the end of `date` (`YYYY-MM-DD`): the updates dated up to then and
 * the status and progress they set; undefined when it was not adopted yet.
 */
export function asOf(r: Recommendation, date: string): Recommendation | undefined {
  if (r.adopted_on === undefined || r.adopted_on > date) return undefined;
  return replayed(r, (u) => u.date <= date);
}
