import { isLeaf } from './counting-rules.js';
import { addDays, daysBetween, todayIn } from './dates.js';
import type { Dialogue, Recommendation } from './model.js';
import { TRACKED_STATUSES } from './recommendation-status.js';

/** Where a recommendation stands against its reporting dates. */
export type TrackingState = 'overdue' | 'due' | 'on_track' | 'untracked';

/** A recommendation's reporting situation on a given day. */
export interface Tracking {
  state: TrackingState;
  /** The next date its owner must report by, if it has one. */
  next_reporting_date?: string;
  /** Days from today to that date (negative when it passed). */
  days?: number;
}

/** Options for due and overdue. */
export interface TrackingOptions {
  /** `YYYY-MM-DD`. @default today in the dialogue's time zone */
  today?: string;
  /**
   * A recommendation is due when its next reporting date is at most this many days away.
   * @default 14
   */
  dueWithinDays?: number;
}

/**
 * The next reporting date: counted from the last progress update (or from adoption when there is
 * none), one reporting interval later; or the due date, if it comes first and no update was made on or
 * after it. Undefined when the recommendation has neither interval nor due date.
 */
export function nextReportingDate(r: Recommendation): string | undefined {
  const last = r.updates.reduce<string | undefined>((max, u) => (max === undefined || u.date > max ? u.date : max), undefined);
  const anchor = last ?? r.adopted_on;
  const candidates: string[] = [];
  if (r.reporting_interval_days !== undefined && anchor !== undefined) {
    candidates.push(addDays(anchor, r.reporting_interval_days));
  }
  if (r.due_date !== undefined && (last === undefined || last < r.due_date)) candidates.push(r.due_date);
  return candidates.sort()[0];
}

/**
 * DESIGN.md's due and overdue: only adopted, not started, in-progress and stalled recommendations are
 * tracked. **Overdue**: the next reporting date passed with no progress update since. **Due**: it is
 * within `dueWithinDays` days (today included).
 */
export function trackingOf(r: Recommendation, today: string, options: { dueWithinDays?: number } = {}): Tracking {
  if (!TRACKED_STATUSES.includes(r.status)) return { state: 'untracked' };
  const next = nextReportingDate(r);
  if (next === undefined) return { state: 'on_track' };
  const days = daysBetween(today, next);
  const state: TrackingState = days < 0 ? 'overdue' : days <= (options.dueWithinDays ?? 14) ? 'due' : 'on_track';
  return { state, next_reporting_date: next, days };
}

/**
 * {@link trackingOf} for a recommendation among others (its dialogue's, or those a report shows): a
 * recommendation with parts in force is `untracked` itself, since it follows its parts; due and
 * overdue apply to the recommendations that report themselves.
 */
export function trackingIn(
  recommendations: readonly Recommendation[],
  r: Recommendation,
  today: string,
  options: { dueWithinDays?: number } = {},
): Tracking {
  return isLeaf(recommendations, r) ? trackingOf(r, today, options) : { state: 'untracked' };
}

function withState(dialogue: Dialogue, state: TrackingState, options: TrackingOptions): Recommendation[] {
  const today = options.today ?? todayIn(dialogue.timezone);
  return dialogue.recommendations.filter((r) => trackingIn(dialogue.recommendations, r, today, options).state === state);
}

/** Recommendations without parts whose next reporting date is near (DESIGN.md "due"). */
export function dueRecommendations(dialogue: Dialogue, options: TrackingOptions = {}): Recommendation[] {
  return withState(dialogue, 'due', options);
}

/** Recommendations without parts whose reporting date passed with no progress update (DESIGN.md "overdue"). */
export function overdueRecommendations(dialogue: Dialogue, options: TrackingOptions = {}): Recommendation[] {
  return withState(dialogue, 'overdue', options);
}
