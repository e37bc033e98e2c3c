const BRAND = Symbol.for('tahaffuz.referral-server.error');

/** Why a {@link ReferralServerError} was raised: configuration, storage or an invalid argument. */
export type ReferralServerErrorCode =
  | 'missing_encryption_key'
  | 'invalid_encryption_key'
  /** A stored value (or the database) needs a key id that is not configured: add it as a previous key. */
  | 'unknown_encryption_key'
  | 'decryption_failed'
  | 'invalid_database_config'
  | 'migration_failed'
  /** A line of the erasure journal is not an erasure entry (the message names the file and line). */
  | 'invalid_erasure_journal'
  | 'invalid_argument'
  | 'not_found';

/**
 * The one error class of `@tahaffuz/referral-server` for failures outside an HTTP request:
 * configuration, start-up, storage, the CLI. Messages carry ids, never personal data.
 */
export class ReferralServerError extends Error {
  override name = 'ReferralServerError' as const;
  /** What went wrong, for callers that branch on it. */
  readonly code: ReferralServerErrorCode;
  /** Marks instances across realms; see {@link isReferralServerError}. */
  readonly [BRAND] = true;

  constructor(code: ReferralServerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** True for a {@link ReferralServerError}, also one created in another realm or copy of the package. */
export function isReferralServerError(value: unknown): value is ReferralServerError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}
