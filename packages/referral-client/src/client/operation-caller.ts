import {
  IdSchema,
  OPERATIONS,
  toInvalidParams,
  type Operation,
  type OperationId,
} from '@tahaffuz/referral-contract';
import { safeParse } from 'zod/mini';
import type * as z from 'zod/mini';
import { describeInvalidParams } from '../errors/referral-api-error.js';
import { KeyScopeError } from '../errors/key-scope-error.js';
import { RequestValidationError, ResponseValidationError } from '../errors/validation-errors.js';
import type { QueryValue, Transport } from '../http/transport.js';
import { PagePromise, type Page } from '../pagination/page-promise.js';
import type { CallOptions, OperationItem, OperationResult } from './operation-types.js';

/** The parts of a call besides its options. */
export interface CallArguments {
  /** The `{id}` of the path. */
  readonly id?: string | undefined;
  readonly query?: object | undefined;
  readonly body?: unknown;
}

/** Validates, sends and checks calls by operation id, for the resource namespaces. */
export interface OperationCaller {
  call<Id extends OperationId>(id: Id, args: CallArguments, options?: CallOptions): Promise<OperationResult<Id>>;
  list<Id extends OperationId>(id: Id, args: CallArguments, options?: CallOptions): PagePromise<OperationItem<Id>>;
}

function validationError(operation: Operation, part: string, issues: readonly z.core.$ZodIssue[]) {
  const prefixed = issues.map((issue) => ({ ...issue, path: part === 'body' ? issue.path : [part, ...issue.path] }));
  const invalid = toInvalidParams(prefixed as z.core.$ZodIssue[]);
  return new RequestValidationError(
    `${operation.id}: invalid ${part} — ${describeInvalidParams(invalid)}. Nothing was sent.`,
    { operation: operation.id, method: operation.method, issues: prefixed, invalidParams: invalid },
  );
}

/** Creates the caller that every namespace of a client uses. */
export function createOperationCaller(transport: Transport, apiKey: string): OperationCaller {
  const publishable = apiKey.startsWith('tz_pk_');
  // Built here, not at module level, so that a bundle using only verifyWebhook drops the table.
  const byId = new Map<string, Operation>(OPERATIONS.map((operation) => [operation.id, operation]));

  async function call(id: OperationId, args: CallArguments, options: CallOptions = {}): Promise<unknown> {
    const operation = byId.get(id);
    if (operation === undefined) throw new RangeError(`Unknown operation ${id}`);
    if (publishable && !(operation.keys as readonly string[]).includes('publishable')) {
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
    if ('query' in operation && args.query !== undefined) {
      const checked = safeParse(operation.query, args.query);
      if (!checked.success) throw validationError(operation, 'query', checked.error.issues);
    }
    if ('request' in operation) {
      const checked = safeParse(operation.request, args.body);
      if (!checked.success) throw validationError(operation, 'body', checked.error.issues);
    }

    const response = await transport({
      operation: operation.id,
      method: operation.method,
      path,
      // The caller's own values are sent, not the parsed ones: the server applies its defaults.
      query: args.query as Readonly<Record<string, QueryValue>> | undefined,
      body: 'request' in operation ? args.body : undefined,
      idempotencyKey: operation.method === 'POST' ? (options.idempotencyKey ?? crypto.randomUUID()) : undefined,
      signal: options.signal,
    });

    if (!('response' in operation)) return undefined;
    const checked = safeParse(operation.response, response.body);
    if (!checked.success) {
      const invalid = toInvalidParams(checked.error.issues);
      throw new ResponseValidationError(
        `${response.method} ${response.url} answered ${response.status} with a body the contract does not allow — ${describeInvalidParams(invalid)}`,
        {
          method: response.method,
          url: response.url,
          status: response.status,
          requestId: response.requestId,
          operation: operation.id,
          issues: checked.error.issues,
          body: response.body,
        },
      );
    }
    return checked.data;
  }

  return {
    call: call as OperationCaller['call'],
    list(id, args, options) {
      return new PagePromise((pageToken) => {
        const query = pageToken === undefined ? args.query : { ...args.query, page_token: pageToken };
        return call(id, { ...args, query }, options) as Promise<Page<never>>;
      });
    },
  };
}
