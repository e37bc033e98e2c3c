import type { AuditEvent, Referral, ReferralCaseSummary } from '@tahaffuz/referral-contract';
import type { OperationCaller } from '../client/operation-caller.js';
import type { CallOptions, ListQuery, OperationBody } from '../client/operation-types.js';
import type { PagePromise } from '../pagination/page-promise.js';

/** `tz.referrals`: send a case to a service and follow the referral through its states. */
export interface ReferralsResource {
  /** Creates a draft referral of a case to a service. */
  create(input: OperationBody<'referrals.create'>, options?: CallOptions): Promise<Referral>;
  /** Reads a referral made by or addressed to your organisation. */
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
  /**
   * Reads the case data the referral shares with the organisation it is addressed to: urgency
   * and note, protection concerns, the child's age band and languages, and each report's
   * categories, location, victims and locale — with the reporter's contact only where they chose
   * to share it. The receiving organisation reads it while the referral is requested, accepted,
   * in progress or on hold (`NotFoundError` otherwise); the referring organisation's caseworkers
   * and supervisors read it in any state, to see exactly what is shared. Once the consent the
   * referral was requested under is withdrawn or expired (and there was no override) it fails
   * with `code` `consent-required`. Every read is in the case's audit trail.
   *
   * @example
   * ```ts
   * for await (const referral of tz.referrals.list({ status: 'requested' })) {
   *   const summary = await tz.referrals.case(referral.id);
   *   const reachable = summary.reports.filter((report) => report.reporter_contact?.safe_to_contact);
   * }
   * ```
   */
  case(id: string, options?: CallOptions): Promise<ReferralCaseSummary>;
}

/** Builds `tz.referrals`. */
export function referralsResource(caller: OperationCaller): ReferralsResource {
  return {
    create: (input, options) => caller.call('referrals.create', { body: input }, options),
    get: (id, options) => caller.call('referrals.get', { id }, options),
    list: (query, options) => caller.list('referrals.list', { query }, options),
    transition: (id, input, options) => caller.call('referrals.transition', { id, body: input }, options),
    history: (id, query, options) => caller.list('referrals.history', { id, query }, options),
    case: (id, options) => caller.call('referrals.case', { id }, options),
  };
}
