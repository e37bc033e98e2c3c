/**
 * `tz-submitted`: the API received a report — just now, or later from this device's offline queue.
 * Carries the report's id, its reference and the time it was received; never its content.
 */
export class ReportSubmittedEvent extends Event {
  static readonly type = 'tz-submitted' as const;
  /** The client-generated report id (a UUID). */
  readonly reportId: string;
  /** The reference the reporter was shown, e.g. `TZ-7K3M-Q9XD`. */
  readonly reference: string;
  /** When the API received it (RFC 3339). */
  readonly receivedAt: string;
  /** Whether it was sent from the offline queue rather than from the form's submit. */
  readonly fromQueue: boolean;

  constructor(init: { reportId: string; reference: string; receivedAt: string; fromQueue: boolean }) {
    super(ReportSubmittedEvent.type, { bubbles: true, composed: true });
    this.reportId = init.reportId;
    this.reference = init.reference;
    this.receivedAt = init.receivedAt;
    this.fromQueue = init.fromQueue;
  }
}
