/** The part of a stream a progress bar writes to. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(chunk: string): unknown;
}

/** A one-line progress bar. */
export interface ProgressBar {
  /** Redraws the bar at `done` of `total`, with an optional short note (counts, never names). */
  update(done: number, total: number, note?: string): void;
  /** Ends the line. */
  finish(): void;
}

/**
 * A progress bar that redraws one terminal line, and writes nothing at all when `stream` is not a
 * TTY (a pipe, a log file, cron), so that logs stay clean.
 *
 * @example
 * const bar = createProgressBar(process.stderr, 'invitations');
 * await sendInvitations(d, save, { smtpUrl, onProgress: (p) => bar.update(p.done, p.total) });
 * bar.finish();
 */
export function createProgressBar(stream: ProgressStream, label: string): ProgressBar {
  const active = stream.isTTY === true;
  let drawn = false;
  return {
    update(done, total, note) {
      if (!active) return;
      const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - label.length - 30));
      const ratio = total === 0 ? 1 : Math.min(1, done / total);
      const filled = Math.round(ratio * width);
      const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
      stream.write(`\r\x1b[2K${label} ${bar} ${done}/${total}${note === undefined ? '' : ` ${note}`}`);
      drawn = true;
    },
    finish() {
      if (active && drawn) stream.write('\n');
      drawn = false;
    },
  };
}
