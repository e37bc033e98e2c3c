import { ReferralApiError, type ReferralApiErrorContext } from './referral-api-error.js';

/** No response arrived: the connection failed or was cut (after every allowed retry). */
export class NetworkError extends ReferralApiError {
  override name = 'NetworkError' as const;
}

/** An attempt took longer than the per-attempt timeout, or the call outlasted its total deadline. */
export class TimeoutError extends ReferralApiError {
  override name = 'TimeoutError' as const;
  /** `attempt` when the last attempt timed out; `deadline` when the whole call ran out of time. */
  readonly kind: 'attempt' | 'deadline';
  /** The limit that was reached, in milliseconds. */
  readonly timeout: number;

  constructor(message: string, context: ReferralApiErrorContext & { kind: 'attempt' | 'deadline'; timeout: number }) {
    super(message, context);
    this.kind = context.kind;
    this.timeout = context.timeout;
  }
}
