import { createHash } from 'node:crypto';
import { todayIn } from './dates.js';
import type { Dialogue, Organisation, Recommendation, ReminderRecord } from './model.js';
import { trackingOf, type Tracking } from './tracking.js';

/** One recommendation in a reminder, with where it stands. */
export interface ReminderItem {
  recommendation: Recommendation;
  tracking: Tracking & { next_reporting_date: string };
}

/** Why a reminder is in the plan. */
export type ReminderReason = 'new' | 'retry' | 'unknown_outcome';

/** A reminder to send: one owner organisation, its due and overdue recommendations. */
export interface PlannedReminder {
  organisation: Organisation;
  items: ReminderItem[];
  /** The earliest reporting date among the items, `YYYY-MM-DD`. */
  period: string;
  /** Names the reporting periods covered (recommendation + reporting date); the send log's key. */
  contentHash: string;
  reason: ReminderReason;
}

/** Options of {@link planReminders}. */
export interface ReminderPlanOptions {
  /** `YYYY-MM-DD`. @default today in the dialogue's time zone */
  today?: string;
  /** @default 14 */
  dueWithinDays?: number;
  /**
   * Plan again the reminders a server refused for good.
   * @default false
   */
  retryRejected?: boolean;
}

/** The key of a reminder: which recommendations, for which reporting date each. */
export function reminderContentHash(organisationId: string, items: readonly ReminderItem[]): string {
  const periods = items.map((i) => `${i.recommendation.id}@${i.tracking.next_reporting_date}`).sort();
  return createHash('sha256')
    .update(`${organisationId}\n${periods.join('\n')}`)
    .digest('hex')
    .slice(0, 32);
}

/**
 * Which owner organisations to remind: each one with due or overdue recommendations gets one reminder
 * per reporting period. A reminder already sent for the same recommendations and reporting dates is
 * not planned again, however often this runs (safe for cron); a new reporting date, or another
 * recommendation falling due, makes a new one. A reminder left `sending` by a crash is planned again
 * (`unknown_outcome`), a transient failure too (`retry`).
 */
export function planReminders(dialogue: Dialogue, options: ReminderPlanOptions = {}): PlannedReminder[] {
  const today = options.today ?? todayIn(dialogue.timezone);
  const byOwner = new Map<string, ReminderItem[]>();
  for (const r of dialogue.recommendations) {
    if (r.owner_organisation_id === undefined) continue;
    const tracking = trackingOf(r, today, options.dueWithinDays === undefined ? {} : { dueWithinDays: options.dueWithinDays });
    if ((tracking.state !== 'due' && tracking.state !== 'overdue') || tracking.next_reporting_date === undefined) continue;
    const items = byOwner.get(r.owner_organisation_id) ?? [];
    items.push({ recommendation: r, tracking: { ...tracking, next_reporting_date: tracking.next_reporting_date } });
    byOwner.set(r.owner_organisation_id, items);
  }
  const plan: PlannedReminder[] = [];
  for (const organisation of dialogue.organisations) {
    const items = byOwner.get(organisation.id);
    if (items === undefined) continue;
    const contentHash = reminderContentHash(organisation.id, items);
    const record: ReminderRecord | undefined = dialogue.reminders.find(
      (x) => x.organisation_id === organisation.id && x.content_hash === contentHash,
    );
    let reason: ReminderReason | undefined = 'new';
    if (record !== undefined) {
      if (record.state === 'sent') reason = undefined;
      else if (record.state === 'rejected') reason = options.retryRejected === true ? 'retry' : undefined;
      else if (record.state === 'sending') reason = 'unknown_outcome';
      else reason = 'retry';
    }
    if (reason === undefined) continue;
    const period = items.map((i) => i.tracking.next_reporting_date).sort()[0] ?? today;
    plan.push({ organisation, items, period, contentHash, reason });
  }
  return plan;
}
