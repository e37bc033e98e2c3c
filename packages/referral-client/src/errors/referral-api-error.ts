/**
 * Marks every error this package throws, so that `isReferralApiError()` recognises one created by
 * another copy of the package (another realm, a duplicated bundle) where `instanceof` fails.
 */
export const ERROR_BRAND: unique symbol = Symbol.for('@tahaffuz/referral-client/error') as never;

/** One entry of a problem's `invalid_params`: the JSON path of a field and why it was refused. */
export interface InvalidParam {
  readonly name: string;
  readonly reason: string;
}

/** An RFC 9457 problem as the client read it from an error response. */
export interface ProblemDetails {
  readonly type: string;
  readonly title?: string | undefined;
  readonly status?: number | undefined;
  readonly detail?: string | undefined;
  readonly request_id?: string | undefined;
  readonly invalid_params?: readonly InvalidParam[] | undefined;
  /** How many invalid fields there were in all, when the server listed only the first of them. */
  readonly invalid_params_total?: number | undefined;
  readonly [extension: string]: unknown;
}

/** The `name` of each error class of this package. */
export type ReferralApiErrorName =
  | 'ReferralApiError'
  | 'ValidationError'
  | 'AuthenticationError'
  | 'PermissionError'
  | 'NotFoundError'
  | 'ConflictError'
  | 'RateLimitError'
  | 'NetworkError'
  | 'TimeoutError'
  | 'RequestValidationError'
  | 'ResponseValidationError'
  | 'KeyScopeError'
  | 'WebhookVerificationError';

/** What every error of this package may say about the request it belongs to. */
export interface ReferralApiErrorContext {
  /** HTTP method of the request, when there was one. */
  readonly method?: string | undefined;
  /** Absolute URL of the request (ids only, never personal data). */
  readonly url?: string | undefined;
  /** HTTP status of the response, when one arrived. */
  readonly status?: number | undefined;
  /** The problem document of an error response. */
  readonly problem?: ProblemDetails | undefined;
  /** The server's `X-Request-Id`, to quote to the operator of the API. */
  readonly requestId?: string | undefined;
  /** The error that led to this one. */
  readonly cause?: unknown;
}

/**
 * Base class of every error thrown by the referral client: HTTP failures, network failures and
 * timeouts, validation of requests and responses, key scope and webhook verification.
 */
export class ReferralApiError extends Error {
  // Typed as the union so that each subclass can narrow it with its own `as const` name.
  override name: ReferralApiErrorName = 'ReferralApiError';
  declare readonly [ERROR_BRAND]: true;
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly status: number | undefined;
  readonly problem: ProblemDetails | undefined;
  readonly requestId: string | undefined;
  /** The last segment of the problem type URI (e.g. `consent-required`), to branch on. */
  readonly code: string | undefined;

  constructor(message: string, context: ReferralApiErrorContext = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.method = context.method;
    this.url = context.url;
    this.status = context.status;
    this.problem = context.problem;
    this.requestId = context.requestId ?? context.problem?.request_id;
    this.code = context.problem === undefined ? undefined : problemCode(context.problem.type);
  }
}

Object.defineProperty(ReferralApiError.prototype, ERROR_BRAND, { value: true, enumerable: false });

/** The slug of a problem type URI: its last path segment, without a trailing slash. */
export function problemCode(type: string): string {
  const trimmed = type.replace(/[?#].*$/u, '').replace(/\/+$/u, '');
  const slash = trimmed.lastIndexOf('/');
  return slash === -1 ? trimmed : trimmed.slice(slash + 1);
}

const REASON_PHRASES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** `422 Unprocessable Content`: the status with its reason phrase, which HTTP/2 no longer sends. */
export function describeStatus(status: number): string {
  const phrase = REASON_PHRASES[status];
  return phrase === undefined ? String(status) : `${status} ${phrase}`;
}

/**
 * `categories[0]: Invalid option; reporter: Required (and 12 more)` — at most `limit`, so messages
 * stay short; `total` is how many there were in all when the server listed only the first of them.
 */
export function describeInvalidParams(params: readonly InvalidParam[], limit = 3, total: number = params.length): string {
  const shown = params.slice(0, limit).map((param) => `${param.name}: ${param.reason}`);
  const rest = Math.max(total, params.length) - shown.length;
  return rest > 0 ? `${shown.join('; ')} (and ${rest} more)` : shown.join('; ');
}
