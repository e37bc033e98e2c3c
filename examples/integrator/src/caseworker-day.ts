import {
  createReferralClient,
  type AuditEvent,
  type Event,
  type FetchFunction,
  type ReferralCaseSummary,
  type ReferralClient,
  type ReferralStatus,
  type Report,
} from '@tahaffuz/referral-client';
import type { ReceivedWebhook, WebhookReceiver } from './webhook-receiver.js';

/** Options of {@link main}. */
export interface CaseworkerDayOptions {
  /** The referral API, e.g. `http://127.0.0.1:8787`. */
  readonly baseUrl: string;
  /** A caseworker's secret key of the intake organisation. */
  readonly caseworkerKey: string;
  /** A provider's secret key of the organisation that runs the shelter (its own key, its own view). */
  readonly providerKey: string;
  /**
   * An admin key of the caseworker's organisation, to subscribe `webhooks` to its events. Without
   * it (or without `webhooks`) the day runs on the events feed alone.
   */
  readonly adminKey?: string | undefined;
  /** A running receiver to subscribe; its secrets are set from the new subscription. */
  readonly webhooks?: WebhookReceiver | undefined;
  /**
   * Submit one demo report first, as a partner would, so that a freshly seeded server has
   * something to screen.
   * @default false
   */
  readonly submitDemoReport?: boolean | undefined;
  /** Where to print progress (ids and statuses only, never report content). @default console.log */
  readonly log?: ((line: string) => void) | undefined;
  /** The `fetch` the clients use. @default globalThis.fetch */
  readonly fetch?: FetchFunction | undefined;
}

/** What the day did, by id. */
export interface CaseworkerDayResult {
  /** New reports routed to the organisation (no case yet) when the day started. */
  readonly newReportIds: readonly string[];
  readonly reportId: string;
  readonly caseId: string;
  readonly consentId: string;
  readonly serviceId: string;
  readonly referralId: string;
  /** Every status the referral went through, in order. */
  readonly referralStatuses: readonly ReferralStatus[];
  /**
   * What the shelter read about the case once it accepted the referral: the minimum a service
   * needs, with a reporter's contact only where they chose to share it.
   */
  readonly caseSummary: ReferralCaseSummary;
  /** The case's audit trail at the end of the day. */
  readonly caseHistory: readonly AuditEvent[];
  /** Events since the start of the day, read from the events feed. */
  readonly events: readonly Event[];
  /** Verified webhooks about this referral (empty without a receiver). */
  readonly webhooks: readonly ReceivedWebhook[];
}

/**
 * Reads the events feed from `after` to its end: what a system that missed webhooks (it was down,
 * its receiver failed) does to catch up. Keep the returned cursor for the next time.
 */
export async function catchUpEvents(
  tz: ReferralClient,
  after: string | undefined,
): Promise<{ events: Event[]; cursor: string | undefined }> {
  const events: Event[] = [];
  for await (const event of tz.events.list(after === undefined ? {} : { after })) events.push(event);
  return { events, cursor: events.at(-1)?.id ?? after };
}

/** The reports routed to the caller's organisation that no case was opened from yet. */
async function newReports(tz: ReferralClient): Promise<Report[]> {
  const reports: Report[] = [];
  for await (const report of tz.reports.list({ page_size: 100 })) {
    if (report.case_ids.length === 0) reports.push(report);
  }
  return reports;
}

/**
 * A caseworker's day on the referral API: list the new reports routed to the organisation, open
 * a case from one, record the guardian's consent, find a shelter by district and service type,
 * refer the child there; the shelter (with its own provider key) accepts the referral, reads the
 * case data it shares (never the narrative; the reporter's contact only in `share` mode), starts
 * and completes it; read the case's history and catch up on the events feed — with a webhook receiver,
 * subscribed by the organisation's admin, verifying each delivery on the side.
 *
 * @example
 * ```ts
 * import { main } from '@tahaffuz/example-integrator';
 *
 * const day = await main({
 *   baseUrl: 'http://127.0.0.1:8787',
 *   caseworkerKey: process.env.TZ_CASEWORKER_KEY!,
 *   providerKey: process.env.TZ_PROVIDER_KEY!,
 * });
 * console.log(day.referralStatuses.join(' -> '));
 * ```
 */
