import { createTransport } from '../http/transport.js';
import {
  auditResource,
  erasuresResource,
  keysResource,
  routingResource,
  type AuditResource,
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
import { resolveTransportOptions, type ReferralClientOptions } from './client-options.js';
import { createOperationCaller } from './operation-caller.js';

export type { ReferralClientOptions } from './client-options.js';

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
  readonly audit: AuditResource;
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
  const transport = createTransport(resolveTransportOptions('createReferralClient', options));
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
    audit: auditResource(caller),
  };
}
