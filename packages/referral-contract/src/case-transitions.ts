import type { Case, CaseStage, CaseTransitionTarget } from './case.js';

/** The state a case transition starts from: its stage while open, or `closed`. */
export type CaseState = CaseStage | 'closed';

/**
 * The case transition table: from a case's state (its stage while open, `closed` once closed)
 * to the targets allowed. Closing is allowed from every stage (a screened-out case closes at
 * screening); a closed case can only be reopened.
 */
export const CASE_TRANSITIONS = {
  screening: ['assessment', 'closure', 'closed'],
  assessment: ['case_plan', 'closure', 'closed'],
  case_plan: ['services', 'assessment', 'closure', 'closed'],
  services: ['case_plan', 'closure', 'closed'],
  closure: ['services', 'closed'],
  closed: ['open'],
} as const satisfies Record<CaseState, readonly CaseTransitionTarget[]>;

/** The state a case is in for the transition table. */
export function caseState(kase: Pick<Case, 'status' | 'stage'>): CaseState {
  return kase.status === 'closed' ? 'closed' : kase.stage;
}

/** Whether a case in `from` (a state, or the case itself) may transition to `to`. */
export function canTransitionCase(from: CaseState | Pick<Case, 'status' | 'stage'>, to: CaseTransitionTarget): boolean {
  const state = typeof from === 'string' ? from : caseState(from);
  const allowed: readonly CaseTransitionTarget[] | undefined = CASE_TRANSITIONS[state];
  return allowed?.includes(to);
}

/** Whether a case transition to `to` needs a reason: closing and reopening do. */
export function caseTransitionNeedsReason(to: CaseTransitionTarget): boolean {
  return to === 'closed' || to === 'open';
}

/** The permission a case transition to `to` requires: `cases:close` to close or reopen, `cases:transition` otherwise. */
export function caseTransitionAction(to: CaseTransitionTarget): 'cases:close' | 'cases:transition' {
  return to === 'closed' || to === 'open' ? 'cases:close' : 'cases:transition';
}
