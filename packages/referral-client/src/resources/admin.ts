import type { ApiKey, ApiKeyCreated, AuditEvent, Erasure, RoutingTable } from '@tahaffuz/referral-contract';
import type { OperationCaller } from '../client/operation-caller.js';
import type { CallOptions, ListQuery, OperationBody } from '../client/operation-types.js';
import type { PagePromise } from '../pagination/page-promise.js';

/** `tz.routing` (operator key): which intake organisation receives the reports of which admin area. */
export interface RoutingResource {
  get(options?: CallOptions): Promise<RoutingTable>;
  /** Replaces the whole routing table. */
  update(input: OperationBody<'routing.update'>, options?: CallOptions): Promise<RoutingTable>;
}

/** `tz.keys` (admin key: your organisation's keys; operator key: any organisation's). */
export interface KeysResource {
  /** Creates a key; the answer carries the key itself, this once. */
  create(input: OperationBody<'keys.create'>, options?: CallOptions): Promise<ApiKeyCreated>;
  list(query?: ListQuery<'keys.list'>, options?: CallOptions): PagePromise<ApiKey>;
  revoke(id: string, options?: CallOptions): Promise<ApiKey>;
}

/** `tz.erasures` (admin key): erase a report's or a case's personal data. */
export interface ErasuresResource {
  create(input: OperationBody<'erasures.create'>, options?: CallOptions): Promise<Erasure>;
}

/** `tz.audit` (operator key): the audit of platform changes — routing, organisations, services and keys. */
export interface AuditResource {
  /** Lists platform changes, oldest first, optionally of one `target_type` or `target_id`. */
  list(query?: ListQuery<'audit.list'>, options?: CallOptions): PagePromise<AuditEvent>;
}

/** Builds `tz.audit`. */
export function auditResource(caller: OperationCaller): AuditResource {
  return { list: (query, options) => caller.list('audit.list', { query }, options) };
}

/** Builds `tz.routing`. */
export function routingResource(caller: OperationCaller): RoutingResource {
  return {
    get: (options) => caller.call('routing.get', {}, options),
    update: (input, options) => caller.call('routing.update', { body: input }, options),
  };
}

/** Builds `tz.keys`. */
export function keysResource(caller: OperationCaller): KeysResource {
  return {
    create: (input, options) => caller.call('keys.create', { body: input }, options),
    list: (query, options) => caller.list('keys.list', { query }, options),
    revoke: (id, options) => caller.call('keys.revoke', { id }, options),
  };
}

/** Builds `tz.erasures`. */
export function erasuresResource(caller: OperationCaller): ErasuresResource {
  return { create: (input, options) => caller.call('erasures.create', { body: input }, options) };
}
