import { todayIn } from './dates.js';
import { DateRuleError, DialogueError, type DateRule } from './errors.js';
import { isLocalDate, type Dialogue, type Recommendation } from './model.js';

/** The clock of a change that checks dates. */
export interface DateCheckOptions {
  /**
   * Today's date in the dialogue's time zone, `YYYY-MM-DD` (the command line's `--today`).
   * @default the date of `now` in the dialogue's time zone
   */
  today?: string;
  /** @default new Date() */
  now?: Date;
}

/** Each date rule in words, as the refusal states it. */
export const DATE_RULES: Readonly<Record<DateRule, string>> = {
  future: 'an update may not be dated in the future',
  before_adoption: 'an update may not be dated before the recommendation was adopted',
  before_last_update: 'updates are recorded in date order: an update may not be dated before the last one',
  due_before_adoption: 'a due date may not be before the recommendation was adopted',
};

/**
 * Today in the dialogue's time zone: `options.today` (checked) or the calendar date of `options.now`
 * there. Dates are compared as calendar dates in that zone, so an update made in Islamabad just after
 * midnight is dated the new day even while it is still the day before in UTC.
 */
export function todayOf(dialogue: Dialogue, options: DateCheckOptions = {}): string {
  if (options.today !== undefined) {
    if (!isLocalDate(options.today)) {
      throw new DialogueError(`today must be a date "YYYY-MM-DD" (e.g. "2026-03-12"), not "${options.today}"`, { code: 'BAD_TODAY' });
    }
    return options.today;
  }
  return todayIn(dialogue.timezone, options.now);
}

/** The date of a recommendation's latest progress update, if it has one. */
export function lastUpdateDate(r: Recommendation): string | undefined {
  return r.updates.reduce<string | undefined>((max, u) => (max === undefined || u.date > max ? u.date : max), undefined);
}

/**
 * Which date rule a new update dated `date` breaks, if any: not after `today`, not before the
 * recommendation's adoption, not before `after` (its latest update, when it has one to follow).
 */
export function brokenUpdateRule(r: Recommendation, date: string, today: string, after: string | undefined): DateRule | undefined {
  if (date > today) return 'future';
  if (r.adopted_on !== undefined && date < r.adopted_on) return 'before_adoption';
  if (after !== undefined && date < after) return 'before_last_update';
  return undefined;
}

/** The refusal of an update dated `date`, naming the rule and the date it was compared with. */
export function updateDateMessage(
  r: Recommendation,
  rule: DateRule,
  date: string,
  today: string,
  timeZone: string,
  after: string | undefined,
): string {
  const against =
    rule === 'future'
      ? `today is ${today} in ${timeZone}`
      : rule === 'before_adoption'
        ? `it was adopted on ${r.adopted_on ?? ''}`
        : `its last update is dated ${after ?? ''}`;
  return `the update date ${date} is refused (${against}): ${DATE_RULES[rule]}`;
}

/** Throws `DateRuleError` unless a new update of `r` dated `date` keeps the date rules. */
export function assertUpdateDate(dialogue: Dialogue, r: Recommendation, date: string, today: string): void {
  const after = lastUpdateDate(r);
  const rule = brokenUpdateRule(r, date, today, after);
  if (rule !== undefined) throw new DateRuleError(r.id, rule, date, updateDateMessage(r, rule, date, today, dialogue.timezone, after));
}

/** The refusal of a due date before adoption, or undefined when `r`'s due date keeps the rule. */
export function dueDateMessage(r: Recommendation): string | undefined {
  if (r.due_date === undefined || r.adopted_on === undefined || r.due_date >= r.adopted_on) return undefined;
  return `the due date ${r.due_date} is refused (it was adopted on ${r.adopted_on}): ${DATE_RULES.due_before_adoption}`;
}

/** Throws `DateRuleError` when `r`'s due date is before its adoption. */
export function assertDueDate(r: Recommendation): void {
  const message = dueDateMessage(r);
  if (message !== undefined && r.due_date !== undefined) throw new DateRuleError(r.id, 'due_before_adoption', r.due_date, message);
}
