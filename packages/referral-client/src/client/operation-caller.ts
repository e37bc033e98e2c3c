import { OPERATIONS, type Operation, type OperationId } from '@tahaffuz/referral-contract';
import type { Transport } from '../http/transport.js';
import { PagePromise, type Page } from '../pagination/page-promise.js';
import { callOperation, type CallArguments } from './call-operation.js';
import type { CallOptions, OperationItem, OperationResult } from './operation-types.js';

/** Validates, sends and checks calls by operation id, for the resource namespaces. */
export interface OperationCaller {
  call<Id extends OperationId>(id: Id, args: CallArguments, options?: CallOptions): Promise<OperationResult<Id>>;
  list<Id extends OperationId>(id: Id, args: CallArguments, options?: CallOptions): PagePromise<OperationItem<Id>>;
}

/** Creates the caller that every namespace of a client uses. */
export function createOperationCaller(transport: Transport, apiKey: string): OperationCaller {
  const publishable = apiKey.startsWith('tz_pk_');
  // Built here, not at module level, so that a bundle using only verifyWebhook drops the table.
  const byId = new Map<string, Operation>(OPERATIONS.map((operation) => [operation.id, operation]));

  function call(id: OperationId, args: CallArguments, options?: CallOptions): Promise<unknown> {
    const operation = byId.get(id);
    if (operation === undefined) return Promise.reject(new RangeError(`Unknown operation ${id}`));
    return callOperation(transport, publishable, operation, args, options);
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
