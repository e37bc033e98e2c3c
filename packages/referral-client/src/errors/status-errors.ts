import { ReferralApiError, type ReferralApiErrorContext } from './referral-api-error.js';

/** The server refused the request's content (400 or 422): see `problem.invalid_params` and `code`. */
export class ValidationError extends ReferralApiError {
  override name = 'ValidationError' as const;
  /** Each refused field as a JSON path with its reason; empty when the server named none. */
  get invalidParams() {
    return this.problem?.invalid_params ?? [];
  }
}

/** The API key is missing, unknown or revoked (401). */
export class AuthenticationError extends ReferralApiError {
  override name = 'AuthenticationError' as const;
}

/** The key's role may not do this (403). */
export class PermissionError extends ReferralApiError {
  override name = 'PermissionError' as const;
}

/** The object does not exist or belongs to another organisation (404). */
export class NotFoundError extends ReferralApiError {
  override name = 'NotFoundError' as const;
}

/** The request conflicts with the object's state (409), e.g. `id-conflict` or a refused transition. */
export class ConflictError extends ReferralApiError {
  override name = 'ConflictError' as const;
}

/** Too many requests (429) and retries did not get through; `retryAfter` says when to try again. */
export class RateLimitError extends ReferralApiError {
  override name = 'RateLimitError' as const;
  /** Seconds the server asked to wait (`Retry-After`), when it said. */
  readonly retryAfter: number | undefined;

  constructor(message: string, context: ReferralApiErrorContext & { retryAfter?: number | undefined }) {
    super(message, context);
    this.retryAfter = context.retryAfter;
  }
}

/** The error class for an HTTP error status: a subclass where callers branch, else the base. */
export function errorClassForStatus(status: number) {
  switch (status) {
    case 400:
    case 422:
      return ValidationError;
    case 401:
      return AuthenticationError;
    case 403:
      return PermissionError;
    case 404:
      return NotFoundError;
    case 409:
      return ConflictError;
    default:
      return ReferralApiError;
  }
}
