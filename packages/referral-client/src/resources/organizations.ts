import type { Organization } from '@tahaffuz/referral-contract';
import type { OperationCaller } from '../client/operation-caller.js';
import type { CallOptions, ListQuery, OperationBody } from '../client/operation-types.js';
import type { PagePromise } from '../pagination/page-promise.js';

/** `tz.organizations`: the directory of organisations (HSDS `organization`). */
export interface OrganizationsResource {
  /** Searches the directory by `q`, `admin_area` and `kind`. */
  list(query?: ListQuery<'organizations.list'>, options?: CallOptions): PagePromise<Organization>;
  get(id: string, options?: CallOptions): Promise<Organization>;
  /** Adds an organisation to the directory (admin key). */
  create(input: OperationBody<'organizations.create'>, options?: CallOptions): Promise<Organization>;
}

/** Builds `tz.organizations`. */
export function organizationsResource(caller: OperationCaller): OrganizationsResource {
  return {
    list: (query, options) => caller.list('organizations.list', { query }, options),
    get: (id, options) => caller.call('organizations.get', { id }, options),
    create: (input, options) => caller.call('organizations.create', { body: input }, options),
  };
}
