import type { AuditEvent, Report, ReportReceipt } from '@tahaffuz/referral-contract';
import type { OperationCaller } from '../client/operation-caller.js';
import type { CallOptions, ListQuery, OperationBody } from '../client/operation-types.js';
import type { PagePromise } from '../pagination/page-promise.js';

/** A report as the caller submits it: `id` may be left out, the client then generates it. */
export type ReportInput = Omit<OperationBody<'reports.create'>, 'id'> & { id?: string | undefined };

/** `tz.reports`: submit reports and read the ones routed to your organisation. */
export interface ReportsResource {
  /**
   * Submits a report and returns its receipt `{ id, reference, received_at }`. Without an `id`
   * the client generates one (a UUID) before the first attempt, so every retry is the same
   * report; after a failed call, calling `create` again with the same object reuses that id. An
   * offline queue that stores reports should set `id` itself (`crypto.randomUUID()`) before
   * storing, so a resubmission weeks later still returns the original receipt.
   *
   * @example
   * ```ts
   * const receipt = await tz.reports.create({
   *   categories: ['bonded_labour'],
   *   happening_now: true,
   *   location: { admin_area: 'PK-PB-LHR', place_type: 'brick_kiln' },
   *   reporter: { mode: 'anonymous' },
   *   locale: 'en',
   * });
   * ```
   */
  create(input: ReportInput, options?: CallOptions): Promise<ReportReceipt>;
  /** Reads a report (secret key). */
  get(id: string, options?: CallOptions): Promise<Report>;
  /** Lists the reports routed to your organisation: await for a page, `for await` for all. */
  list(query?: ListQuery<'reports.list'>, options?: CallOptions): PagePromise<Report>;
  /** A report's audit trail. */
  history(id: string, query?: ListQuery<'reports.history'>, options?: CallOptions): PagePromise<AuditEvent>;
}

/** Sends one report body, already carrying its `id`, and returns the validated receipt. */
export type SendReportBody = (body: OperationBody<'reports.create'>, options?: CallOptions) => Promise<ReportReceipt>;

/**
 * `reports.create` over `send`, shared by the full client and the report submitter: generates the
 * report's id when the caller gave none, once, before the first attempt.
 */
export function reportCreate(send: SendReportBody): ReportsResource['create'] {
  // The id a failed call generated, by input object: calling create() again with the same
  // object after a failure resubmits the same report. Forgotten on success, so reusing an
  // object as a template for further reports gives each its own id; never written into the
  // caller's object.
  const failedIds = new WeakMap<object, string>();
  return async (input, options) => {
    const generated = input.id === undefined;
    const id = input.id ?? failedIds.get(input) ?? crypto.randomUUID();
    try {
      const receipt = await send({ ...input, id }, options);
      if (generated) failedIds.delete(input);
      return receipt;
    } catch (error) {
      if (generated) failedIds.set(input, id);
      throw error;
    }
  };
}

/** Builds `tz.reports`. */
export function reportsResource(caller: OperationCaller): ReportsResource {
  return {
    create: reportCreate((body, options) => caller.call('reports.create', { body }, options)),
    get: (id, options) => caller.call('reports.get', { id }, options),
    list: (query, options) => caller.list('reports.list', { query }, options),
    history: (id, query, options) => caller.list('reports.history', { id, query }, options),
  };
}
