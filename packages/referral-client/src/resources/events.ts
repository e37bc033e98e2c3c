import type { Event } from '@tahaffuz/referral-contract';
import type { OperationCaller } from '../client/operation-caller.js';
import type { CallOptions, ListQuery } from '../client/operation-types.js';
import type { PagePromise } from '../pagination/page-promise.js';

/** `tz.events`: every state change, to catch up on missed webhooks. */
export interface EventsResource {
  /** Lists events after an event id (`after`), oldest first, optionally of one `type`. */
  list(query?: ListQuery<'events.list'>, options?: CallOptions): PagePromise<Event>;
}

/** Builds `tz.events`. */
export function eventsResource(caller: OperationCaller): EventsResource {
  return { list: (query, options) => caller.list('events.list', { query }, options) };
}
