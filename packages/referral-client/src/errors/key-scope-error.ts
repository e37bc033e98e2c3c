import { ReferralApiError, type ReferralApiErrorContext } from './referral-api-error.js';

/**
 * A publishable key (`tz_pk_…`) was used for an operation that needs a secret key. Thrown before
 * any request is made.
 */
export class KeyScopeError extends ReferralApiError {
  override name = 'KeyScopeError' as const;
  readonly operation: string;

  constructor(message: string, context: ReferralApiErrorContext & { operation: string }) {
    super(message, context);
    this.operation = context.operation;
  }
}
