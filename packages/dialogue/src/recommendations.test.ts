import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DateRuleError, DialogueError, IllegalTransitionError } from './errors.js';
import { RECOMMENDATION_STATUSES, type Dialogue, type RecommendationStatus } from './model.js';
import { RECOMMENDATION_TRANSITIONS } from './recommendation-status.js';
import {
  addRecommendation,
  adoptRecommendation,
  assignRecommendation,
  findRecommendation,
  recordProgress,
  respondToRecommendation,
  rolledUpProgress,
  verifyRecommendation,
} from './recommendations.js';
import { dueRecommendations, nextReportingDate, overdueRecommendations, trackingOf } from './tracking.js';
import { sampleDialogue } from '../test/sample-dialogue.js';

/** The clock of every dated change in these tests: a fixed day, never the real one. */
const TODAY = { today: '2026-12-31' };

function withRec(): Dialogue {
  return addRecommendation(sampleDialogue(), { text: 'Publish data', working_group_id: 'WG1' });
}

// The table of DESIGN.md, written out independently of RECOMMENDATION_TRANSITIONS.
const FINAL = new Set<RecommendationStatus>(['verified', 'withdrawn', 'superseded']);
const CHAIN: [RecommendationStatus, RecommendationStatus][] = [
  ['draft', 'adopted'],
  ['adopted', 'not_started'],
  ['not_started', 'in_progress'],
  ['in_progress', 'stalled'],
  ['stalled', 'in_progress'],
  ['in_progress', 'completed'],
  ['completed', 'verified'],
];
function designAllows(from: RecommendationStatus, to: RecommendationStatus): boolean {
  if (FINAL.has(from)) return false;
  if (to === 'withdrawn' || to === 'superseded') return true;
  return CHAIN.some(([a, b]) => a === from && b === to);
}

describe('recommendation state machine', () => {
  it('allows exactly the changes of DESIGN.md (property over random walks)', () => {
    const status = fc.constantFrom(...RECOMMENDATION_STATUSES.filter((s) => s !== 'draft' && s !== 'adopted'));
    fc.assert(
      fc.property(fc.array(status, { maxLength: 12 }), (walk) => {
        let d = adoptRecommendation(withRec(), 'ND-WG1-R01', { date: '2026-03-12' }, TODAY);
        let day = 13;
        for (const to of walk) {
          const from = findRecommendation(d, 'nd-wg1-r01').status;
          const date = `2026-03-${String(Math.min(day++, 31)).padStart(2, '0')}`;
          const attempt = () =>
            to === 'verified'
              ? verifyRecommendation(d, 'nd-wg1-r01', { date, narrative: 'checked' }, TODAY)
              : recordProgress(d, 'nd-wg1-r01', { date, status: to, narrative: 'step', author: 'Owner' }, TODAY);
          if (to === from && !FINAL.has(from)) {
            d = attempt();
            expect(findRecommendation(d, 'nd-wg1-r01').status).toBe(from);
          } else if (designAllows(from, to)) {
            d = attempt();
            expect(findRecommendation(d, 'nd-wg1-r01').status).toBe(to);
          } else {
            const before = d;
            expect(attempt).toThrow(DialogueError);
            expect(d).toBe(before);
          }
        }
      }),
      { numRuns: 300 },
    );
    for (const from of RECOMMENDATION_STATUSES) {
      for (const to of RECOMMENDATION_STATUSES) {
        expect(RECOMMENDATION_TRANSITIONS[from].includes(to)).toBe(designAllows(from, to));
      }
    }
  });

  it('names the allowed next states when a change is illegal', () => {
    const d = adoptRecommendation(withRec(), 'ND-WG1-R01', { date: '2026-03-12' }, TODAY);
    try {
      recordProgress(d, 'ND-WG1-R01', { date: '2026-03-20', status: 'completed', narrative: 'done?', author: 'Owner' }, TODAY);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(IllegalTransitionError);
      expect((error as IllegalTransitionError).allowed).toEqual(['not_started', 'withdrawn', 'superseded']);
      expect((error as Error).message).toContain('allowed next: not_started, withdrawn, superseded');
    }
  });

  it('records adoption, response, owner and a timeline; completion sets progress 100', () => {
    let d = adoptRecommendation(withRec(), 'ND-WG1-R01', { date: '2026-03-12' }, TODAY);
    d = respondToRecommendation(d, 'ND-WG1-R01', 'noted');
    d = assignRecommendation(d, 'ND-WG1-R01', { owner_organisation_id: 'org1', due_date: '2026-12-31', reporting_interval_days: 90 });
    d = recordProgress(d, 'ND-WG1-R01', { date: '2026-04-01', status: 'not_started', narrative: 'Planned', author: 'Org 1' }, TODAY);
    d = recordProgress(
      d,
      'ND-WG1-R01',
      {
        date: '2026-05-01',
        status: 'in_progress',
        progress: 30,
        narrative: 'Begun',
        author: 'Org 1',
        public: false,
      },
      TODAY,
    );
    d = recordProgress(
      d,
      'ND-WG1-R01',
      {
        date: '2026-06-01',
        status: 'completed',
        narrative: 'Done',
        author: 'Org 1',
        evidence_url: 'https://example.org/e',
      },
      TODAY,
    );
    const r = findRecommendation(d, 'ND-WG1-R01');
    expect(r).toMatchObject({
      status: 'completed',
      progress: 100,
      response: 'noted',
      owner_organisation_id: 'org1',
      adopted_on: '2026-03-12',
    });
    expect(r.updates.map((u) => [u.date, u.status_to, u.public])).toEqual([
      ['2026-03-12', 'adopted', true],
      ['2026-04-01', 'not_started', true],
      ['2026-05-01', 'in_progress', false],
      ['2026-06-01', 'completed', true],
    ]);
    expect(() =>
      recordProgress(d, 'ND-WG1-R01', { date: '2026-06-02', status: 'verified', narrative: 'x', author: 'Org 1' }, TODAY),
    ).toThrow(/only the organiser/);
    expect(() => recordProgress(d, 'ND-WG1-R01', { date: '2026-06-02', progress: 101, narrative: 'x', author: 'Org 1' }, TODAY)).toThrow(
      /progress/,
    );
  });
});

