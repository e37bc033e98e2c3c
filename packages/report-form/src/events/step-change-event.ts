import type { Outcome, StepName } from '../model/steps.js';

/** `tz-step-change`: the form moved to another screen. Carries the screen, never the answers. */
export class StepChangeEvent extends Event {
  static readonly type = 'tz-step-change' as const;
  /** The step's index, 0 (safety) to 7 (review); 8 for an outcome screen. */
  readonly step: number;
  /** The step's name, or the outcome shown after the last step. */
  readonly name: StepName | Outcome;

  constructor(init: { step: number; name: StepName | Outcome }) {
    super(StepChangeEvent.type, { bubbles: true, composed: true });
    this.step = init.step;
    this.name = init.name;
  }
}
