import { ReferralApiError } from '../errors/referral-api-error.js';
import type { ClientHooks } from '../http/hooks.js';
import { DEFAULT_RETRY, DEFAULT_TIMEOUT, type RetryOptions, type TimeoutOptions } from '../http/retry-policy.js';
import { createTransport, type FetchFunction } from '../http/transport.js';
import {
  erasuresResource,
  keysResource,
  routingResource,
  type ErasuresResource,
  type KeysResource,
  type RoutingResource,
} from '../resources/admin.js';
import { casesResource, type CasesResource } from '../resources/cases.js';
import { consentsResource, type ConsentsResource } from '../resources/consents.js';
import { eventsResource, type EventsResource } from '../resources/events.js';
import { organizationsResource, type OrganizationsResource } from '../resources/organizations.js';
import { referralsResource, type ReferralsResource } from '../resources/referrals.js';
import { reportsResource, type ReportsResource } from '../resources/reports.js';
import { servicesResource, type ServicesResource } from '../resources/services.js';
import { statsResource, type StatsResource } from '../resources/stats.js';
import { webhooksResource, type WebhooksResource } from '../resources/webhooks.js';
import { createOperationCaller } from './operation-caller.js';

/** Options of `createReferralClient()`. */
export interface ReferralClientOptions {
  /** The API's origin, with a path prefix if it has one, e.g. `https://referrals.example.org`. */
  readonly baseUrl: string | URL;
  /**
   * A secret key (`tz_sk_live_…`, `tz_sk_test_…`) for a server, or a publishable key
   * (`tz_pk_…`) for a page, which may only create reports.
   */
  readonly apiKey: string;
  /**
   * The `fetch` to use, e.g. one with a proxy agent or a test double.
   * @default globalThis.fetch
   */
  readonly fetch?: FetchFunction | undefined;
  /**
   * Per-attempt timeout and total deadline in milliseconds; a number sets the per-attempt timeout.
   * @default { attempt: 10_000, total: 60_000 }
   */
  readonly timeout?: number | Partial<TimeoutOptions> | undefined;
  /**
   * Retry settings; a number sets `limit`, `false` turns retries off. The defaults are the ones
   * the lossy-network test of the reference server passes with.
   * @default { limit: 8, backoffBase: 250, backoffCap: 5000, maxRetryAfter: 30_000 }
   */
  readonly retry?: number | false | Partial<RetryOptions> | undefined;
  /**
   * Observation hooks (ids, statuses and timings only).
   * @default {}
   */
  readonly hooks?: ClientHooks | undefined;
}

/** A referral API client: one namespace per resource, named as on the wire. */
export interface ReferralClient {
  readonly reports: ReportsResource;
  readonly cases: CasesResource;
  readonly consents: ConsentsResource;
  readonly organizations: OrganizationsResource;
  readonly services: ServicesResource;
  readonly referrals: ReferralsResource;
  readonly events: EventsResource;
  readonly webhooks: WebhooksResource;
  readonly stats: StatsResource;
  readonly routing: RoutingResource;
  readonly keys: KeysResource;
  readonly erasures: ErasuresResource;
}

function resolveRetry(retry: ReferralClientOptions['retry']): RetryOptions {
  if (retry === undefined) return DEFAULT_RETRY;
  if (retry === false) return { ...DEFAULT_RETRY, limit: 0 };
  if (typeof retry === 'number') return { ...DEFAULT_RETRY, limit: retry };
  return { ...DEFAULT_RETRY, ...retry };
}

function resolveTimeout(timeout: ReferralClientOptions['timeout']): TimeoutOptions {
  if (timeout === undefined) return DEFAULT_TIMEOUT;
  if (typeof timeout === 'number') return { ...DEFAULT_TIMEOUT, attempt: timeout };
  return { ...DEFAULT_TIMEOUT, ...timeout };
}

function checkNumber(name: string, value: number, minimum: number): void {
  if (!Number.isFinite(value) || value < minimum) {
    throw new ReferralApiError(`createReferralClient: ${name} must be a number >= ${minimum}, got ${String(value)}`);
  }
}

/**
 * Creates a client of the Tahaffuz referral API. Every call validates its input before sending,
 * retries what is safe to retry with the same `Idempotency-Key`, validates the response, and
 * throws a `ReferralApiError` subclass when it fails.
 *
 * @example
 * ```ts
 * import { createReferralClient } from '@tahaffuz/referral-client';
 *
 * const tz = createReferralClient({ baseUrl: 'https://referrals.example.org', apiKey: process.env.TZ_KEY! });
 * const receipt = await tz.reports.create({
 *   categories: ['bonded_labour'],
 *   happening_now: true,
 *   location: { admin_area: 'PK-PB-LHR', place_type: 'brick_kiln' },
 *   reporter: { mode: 'anonymous' },
 *   locale: 'en',
 * });
 * for await (const referral of tz.referrals.list({ status: 'requested' })) console.log(referral.id);
 * ```
 */
export function createReferralClient(options: ReferralClientOptions): ReferralClient {
  const baseUrl = String(options.baseUrl);
  if (!URL.canParse(baseUrl) || !/^https?:$/u.test(new URL(baseUrl).protocol)) {
    throw new ReferralApiError(`createReferralClient: baseUrl must be an http(s) URL, got ${JSON.stringify(baseUrl)}`);
  }
  if (typeof options.apiKey !== 'string' || options.apiKey.trim() === '') {
    throw new ReferralApiError('createReferralClient: apiKey is required (tz_sk_… or tz_pk_…)');
  }
  const retry = resolveRetry(options.retry);
  const timeout = resolveTimeout(options.timeout);
  checkNumber('retry.limit', retry.limit, 0);
  checkNumber('retry.backoffBase', retry.backoffBase, 0);
  checkNumber('retry.backoffCap', retry.backoffCap, 0);
  checkNumber('retry.maxRetryAfter', retry.maxRetryAfter, 0);
  checkNumber('timeout.attempt', timeout.attempt, 1);
  checkNumber('timeout.total', timeout.total, 1);

  const transport = createTransport({
    baseUrl,
    apiKey: options.apiKey,
    fetch: options.fetch,
    retry,
    timeout,
    hooks: options.hooks,
  });
  const caller = createOperationCaller(transport, options.apiKey);
  return {
    reports: reportsResource(caller),
    cases: casesResource(caller),
    consents: consentsResource(caller),
    organizations: organizationsResource(caller),
    services: servicesResource(caller),
    referrals: referralsResource(caller),
    events: eventsResource(caller),
    webhooks: webhooksResource(caller),
    stats: statsResource(caller),
    routing: routingResource(caller),
    keys: keysResource(caller),
    erasures: erasuresResource(caller),
  };
}