describe('roll-up', () => {
  it('is the weighted mean of the children, equal weights by default, ignoring withdrawn children', () => {
    let d = withRec();
    d = addRecommendation(d, { text: 'child a', working_group_id: 'wg1', parent_id: 'nd-wg1-r01' });
    d = addRecommendation(d, { text: 'child b', working_group_id: 'wg1', parent_id: 'nd-wg1-r01' });
    d = addRecommendation(d, { text: 'grandchild', working_group_id: 'wg1', parent_id: 'nd-wg1-r03' });
    const set = (ref: string, progress: number) => {
      d = { ...d, recommendations: d.recommendations.map((r) => (r.reference === ref ? { ...r, progress } : r)) };
    };
    set('ND-WG1-R02', 40);
    set('ND-WG1-R03', 0);
    set('ND-WG1-R04', 80);
    expect(rolledUpProgress(d, 'ND-WG1-R01')).toBe(60);
    d = assignRecommendation(d, 'ND-WG1-R02', {});
    d = { ...d, recommendations: d.recommendations.map((r) => (r.reference === 'ND-WG1-R02' ? { ...r, weight: 3 } : r)) };
    expect(rolledUpProgress(d, 'ND-WG1-R01')).toBe((3 * 40 + 80) / 4);
    d = recordProgress(
      adoptRecommendation(d, 'ND-WG1-R02', { date: '2026-03-12' }, TODAY),
      'ND-WG1-R02',
      {
        date: '2026-03-13',
        status: 'withdrawn',
        narrative: 'merged',
        author: 'Organiser',
      },
      TODAY,
    );
    expect(rolledUpProgress(d, 'ND-WG1-R01')).toBe(80);
  });

  it('rejects a parent cycle', () => {
    let d = withRec();
    d = addRecommendation(d, { text: 'child', working_group_id: 'wg1', parent_id: 'nd-wg1-r01' });
    expect(() =>
      assignRecommendation(
        { ...d, recommendations: d.recommendations.map((r) => (r.id === 'nd-wg1-r01' ? { ...r, parent_id: 'nd-wg1-r02' } : r)) },
        'nd-wg1-r01',
        {},
      ),
    ).toThrow(/loops/);
  });
});

describe('due and overdue', () => {
  it('counts the reporting interval from the last update, or adoption', () => {
    let d = adoptRecommendation(withRec(), 'ND-WG1-R01', { date: '2026-03-01' }, TODAY);
    d = assignRecommendation(d, 'ND-WG1-R01', { reporting_interval_days: 30 });
    const r = () => findRecommendation(d, 'ND-WG1-R01');
    expect(nextReportingDate(r())).toBe('2026-03-31');
    expect(trackingOf(r(), '2026-03-10')).toEqual({ state: 'on_track', next_reporting_date: '2026-03-31', days: 21 });
    expect(trackingOf(r(), '2026-03-17').state).toBe('due');
    expect(trackingOf(r(), '2026-03-31').state).toBe('due');
    expect(trackingOf(r(), '2026-04-01').state).toBe('overdue');
    expect(overdueRecommendations(d, { today: '2026-04-01' }).map((x) => x.id)).toEqual(['nd-wg1-r01']);
    expect(dueRecommendations(d, { today: '2026-03-10', dueWithinDays: 30 }).map((x) => x.id)).toEqual(['nd-wg1-r01']);
    d = recordProgress(d, 'ND-WG1-R01', { date: '2026-04-02', status: 'not_started', narrative: 'late', author: 'Org' }, TODAY);
    expect(trackingOf(r(), '2026-04-03')).toMatchObject({ state: 'on_track', next_reporting_date: '2026-05-02' });
  });

  it('uses the due date when it comes first, and ignores drafts and final states', () => {
    let d = adoptRecommendation(withRec(), 'ND-WG1-R01', { date: '2026-03-01' }, TODAY);
    d = assignRecommendation(d, 'ND-WG1-R01', { reporting_interval_days: 90, due_date: '2026-04-15' });
    expect(nextReportingDate(findRecommendation(d, 'ND-WG1-R01'))).toBe('2026-04-15');
    expect(trackingOf(findRecommendation(withRec(), 'ND-WG1-R01'), '2030-01-01').state).toBe('untracked');
  });
});

