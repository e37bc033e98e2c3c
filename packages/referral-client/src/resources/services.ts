import type { Service } from '@tahaffuz/referral-contract';
import type { OperationCaller } from '../client/operation-caller.js';
import type { CallOptions, ListQuery, OperationBody } from '../client/operation-types.js';
import type { PagePromise } from '../pagination/page-promise.js';

/** `tz.services`: the directory of services (HSDS `service`) with their capacity. */
export interface ServicesResource {
  /** Searches services by `admin_area`, `service_type`, `capacity`, `organization_id`, `language`, `age`. */
  list(query?: ListQuery<'services.list'>, options?: CallOptions): PagePromise<Service>;
  get(id: string, options?: CallOptions): Promise<Service>;
  /** Adds a service to the directory (admin key). */
  create(input: OperationBody<'services.create'>, options?: CallOptions): Promise<Service>;
  /** Updates a service's capacity (provider key). */
  updateCapacity(id: string, input: OperationBody<'services.updateCapacity'>, options?: CallOptions): Promise<Service>;
}

/** Builds `tz.services`. */
export function servicesResource(caller: OperationCaller): ServicesResource {
  return {
    list: (query, options) => caller.list('services.list', { query }, options),
    get: (id, options) => caller.call('services.get', { id }, options),
    create: (input, options) => caller.call('services.create', { body: input }, options),
    updateCapacity: (id, input, options) => caller.call('services.updateCapacity', { id, body: input }, options),
  };
}
