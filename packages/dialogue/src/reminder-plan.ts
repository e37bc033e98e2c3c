import { createHash } from 'node:crypto';
import { addDays, daysBetween, todayIn } from './dates.js';
import type { Dialogue, Organisation, Recommendation, ReminderRecord } from './model.js';
import { trackingIn, type Tracking } from './tracking.js';

/** One recommendation in a reminder, with where it stands. */
export interface ReminderItem {
  recommendation: Recommendation;
  tracking: Tracking & { next_reporting_date: string };
  /**
   * The reporting period the item is reminded for, `YYYY-MM-DD`: its next reporting date while it is
   * due and in the first period after it passed; then, while nobody reports, one reporting interval
   * later for every interval that passed.
   */
  period: string;
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
  /**
   * How often an overdue recommendation without a reporting interval (only a due date) is reminded again.
   * @default 30
   */
  overdueRepeatDays?: number;
}

/**
 * The reporting period an item is reminded for on `today`: the missed reporting date, moved on by one
 * reporting interval for each whole interval that passed since (so an overdue recommendation is
 * reminded again every period until someone reports).
 */
export function reminderPeriod(
  r: Recommendation,
  tracking: Tracking & { next_reporting_date: string },
  today: string,
  repeatDays = 30,
): string {
  if (tracking.state !== 'overdue') return tracking.next_reporting_date;
  const every = r.reporting_interval_days ?? repeatDays;
  const periods = Math.floor(daysBetween(tracking.next_reporting_date, today) / every);
  return addDays(tracking.next_reporting_date, periods * every);
}

/** An item's key in the send log: `<recommendation id>@<reporting period>`. */
export function reminderItemKey(item: ReminderItem): string {
  return `${item.recommendation.id}@${item.period}`;
}

/** The key of a reminder: which recommendations, for which reporting date each. */
export function reminderContentHash(organisationId: string, items: readonly ReminderItem[]): string {
  const periods = items.map(reminderItemKey).sort();
  return createHash('sha256')
    .update(`${organisationId}\n${periods.join('\n')}`)
    .digest('hex')
    .slice(0, 32);
}

/**
 * Which owner organisations to remind: each one with due or overdue recommendations (those without
 * parts: a recommendation with parts follows them) gets one reminder
 * per reporting period. An overdue recommendation is reminded again every reporting period (its
 * interval) until someone reports. An item already sent to the organisation for the same period is
 * left out of the next digest, and nothing is planned when no item is left, however often this runs
 * (safe for cron); a new reporting period, or another recommendation falling due, makes a new one
 * with just those items. A reminder left `sending` by a crash is planned again (`unknown_outcome`), a
 * transient failure too (`retry`).
 */
export function planReminders(dialogue: Dialogue, options: ReminderPlanOptions = {}): PlannedReminder[] {
  const today = options.today ?? todayIn(dialogue.timezone);
  const byOwner = new Map<string, ReminderItem[]>();
  for (const r of dialogue.recommendations) {
    if (r.owner_organisation_id === undefined) continue;
    const tracking = trackingIn(
      dialogue.recommendations,
      r,
      today,
      options.dueWithinDays === undefined ? {} : { dueWithinDays: options.dueWithinDays },
    );
    if ((tracking.state !== 'due' && tracking.state !== 'overdue') || tracking.next_reporting_date === undefined) continue;
    const items = byOwner.get(r.owner_organisation_id) ?? [];
    const itemTracking = { ...tracking, next_reporting_date: tracking.next_reporting_date };
    items.push({ recommendation: r, tracking: itemTracking, period: reminderPeriod(r, itemTracking, today, options.overdueRepeatDays) });
    byOwner.set(r.owner_organisation_id, items);
  }
  const plan: PlannedReminder[] = [];
  for (const organisation of dialogue.organisations) {
    const sentItems = new Set(
      dialogue.reminders.filter((x) => x.organisation_id === organisation.id && x.state === 'sent').flatMap((x) => x.items ?? []),
    );
    const items = byOwner.get(organisation.id)?.filter((i) => !sentItems.has(reminderItemKey(i)));
    if (items === undefined || items.length === 0) continue;
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
    const period = items.map((i) => i.period).sort()[0] ?? today;
    plan.push({ organisation, items, period, contentHash, reason });
  }
  return plan;
}
