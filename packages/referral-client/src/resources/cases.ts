import type { AuditEvent, Case } from '@tahaffuz/referral-contract';
import type { OperationCaller } from '../client/operation-caller.js';
import type { CallOptions, ListQuery, OperationBody } from '../client/operation-types.js';
import type { PagePromise } from '../pagination/page-promise.js';

/** `tz.cases`: open cases from screened reports and move them through their stages. */
export interface CasesResource {
  /** Opens a case from one or more screened reports. */
  open(input: OperationBody<'cases.open'>, options?: CallOptions): Promise<Case>;
  get(id: string, options?: CallOptions): Promise<Case>;
  /** Lists your organisation's cases, filtered by `status`, `stage`, `updated_since`. */
  list(query?: ListQuery<'cases.list'>, options?: CallOptions): PagePromise<Case>;
  /** Changes a case's stage, closes or reopens it: `{ to, reason? }`. */
  transition(id: string, input: OperationBody<'cases.transition'>, options?: CallOptions): Promise<Case>;
  /** A case's audit trail. */
  history(id: string, query?: ListQuery<'cases.history'>, options?: CallOptions): PagePromise<AuditEvent>;
}

/** Builds `tz.cases`. */
export function casesResource(caller: OperationCaller): CasesResource {
  return {
    open: (input, options) => caller.call('cases.open', { body: input }, options),
    get: (id, options) => caller.call('cases.get', { id }, options),
    list: (query, options) => caller.list('cases.list', { query }, options),
    transition: (id, input, options) => caller.call('cases.transition', { id, body: input }, options),
    history: (id, query, options) => caller.list('cases.history', { id, query }, options),
  };
}
