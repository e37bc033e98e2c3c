import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REFERRAL_STATUSES, type ReferralStatus } from './referral.js';
import {
  canTransition,
  FINAL_REFERRAL_STATUSES,
  isFinalReferralStatus,
  REFERRAL_TRANSITIONS,
  referralTransitionAction,
  transitionNeedsReason,
} from './referral-transitions.js';

/** DESIGN.md's referral states, written out edge by edge as the oracle. */
const FINAL = new Set<ReferralStatus>(['completed', 'rejected', 'failed', 'cancelled', 'entered_in_error']);
const DESIGN_EDGES = new Set<string>([
  'draft>requested',
  'requested>accepted',
  'accepted>in_progress',
  'in_progress>completed',
  'requested>rejected',
  'in_progress>on_hold',
  'on_hold>in_progress',
  'accepted>failed',
  'in_progress>failed',
  'on_hold>failed',
  ...REFERRAL_STATUSES.filter((s) => !FINAL.has(s)).flatMap((s) => [`${s}>cancelled`, `${s}>entered_in_error`]),
]);

const status = fc.constantFrom(...REFERRAL_STATUSES);

describe('referral state machine (property)', () => {
  it('canTransition agrees with the table and with DESIGN.md', () => {
    fc.assert(
      fc.property(status, status, (from, to) => {
        const inTable = (REFERRAL_TRANSITIONS[from] as readonly ReferralStatus[]).includes(to);
        expect(canTransition(from, to)).toBe(inTable);
        expect(canTransition(from, to)).toBe(DESIGN_EDGES.has(`${from}>${to}`));
      }),
      { numRuns: 300 },
    );
  });

  it('final states allow nothing and every other state can be cancelled', () => {
    fc.assert(
      fc.property(status, status, (from, to) => {
        expect(isFinalReferralStatus(from)).toBe(FINAL.has(from));
        if (isFinalReferralStatus(from)) expect(canTransition(from, to)).toBe(false);
        else expect(canTransition(from, 'cancelled') && canTransition(from, 'entered_in_error')).toBe(true);
        expect(canTransition(from, from)).toBe(false);
      }),
    );
    expect([...FINAL_REFERRAL_STATUSES].sort()).toEqual([...FINAL].sort());
  });

  it('every state is reachable from draft and every walk ends in a final state or can reach one', () => {
    const reachable = new Set<ReferralStatus>(['draft']);
    for (let grew = true; grew; ) {
      grew = false;
      for (const from of [...reachable]) {
        for (const to of REFERRAL_TRANSITIONS[from]) {
          if (!reachable.has(to)) {
            reachable.add(to);
            grew = true;
          }
        }
      }
    }
    expect([...reachable].sort()).toEqual([...REFERRAL_STATUSES].sort());
  });

  it('rejected and failed need a reason; nothing else does', () => {
    fc.assert(
      fc.property(status, status, (from, to) => {
        expect(transitionNeedsReason(from, to)).toBe(to === 'rejected' || to === 'failed');
      }),
    );
  });

  it('names the action each target needs', () => {
    expect(referralTransitionAction('requested')).toBe('referrals:request');
    expect(referralTransitionAction('cancelled')).toBe('referrals:cancel');
    expect(referralTransitionAction('entered_in_error')).toBe('referrals:cancel');
    for (const to of ['accepted', 'rejected', 'in_progress', 'on_hold', 'completed', 'failed'] as const) {
      expect(referralTransitionAction(to)).toBe('referrals:respond');
    }
    expect(referralTransitionAction('draft')).toBeNull();
  });
});
