import { IllegalTransitionError } from './errors.js';
import type { RecommendationStatus } from './model.js';

/**
 * The recommendation state machine (DESIGN.md): draft -> adopted -> not_started -> in_progress <->
 * stalled -> completed -> verified (by the organiser); any non-final state -> withdrawn | superseded.
 */
export const RECOMMENDATION_TRANSITIONS: Readonly<Record<RecommendationStatus, readonly RecommendationStatus[]>> = {
  draft: ['adopted', 'withdrawn', 'superseded'],
  adopted: ['not_started', 'withdrawn', 'superseded'],
  not_started: ['in_progress', 'withdrawn', 'superseded'],
  in_progress: ['stalled', 'completed', 'withdrawn', 'superseded'],
  stalled: ['in_progress', 'withdrawn', 'superseded'],
  completed: ['verified', 'withdrawn', 'superseded'],
  verified: [],
  withdrawn: [],
  superseded: [],
};

/** States nothing leaves. */
export const FINAL_STATUSES: readonly RecommendationStatus[] = ['verified', 'withdrawn', 'superseded'];

/** States in which a recommendation is followed up (reporting dates, due, overdue). */
export const TRACKED_STATUSES: readonly RecommendationStatus[] = ['adopted', 'not_started', 'in_progress', 'stalled'];

/** The states a recommendation may move to from `from`. */
export function allowedNextStatuses(from: RecommendationStatus): readonly RecommendationStatus[] {
  return RECOMMENDATION_TRANSITIONS[from];
}

/** True when the state machine allows `from` -> `to`. */
export function canTransition(from: RecommendationStatus, to: RecommendationStatus): boolean {
  return RECOMMENDATION_TRANSITIONS[from].includes(to);
}

/** Throws `IllegalTransitionError`, naming the allowed next states, unless `from` -> `to` is allowed. */
export function assertTransition(recommendationId: string, from: RecommendationStatus, to: RecommendationStatus): void {
  if (!canTransition(from, to)) throw new IllegalTransitionError(recommendationId, from, to, allowedNextStatuses(from));
}
