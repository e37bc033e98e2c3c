import type { Consent } from '@tahaffuz/referral-contract';
import type { OperationCaller } from '../client/operation-caller.js';
import type { CallOptions, ListQuery, OperationBody } from '../client/operation-types.js';
import type { PagePromise } from '../pagination/page-promise.js';

/** `tz.consents`: record and withdraw the consents that referrals rely on. */
export interface ConsentsResource {
  /** Records a consent for a case. */
  create(input: OperationBody<'consents.create'>, options?: CallOptions): Promise<Consent>;
  /** Withdraws a consent, optionally with a reason. */
  withdraw(id: string, input?: OperationBody<'consents.withdraw'>, options?: CallOptions): Promise<Consent>;
  /** Lists consents, e.g. of one case (`case_id`). */
  list(query?: ListQuery<'consents.list'>, options?: CallOptions): PagePromise<Consent>;
}

/** Builds `tz.consents`. */
export function consentsResource(caller: OperationCaller): ConsentsResource {
  return {
    create: (input, options) => caller.call('consents.create', { body: input }, options),
    withdraw: (id, input = {}, options = undefined) => caller.call('consents.withdraw', { id, body: input }, options),
    list: (query, options) => caller.list('consents.list', { query }, options),
  };
}
