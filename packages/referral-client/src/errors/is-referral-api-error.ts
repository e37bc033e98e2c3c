import { ERROR_BRAND, type ReferralApiError } from './referral-api-error.js';
import type { KeyScopeError } from './key-scope-error.js';
import type {
  AuthenticationError,
  ConflictError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  ValidationError,
} from './status-errors.js';
import type { NetworkError, TimeoutError } from './transport-errors.js';
import type { RequestValidationError, ResponseValidationError } from './validation-errors.js';
import type { WebhookVerificationError } from './webhook-verification-error.js';

/** Each error name with its class, for the narrowing form of `isReferralApiError()`. */
export interface ReferralApiErrorByName {
  ReferralApiError: ReferralApiError;
  ValidationError: ValidationError;
  AuthenticationError: AuthenticationError;
  PermissionError: PermissionError;
  NotFoundError: NotFoundError;
  ConflictError: ConflictError;
  RateLimitError: RateLimitError;
  NetworkError: NetworkError;
  TimeoutError: TimeoutError;
  RequestValidationError: RequestValidationError;
  ResponseValidationError: ResponseValidationError;
  KeyScopeError: KeyScopeError;
  WebhookVerificationError: WebhookVerificationError;
}

/**
 * Whether `error` was thrown by this package — also when it comes from another realm or another
 * copy of the package, where `instanceof` would say no. Pass a name to test for one class.
 *
 * @example
 * ```ts
 * try { await tz.reports.create(report); }
 * catch (error) {
 *   if (isReferralApiError(error, 'ValidationError')) console.warn(error.invalidParams);
 *   else throw error;
 * }
 * ```
 */
export function isReferralApiError(error: unknown): error is ReferralApiError;
export function isReferralApiError<Name extends keyof ReferralApiErrorByName>(
  error: unknown,
  name: Name,
): error is ReferralApiErrorByName[Name];
export function isReferralApiError(error: unknown, name?: keyof ReferralApiErrorByName): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if ((error as { [ERROR_BRAND]?: unknown })[ERROR_BRAND] !== true) return false;
  return name === undefined || name === 'ReferralApiError' || (error as { name?: unknown }).name === name;
}
