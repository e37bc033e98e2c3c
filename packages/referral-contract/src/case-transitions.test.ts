import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CASE_STAGES, CASE_TRANSITION_TARGETS, type CaseTransitionTarget } from './case.js';
import {
  CASE_TRANSITIONS,
  canTransitionCase,
  caseState,
  caseTransitionAction,
  caseTransitionNeedsReason,
  type CaseState,
} from './case-transitions.js';

const states: readonly CaseState[] = [...CASE_STAGES, 'closed'];

describe('case state machine (property)', () => {
  it('canTransitionCase agrees with the table, for a state or a case', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CASE_STAGES),
        fc.constantFrom('open' as const, 'closed' as const),
        fc.constantFrom(...CASE_TRANSITION_TARGETS),
        (stage, status, to) => {
          const state = status === 'closed' ? 'closed' : stage;
          expect(caseState({ status, stage })).toBe(state);
          const inTable = (CASE_TRANSITIONS[state] as readonly CaseTransitionTarget[]).includes(to);
          expect(canTransitionCase(state, to)).toBe(inTable);
          expect(canTransitionCase({ status, stage }, to)).toBe(inTable);
        },
      ),
    );
  });

  it('an open case can always be closed, a closed one only reopened, and nothing goes to itself', () => {
    for (const state of states) {
      expect(canTransitionCase(state, 'closed')).toBe(state !== 'closed');
      expect(canTransitionCase(state, 'open')).toBe(state === 'closed');
      expect(canTransitionCase(state, state as CaseTransitionTarget)).toBe(false);
    }
  });

  it('closing and reopening need a reason and a supervisor', () => {
    for (const to of CASE_TRANSITION_TARGETS) {
      const closing = to === 'closed' || to === 'open';
      expect(caseTransitionNeedsReason(to)).toBe(closing);
      expect(caseTransitionAction(to)).toBe(closing ? 'cases:close' : 'cases:transition');
    }
  });

  it('every stage is reachable from screening', () => {
    const reachable = new Set<string>(['screening']);
    for (let grew = true; grew; ) {
      grew = false;
      for (const from of [...reachable]) {
        if (!(from in CASE_TRANSITIONS)) continue;
        for (const to of CASE_TRANSITIONS[from as CaseState]) {
          if (!reachable.has(to)) {
            reachable.add(to);
            grew = true;
          }
        }
      }
    }
    for (const stage of CASE_STAGES) expect(reachable.has(stage)).toBe(true);
  });
});