describe('date rules', () => {
  const clock = { today: '2026-06-30' };
  const adopted = () => adoptRecommendation(withRec(), 'ND-WG1-R01', { date: '2026-03-12' }, clock);
  const refusal = (fn: () => unknown): DateRuleError => {
    try {
      fn();
    } catch (error) {
      if (error instanceof DateRuleError) return error;
      throw error;
    }
    throw new Error('the date was accepted');
  };

  it('refuses an update dated in the future, before adoption or before the last update, naming the rule', () => {
    let d = adopted();
    d = recordProgress(d, 'ND-WG1-R01', { date: '2026-04-01', status: 'not_started', narrative: 'Planned', author: 'Org 1' }, clock);
    const future = refusal(() => recordProgress(d, 'ND-WG1-R01', { date: '2072-04-01', narrative: 'typo', author: 'Org 1' }, clock));
    expect(future).toMatchObject({ rule: 'future', date: '2072-04-01', recommendationId: 'nd-wg1-r01', code: 'DATE_RULE' });
    expect(future.message).toBe(
      'recommendation "nd-wg1-r01": the update date 2072-04-01 is refused (today is 2026-06-30 in Asia/Karachi): an update may not be dated in the future',
    );
    const early = refusal(() => recordProgress(d, 'ND-WG1-R01', { date: '2026-03-01', narrative: 'before', author: 'Org 1' }, clock));
    expect(early.rule).toBe('before_adoption');
    expect(early.message).toContain('(it was adopted on 2026-03-12): an update may not be dated before the recommendation was adopted');
    const order = refusal(() => recordProgress(d, 'ND-WG1-R01', { date: '2026-03-20', narrative: 'late entry', author: 'Org 1' }, clock));
    expect(order.rule).toBe('before_last_update');
    expect(order.message).toContain('(its last update is dated 2026-04-01)');
    expect(refusal(() => verifyRecommendation(d, 'ND-WG1-R01', { date: '2026-07-01', narrative: 'x' }, clock)).rule).toBe('future');
    expect(refusal(() => adoptRecommendation(withRec(), 'ND-WG1-R01', { date: '2026-07-01' }, clock)).rule).toBe('future');
    // The same day as the last update, and today itself, are fine.
    d = recordProgress(d, 'ND-WG1-R01', { date: '2026-04-01', narrative: 'same day', author: 'Org 1' }, clock);
    d = recordProgress(d, 'ND-WG1-R01', { date: '2026-06-30', narrative: 'today', author: 'Org 1' }, clock);
    expect(findRecommendation(d, 'ND-WG1-R01').updates).toHaveLength(4);
  });

  it('refuses a due date before adoption, when assigned and when adopted', () => {
    const due = refusal(() => assignRecommendation(adopted(), 'ND-WG1-R01', { due_date: '2020-01-01' }));
    expect(due).toMatchObject({ rule: 'due_before_adoption', date: '2020-01-01' });
    expect(due.message).toContain('a due date may not be before the recommendation was adopted');
    const early = assignRecommendation(withRec(), 'ND-WG1-R01', { due_date: '2026-03-01' });
    expect(refusal(() => adoptRecommendation(early, 'ND-WG1-R01', { date: '2026-03-12' }, clock)).rule).toBe('due_before_adoption');
    expect(findRecommendation(assignRecommendation(adopted(), 'ND-WG1-R01', { due_date: '2026-03-12' }), 'ND-WG1-R01').due_date).toBe(
      '2026-03-12',
    );
  });

  it("compares calendar dates in the dialogue's time zone", () => {
    // 20:30 UTC on 11 March is 01:30 on 12 March in Karachi (UTC+5).
    const now = new Date('2026-03-11T20:30:00Z');
    const d = adoptRecommendation(withRec(), 'ND-WG1-R01', { date: '2026-03-12' }, { now });
    expect(findRecommendation(d, 'ND-WG1-R01').adopted_on).toBe('2026-03-12');
    expect(refusal(() => adoptRecommendation(withRec(), 'ND-WG1-R01', { date: '2026-03-13' }, { now })).message).toContain(
      'today is 2026-03-12 in Asia/Karachi',
    );
    const newYork = { ...withRec(), timezone: 'America/New_York' };
    expect(refusal(() => adoptRecommendation(newYork, 'ND-WG1-R01', { date: '2026-03-12' }, { now })).rule).toBe('future');
    expect(() => recordProgress(d, 'ND-WG1-R01', { date: '2026-03-12', narrative: 'x', author: 'y' }, { today: '12/03/2026' })).toThrow(
      /today must be a date "YYYY-MM-DD"/,
    );
  });
});
