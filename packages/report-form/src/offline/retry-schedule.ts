/** How long a queued report is retried, and how often. */
export interface RetrySchedule {
  /**
   * Days a report is kept and retried before it is deleted unsent.
   * @default 30
   */
  readonly maxAgeDays: number;
  /**
   * Wait before the first retry, in milliseconds; it doubles after each failure.
   * @default 30_000
   */
  readonly baseMs: number;
  /**
   * Longest wait between two retries, in milliseconds.
   * @default 3_600_000
   */
  readonly capMs: number;
}

/** The defaults: 30 days, 30 s doubling to at most 1 h. */
export const DEFAULT_RETRY_SCHEDULE: RetrySchedule = { maxAgeDays: 30, baseMs: 30_000, capMs: 3_600_000 };

const DAY_MS = 86_400_000;

/** The wait before the next attempt after `failures` failed ones (1 or more): capped doubling. */
export function retryDelay(failures: number, schedule: RetrySchedule = DEFAULT_RETRY_SCHEDULE): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 40);
  return Math.min(schedule.capMs, schedule.baseMs * 2 ** exponent);
}

/** When a report queued at `createdAt` is given up on and deleted (ms since the epoch). */
export function expiryOf(createdAt: number, schedule: RetrySchedule = DEFAULT_RETRY_SCHEDULE): number {
  return createdAt + schedule.maxAgeDays * DAY_MS;
}
