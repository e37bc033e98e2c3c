import type { TransportResponse } from '../http/transport.js';
import { describeInvalidParams, ReferralApiError, type InvalidParam, type ReferralApiErrorContext } from './referral-api-error.js';

/** A zod issue as far as this package relies on it. */
export interface SchemaIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly code?: string | undefined;
}

/** The input of a call failed the contract's schema; nothing was sent. */
export class RequestValidationError extends ReferralApiError {
  override name = 'RequestValidationError' as const;
  /** The operation whose input was refused, e.g. `reports.create`. */
  readonly operation: string;
  /** zod's issues. */
  readonly issues: readonly SchemaIssue[];
  /** The issues as `{ name, reason }`, like the server's `invalid_params`. */
  readonly invalidParams: readonly InvalidParam[];
  /** The JSON path of the first refused field, e.g. `categories[0]` or `query.status` (`$`: the whole input). */
  readonly path: string;

  constructor(
    message: string,
    context: ReferralApiErrorContext & {
      operation: string;
      issues: readonly SchemaIssue[];
      invalidParams: readonly InvalidParam[];
    },
  ) {
    super(message, context);
    this.operation = context.operation;
    this.issues = context.issues;
    this.invalidParams = context.invalidParams;
    this.path = this.invalidParams[0]?.name ?? '$';
  }
}

/**
 * The server answered with success but the body does not match the contract. The request itself
 * succeeded (a create did happen): this is not an HTTP error and is never retried.
 */
export class ResponseValidationError extends ReferralApiError {
  override name = 'ResponseValidationError' as const;
  readonly operation: string;
  readonly issues: readonly SchemaIssue[];
  /** The body as received, for diagnosis; it may contain personal data, so never log it. */
  readonly body: unknown;

  constructor(message: string, context: ReferralApiErrorContext & { operation: string; issues: readonly SchemaIssue[]; body: unknown }) {
    super(message, context);
    this.operation = context.operation;
    this.issues = context.issues;
    this.body = context.body;
  }
}

/** The `ResponseValidationError` of a response body that `operation`'s contract does not allow. */
export function responseValidationError(
  response: TransportResponse,
  operation: string,
  issues: readonly SchemaIssue[],
  invalidParams: readonly InvalidParam[],
): ResponseValidationError {
  return new ResponseValidationError(
    `${response.method} ${response.url} answered ${response.status} with a body the contract does not allow — ${describeInvalidParams(invalidParams)}`,
    {
      method: response.method,
      url: response.url,
      status: response.status,
      requestId: response.requestId,
      operation,
      issues,
      body: response.body,
    },
  );
}
