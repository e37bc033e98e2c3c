/**
 * `tz-queued`: a report could not be sent and was saved, encrypted, on this device to be sent later.
 * Carries the report's id and until when it will be retried; never its content.
 */
export class ReportQueuedEvent extends Event {
  static readonly type = 'tz-queued' as const;
  /** The client-generated report id (a UUID). */
  readonly reportId: string;
  /** After this time (ms since the epoch) the report is deleted unsent. */
  readonly expiresAt: number;

  constructor(init: { reportId: string; expiresAt: number }) {
    super(ReportQueuedEvent.type, { bubbles: true, composed: true });
    this.reportId = init.reportId;
    this.expiresAt = init.expiresAt;
  }
}
