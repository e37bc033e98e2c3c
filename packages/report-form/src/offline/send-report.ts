import { isReferralApiError, type ReportSubmitter } from '@tahaffuz/referral-client/reports-unchecked';
import type { ReportCreate, ReportReceipt } from '@tahaffuz/referral-contract';

/** What one attempt to send a report came to. */
export type SendResult =
  | { readonly kind: 'sent'; readonly receipt: ReportReceipt }
  /** Nothing says the report was refused: no connection, a timeout, 429 or 5xx. Try again later. */
  | { readonly kind: 'retry' }
  /** The API refused the report; sending it again would be refused again. */
  | { readonly kind: 'rejected'; readonly status: number | undefined; readonly requestId: string | undefined };

/** Sends one report. */
export type SendReport = (report: ReportCreate) => Promise<SendResult>;

/**
 * Whether a failure leaves the report worth sending again later: no answer, a timeout, 408, 429,
 * 5xx, or a 409 saying the same report is still being processed. Any other 4xx — a 400 with
 * `invalid_params` above all — is a refusal that sending again would meet again.
 */
export function isRetryable(error: unknown): boolean {
  if (!isReferralApiError(error)) return true;
  if (isReferralApiError(error, 'NetworkError') || isReferralApiError(error, 'TimeoutError')) return true;
  if (isReferralApiError(error, 'RateLimitError')) return true;
  const status = error.status;
  if (status === undefined) return false;
  return status === 408 || status >= 500 || (status === 409 && error.code === 'idempotency-in-flight');
}

/**
 * Sends reports through the typed client: a `ReportSubmitter` (what the element uses) or a full
 * `ReferralClient`, which is one too. The report's own id is also its `Idempotency-Key`, so a
 * report sent again — a retry, another tab, the next page load weeks later — returns the original
 * receipt and never makes a second report.
 */
export function reportSender(client: ReportSubmitter): SendReport {
  return async (report) => {
    try {
      const receipt = await client.reports.create(report, { idempotencyKey: report.id });
      return { kind: 'sent', receipt };
    } catch (error) {
      if (isRetryable(error)) return { kind: 'retry' };
      return isReferralApiError(error)
        ? { kind: 'rejected', status: error.status, requestId: error.requestId }
        : { kind: 'rejected', status: undefined, requestId: undefined };
    }
  };
}