export async function main(options: CaseworkerDayOptions): Promise<CaseworkerDayResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const clientOptions = { baseUrl: options.baseUrl, ...(options.fetch === undefined ? {} : { fetch: options.fetch }) };
  const caseworker = createReferralClient({ ...clientOptions, apiKey: options.caseworkerKey });
  const provider = createReferralClient({ ...clientOptions, apiKey: options.providerKey });

  // Where the feed stands now; a real integration keeps this cursor between runs.
  const start = await catchUpEvents(caseworker, undefined);

  let subscriptionId: string | undefined;
  const admin = options.adminKey === undefined ? undefined : createReferralClient({ ...clientOptions, apiKey: options.adminKey });
  if (admin !== undefined && options.webhooks !== undefined) {
    const subscription = await admin.webhooks.create({
      url: options.webhooks.url,
      event_types: ['case.opened', 'referral.requested', 'referral.accepted', 'referral.completed'],
      description: 'Integrator example receiver',
    });
    subscriptionId = subscription.id;
    // The secret is shown once: keep it in your secret store, never in logs.
    options.webhooks.secrets = [subscription.secret];
    log(`subscribed webhook ${subscription.id}`);
  }

  try {
    if (options.submitDemoReport === true) {
      const receipt = await caseworker.reports.create({
        categories: ['bonded_labour', 'child_labour'],
        happening_now: true,
        location: { admin_area: 'PK-PB-LHR', place_type: 'brick_kiln' },
        victims: { count: 3, age_band: '12_to_14', indicators: ['debt', 'cannot_leave'] },
        narrative: 'DEMO: three children moulding bricks at a kiln, family debt to the owner.',
        // The reporter agrees to be contacted by the services the child is referred to.
        reporter: { mode: 'share', contact: { name: 'DEMO reporter', email: 'demo-reporter@example.org', safe_to_contact: true } },
        locale: 'en',
        channel: 'helpline',
      });
      log(`submitted demo report ${receipt.id} (${receipt.reference})`);
    }

    // 1. The new reports routed to this organisation.
    const fresh = await newReports(caseworker);
    log(`${fresh.length} new report(s) routed to the organisation`);
    const report = fresh.find((candidate) => candidate.categories.includes('bonded_labour')) ?? fresh[0];
    if (report === undefined) throw new Error('No new report to screen: submit one first (or pass submitDemoReport).');

    // 2. Screen it in: open a case.
    const opened = await caseworker.cases.open({
      report_ids: [report.id],
      screening_outcome: 'screened_in',
      screening_reason: 'Children in debt bondage at a brick kiln; happening now.',
      protection_concerns: ['bonded_labour', 'child_labour'],
      risk_level: 'high',
    });
    log(`opened case ${opened.id} (stage ${opened.stage})`);

    // 3. The guardian consents to shelter and psychosocial support from any organisation.
    const consent = await caseworker.consents.create({
      case_id: opened.id,
      grantor: 'guardian',
      basis: 'consent',
      scope: { service_types: ['shelter', 'psychosocial'], organization_ids: 'any' },
      obtained_at: new Date().toISOString(),
    });
    log(`recorded consent ${consent.id} (${consent.status})`);

    // 4. A shelter in the report's district with places now.
    const district = report.location.admin_area;
    const shelters = await caseworker.services.list({ admin_area: district, service_type: 'shelter', capacity: 'available' });
    const shelter = shelters.data[0];
    if (shelter === undefined) throw new Error(`No shelter with places covers ${district}.`);
    log(`found shelter service ${shelter.id} (organisation ${shelter.organization_id})`);

    // 5. Refer: a draft, then requested (the consent covers it).
    const draft = await caseworker.referrals.create({
      case_id: opened.id,
      service_id: shelter.id,
      urgency: 'urgent',
      consent_id: consent.id,
    });
    const statuses: ReferralStatus[] = [draft.status];
    const requested = await caseworker.referrals.transition(draft.id, { to: 'requested' });
    statuses.push(requested.status);
    log(`referral ${draft.id}: ${statuses.join(' -> ')}`);

    // 6. The shelter, with its own key, sees the referral addressed to it and takes the child in.
    const inbox = await provider.referrals.list({ status: 'requested' });
    const incoming = inbox.data.find((referral) => referral.id === draft.id);
    if (incoming === undefined) throw new Error(`Referral ${draft.id} is not in the provider's inbox.`);
    statuses.push((await provider.referrals.transition(incoming.id, { to: 'accepted' })).status);
    // What it needs to act: the case data the referral shares (read while the referral is open;
    // every read is in the case's audit trail). Log counts only, never the content.
    const caseSummary = await provider.referrals.case(incoming.id);
    const reachable = caseSummary.reports.filter((shared) => shared.reporter_contact?.safe_to_contact === true).length;
    log(`shelter read case ${caseSummary.case_id}: ${caseSummary.reports.length} report(s), ${reachable} reporter(s) it may contact`);
    for (const to of ['in_progress', 'completed'] as const) {
      const moved = await provider.referrals.transition(incoming.id, { to });
      statuses.push(moved.status);
    }
    log(`referral ${draft.id}: ${statuses.join(' -> ')}`);

    // 7. The case's history: who did what, field names only.
    const caseHistory: AuditEvent[] = [];
    for await (const entry of caseworker.cases.history(opened.id)) caseHistory.push(entry);
    log(`case ${opened.id} history: ${caseHistory.map((entry) => entry.action).join(', ')}`);

    // 8. Catch up on the events feed from where the day started.
    const caughtUp = await catchUpEvents(caseworker, start.cursor);
    log(`${caughtUp.events.length} event(s) since the start: ${caughtUp.events.map((event) => event.type).join(', ')}`);

    // 9. The webhooks about this referral, verified by the receiver.
    let webhooks: ReceivedWebhook[] = [];
    if (subscriptionId !== undefined && options.webhooks !== undefined) {
      const receiver = options.webhooks;
      const about = (webhook: ReceivedWebhook) => webhook.payload.data.referral_id === draft.id;
      await receiver.waitFor((webhook) => about(webhook) && webhook.payload.type === 'referral.completed');
      webhooks = receiver.received.filter(about);
      log(`${webhooks.length} verified webhook(s) about referral ${draft.id}: ${webhooks.map((w) => w.payload.type).join(', ')}`);
    }

    return {
      newReportIds: fresh.map((candidate) => candidate.id),
      reportId: report.id,
      caseId: opened.id,
      consentId: consent.id,
      serviceId: shelter.id,
      referralId: draft.id,
      referralStatuses: statuses,
      caseSummary,
      caseHistory,
      events: caughtUp.events,
      webhooks,
    };
  } finally {
    if (admin !== undefined && subscriptionId !== undefined) await admin.webhooks.delete(subscriptionId);
  }
}
