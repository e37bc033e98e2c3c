/** What went wrong, for `tz-error`. */
export type ReportFormErrorCode =
  /** `api-base` or `publishable-key` is missing or malformed. */
  | 'configuration'
  /** The API refused the report (4xx other than a retryable one). */
  | 'rejected'
  /** The report could neither be sent nor saved on this device. */
  | 'storage'
  /** A queued report was still unsent after the retry window and was deleted. */
  | 'expired';

/**
 * `tz-error`: something the host page may want to log. Carries a code, the report id when there is
 * one, and the API's request id when it answered; never report content or personal data.
 */
export class ReportFormErrorEvent extends Event {
  static readonly type = 'tz-error' as const;
  readonly code: ReportFormErrorCode;
  readonly reportId: string | undefined;
  /** `X-Request-Id` of the API's answer, when there was one. */
  readonly requestId: string | undefined;
  /** The HTTP status, when the API answered. */
  readonly status: number | undefined;

  constructor(init: {
    code: ReportFormErrorCode;
    reportId?: string | undefined;
    requestId?: string | undefined;
    status?: number | undefined;
  }) {
    super(ReportFormErrorEvent.type, { bubbles: true, composed: true });
    this.code = init.code;
    this.reportId = init.reportId;
    this.requestId = init.requestId;
    this.status = init.status;
  }
}
