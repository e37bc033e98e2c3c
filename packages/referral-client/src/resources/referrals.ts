import type { AuditEvent, Referral } from '@tahaffuz/referral-contract';
import type { OperationCaller } from '../client/operation-caller.js';
import type { CallOptions, ListQuery, OperationBody } from '../client/operation-types.js';
import type { PagePromise } from '../pagination/page-promise.js';

/** `tz.referrals`: send a case to a service and follow the referral through its states. */
export interface ReferralsResource {
  /** Creates a draft referral of a case to a service. */
  create(input: OperationBody<'referrals.create'>, options?: CallOptions): Promise<Referral>;
  get(id: string, options?: CallOptions): Promise<Referral>;
  /** Lists referrals made by or addressed to your organisation. */
  list(query?: ListQuery<'referrals.list'>, options?: CallOptions): PagePromise<Referral>;
  /**
   * Moves a referral to another state: `{ to, reason }` (a reason is required for `rejected` and
   * `failed`). A `requested` without covering consent fails with `code` `consent-required`.
   */
  transition(id: string, input: OperationBody<'referrals.transition'>, options?: CallOptions): Promise<Referral>;
  /** A referral's audit trail. */
  history(id: string, query?: ListQuery<'referrals.history'>, options?: CallOptions): PagePromise<AuditEvent>;
}

/** Builds `tz.referrals`. */
export function referralsResource(caller: OperationCaller): ReferralsResource {
  return {
    create: (input, options) => caller.call('referrals.create', { body: input }, options),
    get: (id, options) => caller.call('referrals.get', { id }, options),
    list: (query, options) => caller.list('referrals.list', { query }, options),
    transition: (id, input, options) => caller.call('referrals.transition', { id, body: input }, options),
    history: (id, query, options) => caller.list('referrals.history', { id, query }, options),
  };
}
