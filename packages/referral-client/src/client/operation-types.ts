import type { OperationById, OperationId } from '@tahaffuz/referral-contract';
import type * as z from 'zod/mini';

/** The zod schema an operation of the contract declares under `key` (`request`, `query`, `response`). */
export type OperationSchema<Id extends OperationId, Key extends 'request' | 'query' | 'response'> =
  OperationById<Id> extends { readonly [K in Key]: infer S extends z.core.$ZodType } ? S : never;

/** `T` with every array and object read-only: the client never changes what it is given. */
export type ReadonlyDeep<T> = T extends readonly (infer Item)[]
  ? readonly ReadonlyDeep<Item>[]
  : T extends object
    ? { readonly [K in keyof T]: ReadonlyDeep<T[K]> }
    : T;

/** The JSON body an operation takes, as the caller writes it (defaults optional). */
export type OperationBody<Id extends OperationId> = ReadonlyDeep<z.input<OperationSchema<Id, 'request'>>>;

/** The query an operation takes, as the caller writes it (`page_size` optional). */
export type OperationQuery<Id extends OperationId> = ReadonlyDeep<z.input<OperationSchema<Id, 'query'>>>;

/** What an operation answers, after validation; `undefined` for 204. */
export type OperationResult<Id extends OperationId> =
  OperationById<Id> extends { readonly response: infer S extends z.core.$ZodType } ? z.output<S> : undefined;

/** The item type of a list operation. */
export type OperationItem<Id extends OperationId> = OperationResult<Id> extends { data: (infer Item)[] } ? Item : never;

/** A list query without the paging token, which the client manages. */
export type ListQuery<Id extends OperationId> = Omit<OperationQuery<Id>, 'page_token'> & { page_token?: string };

/** Options every method takes. */
export interface CallOptions {
  /** Cancels the call at once, also while it waits to retry; the call rejects with the signal's reason. */
  readonly signal?: AbortSignal | undefined;
  /**
   * The `Idempotency-Key` of a POST, the same on every retry of the call.
   * @default crypto.randomUUID()
   */
  readonly idempotencyKey?: string | undefined;
}
