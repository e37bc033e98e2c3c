import { IdSchema, toInvalidParams, type OperationSpec } from '@tahaffuz/referral-contract';
import { safeParse } from 'zod/mini';
import type * as z from 'zod/mini';
import { describeInvalidParams } from '../errors/referral-api-error.js';
import { KeyScopeError } from '../errors/key-scope-error.js';
import { RequestValidationError, responseValidationError } from '../errors/validation-errors.js';
import type { QueryValue, Transport } from '../http/transport.js';
import type { CallOptions } from './operation-types.js';

/** The parts of a call besides its options. */
export interface CallArguments {
  /** The `{id}` of the path. */
  readonly id?: string | undefined;
  readonly query?: object | undefined;
  readonly body?: unknown;
}

function validationError(operation: OperationSpec, part: string, issues: readonly z.core.$ZodIssue[]) {
  const prefixed = issues.map((issue) => ({ ...issue, path: part === 'body' ? issue.path : [part, ...issue.path] }));
  const invalid = toInvalidParams(prefixed as z.core.$ZodIssue[]);
  return new RequestValidationError(`${operation.id}: invalid ${part} — ${describeInvalidParams(invalid)}. Nothing was sent.`, {
    operation: operation.id,
    method: operation.method,
    issues: prefixed,
    invalidParams: invalid,
  });
}

/**
 * Makes one call of one operation of the contract: checks the key's scope and the input against
 * the operation's schemas (nothing is sent when they fail), sends it through the transport with a
 * POST's `Idempotency-Key`, and checks the response. Every client entry calls the API through this.
 */
export async function callOperation(
  transport: Transport,
  publishable: boolean,
  operation: OperationSpec,
  args: CallArguments,
  options: CallOptions = {},
): Promise<unknown> {
  if (publishable && !operation.keys.includes('publishable')) {
    throw new KeyScopeError(
      `${operation.id} needs a secret key (tz_sk_…), but the client has a publishable key (tz_pk_…), which may only create reports. Nothing was sent.`,
      { operation: operation.id, method: operation.method },
    );
  }
  options.signal?.throwIfAborted();

  let path: string = operation.path;
  if (path.includes('{id}')) {
    const checked = safeParse(IdSchema, args.id);
    if (!checked.success) throw validationError(operation, 'id', checked.error.issues);
    path = path.replace('{id}', encodeURIComponent(checked.data));
  }
  if (operation.query !== undefined && args.query !== undefined) {
    const checked = safeParse(operation.query, args.query);
    if (!checked.success) throw validationError(operation, 'query', checked.error.issues);
  }
  if (operation.request !== undefined) {
    const checked = safeParse(operation.request, args.body);
    if (!checked.success) throw validationError(operation, 'body', checked.error.issues);
  }

  const response = await transport({
    operation: operation.id,
    method: operation.method,
    path,
    // The caller's own values are sent, not the parsed ones: the server applies its defaults.
    query: args.query as Readonly<Record<string, QueryValue>> | undefined,
    body: operation.request !== undefined ? args.body : undefined,
    idempotencyKey: operation.method === 'POST' ? (options.idempotencyKey ?? crypto.randomUUID()) : undefined,
    signal: options.signal,
  });

  if (operation.response === undefined) return undefined;
  const checked = safeParse(operation.response, response.body);
  if (!checked.success) {
    throw responseValidationError(response, operation.id, checked.error.issues, toInvalidParams(checked.error.issues));
  }
  return checked.data;
}
