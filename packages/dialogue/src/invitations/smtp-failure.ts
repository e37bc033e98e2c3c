/** How a failed send is treated. */
export type FailureKind =
  /** Worth trying again later: 4xx replies, dropped or refused connections, timeouts. */
  | 'transient'
  /** Will fail the same way again: 5xx replies, a rejected recipient, a message the server refuses. */
  | 'permanent'
  /** Nothing can be sent until someone fixes the settings (authentication, TLS): stop the batch. */
  | 'fatal';

/** A failure in terms the send log can keep: no message text, which may hold an address. */
export interface SmtpFailure {
  readonly kind: FailureKind;
  /** The SMTP reply code (`550`) or the error code (`ECONNECTION`). */
  readonly code: string;
  /**
   * True when the server may have taken the message before the failure: the connection was lost
   * with no reply. nodemailer reports every lost connection the same way (command `CONN`), whether
   * it was lost at MAIL FROM or after the final dot of DATA, so this is true for all of them except
   * a connection that was never made.
   */
  readonly outcomeUnknown: boolean;
}

const TRANSIENT_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'EPROTOCOL', 'ESTREAM']);
const FATAL_CODES = new Set(['EAUTH', 'ENOAUTH', 'EOAUTH2', 'ETLS', 'EDNS', 'EREQUIRETLS']);

/** Sorts an error from nodemailer into transient, permanent or fatal. */
export function classifySmtpFailure(error: unknown): SmtpFailure {
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    responseCode?: unknown;
    command?: unknown;
    originalCode?: unknown;
  };
  const code = typeof e.code === 'string' ? e.code : 'UNKNOWN';
  if (typeof e.responseCode === 'number') {
    // A reply is an answer: whatever it says, the server did not take the message.
    const kind = code === 'EAUTH' ? 'fatal' : e.responseCode >= 500 ? 'permanent' : e.responseCode >= 400 ? 'transient' : 'permanent';
    return { kind, code: String(e.responseCode), outcomeUnknown: false };
  }
  if (FATAL_CODES.has(code)) return { kind: 'fatal', code, outcomeUnknown: false };
  if (TRANSIENT_CODES.has(code)) {
    const neverConnected = code === 'ECONNREFUSED' || e.originalCode === 'ECONNREFUSED' || e.originalCode === 'ENOTFOUND';
    return { kind: 'transient', code, outcomeUnknown: !neverConnected };
  }
  return { kind: 'permanent', code, outcomeUnknown: false };
}
