import type { ReferralStatus } from './referral.js';

/** The states a referral never leaves. */
export const FINAL_REFERRAL_STATUSES = [
  'completed',
  'rejected',
  'failed',
  'cancelled',
  'entered_in_error',
] as const satisfies readonly ReferralStatus[];

/**
 * The referral transition table of DESIGN.md: draft -> requested -> accepted -> in_progress ->
 * completed; requested -> rejected; in_progress <-> on_hold; accepted | in_progress | on_hold ->
 * failed; any non-final state -> cancelled or entered_in_error. Final states allow nothing.
 */
export const REFERRAL_TRANSITIONS = {
  draft: ['requested', 'cancelled', 'entered_in_error'],
  requested: ['accepted', 'rejected', 'cancelled', 'entered_in_error'],
  accepted: ['in_progress', 'failed', 'cancelled', 'entered_in_error'],
  in_progress: ['completed', 'on_hold', 'failed', 'cancelled', 'entered_in_error'],
  on_hold: ['in_progress', 'failed', 'cancelled', 'entered_in_error'],
  completed: [],
  rejected: [],
  failed: [],
  cancelled: [],
  entered_in_error: [],
} as const satisfies Record<ReferralStatus, readonly ReferralStatus[]>;

/** Whether a referral status is final. */
export function isFinalReferralStatus(status: ReferralStatus): boolean {
  return (FINAL_REFERRAL_STATUSES as readonly ReferralStatus[]).includes(status);
}

/** Whether a referral in `from` may move to `to`. */
export function canTransition(from: ReferralStatus, to: ReferralStatus): boolean {
  const allowed: readonly ReferralStatus[] | undefined = REFERRAL_TRANSITIONS[from];
  return allowed?.includes(to);
}

/** Whether the transition needs a `reason`: moving to `rejected` or `failed` does. */
export function transitionNeedsReason(_from: ReferralStatus, to: ReferralStatus): boolean {
  return to === 'rejected' || to === 'failed';
}

/**
 * The permission a referral transition requires: `referrals:request` to request,
 * `referrals:cancel` to cancel or mark entered in error, `referrals:respond` for the
 * provider's moves (accept, reject, start, hold, complete, fail).
 */
export function referralTransitionAction(to: ReferralStatus): 'referrals:request' | 'referrals:cancel' | 'referrals:respond' | null {
  switch (to) {
    case 'requested':
      return 'referrals:request';
    case 'cancelled':
    case 'entered_in_error':
      return 'referrals:cancel';
    case 'draft':
      return null;
    default:
      return 'referrals:respond';
  }
}
