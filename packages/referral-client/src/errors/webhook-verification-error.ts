import { ReferralApiError, type ReferralApiErrorContext } from './referral-api-error.js';

/** Why a webhook was refused. */
export type WebhookVerificationFailure =
  | 'missing_header'
  | 'invalid_timestamp'
  | 'timestamp_too_old'
  | 'timestamp_in_future'
  | 'invalid_secret'
  | 'no_matching_signature'
  | 'invalid_payload';

/** A webhook failed verification: answer it with 400 and do not act on it. */
export class WebhookVerificationError extends ReferralApiError {
  override name = 'WebhookVerificationError' as const;
  readonly reason: WebhookVerificationFailure;

  constructor(message: string, context: ReferralApiErrorContext & { reason: WebhookVerificationFailure }) {
    super(message, context);
    this.reason = context.reason;
  }
}
