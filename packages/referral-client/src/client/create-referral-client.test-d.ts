import type {
  AuditEvent,
  Case,
  EventType,
  ReferralCaseSummary,
  Report,
  ReportReceipt,
  Role,
  WebhookDelivery,
  WebhookSubscription,
  WebhookSubscriptionCreated,
} from '@tahaffuz/referral-contract';
import { expectTypeOf } from 'vitest';
import { isReferralApiError } from '../errors/is-referral-api-error.js';
import type { RateLimitError } from '../errors/status-errors.js';
import type { Page, PagePromise } from '../pagination/page-promise.js';
import type { ReportInput } from '../resources/reports.js';
import type { ReferralClient } from './create-referral-client.js';

declare const tz: ReferralClient;

// Results are the contract's types.
expectTypeOf(tz.reports.create).returns.toEqualTypeOf<Promise<ReportReceipt>>();
expectTypeOf(tz.cases.get).returns.toEqualTypeOf<Promise<Case>>();
expectTypeOf(tz.webhooks.rotateSecret).returns.toEqualTypeOf<Promise<WebhookSubscriptionCreated>>();
expectTypeOf(tz.webhooks.delete).returns.toEqualTypeOf<Promise<void>>();
expectTypeOf(tz.referrals.case).returns.toEqualTypeOf<Promise<ReferralCaseSummary>>();

// A list is a page when awaited and an item stream when iterated.
expectTypeOf(tz.reports.list()).toEqualTypeOf<PagePromise<Report>>();
expectTypeOf(tz.reports.list()).resolves.toEqualTypeOf<Page<Report>>();
expectTypeOf(tz.cases.history('id')).toEqualTypeOf<PagePromise<AuditEvent>>();

// The operator: the audit of platform changes, the events of routing and directory changes, the role itself.
expectTypeOf(tz.audit.list({ target_type: 'routing_table' })).toEqualTypeOf<PagePromise<AuditEvent>>();
expectTypeOf<'routing.changed' | 'directory.changed'>().toMatchTypeOf<EventType>();
expectTypeOf<'operator'>().toMatchTypeOf<Role>();
// A paused webhook subscription is announced in the events feed, with a reason category.
expectTypeOf<'webhook.paused'>().toMatchTypeOf<EventType>();
expectTypeOf<WebhookSubscription['status']>().toEqualTypeOf<'enabled' | 'disabled' | 'paused'>();
expectTypeOf<WebhookDelivery['last_error']>().toEqualTypeOf<
  'refused_target' | 'connect_failed' | 'timeout' | 'http_status' | 'subscription_inactive' | null
>();
// @ts-expect-error reads of case data are not in the audit of platform changes
tz.audit.list({ target_type: 'report' });

// The report id is optional; read-only inputs (`as const`) are accepted.
expectTypeOf<{ id?: string | undefined }>().toMatchTypeOf<Pick<ReportInput, 'id'>>();
tz.reports.create({
  categories: ['bonded_labour'] as const,
  happening_now: false,
  location: { admin_area: 'PK-PB-KSR' },
  reporter: { mode: 'anonymous' },
  locale: 'en',
});

// Filters are typed from the contract's list queries.
tz.cases.list({ status: 'open', stage: 'screening' });
// @ts-expect-error — not a case status
tz.cases.list({ status: 'pending' });
// @ts-expect-error — transitions need `to`
tz.referrals.transition('id', { reason: 'x' });

// The guard narrows to the named class.
declare const error: unknown;
if (isReferralApiError(error, 'RateLimitError')) {
  expectTypeOf(error).toEqualTypeOf<RateLimitError>();
  expectTypeOf(error.retryAfter).toEqualTypeOf<number | undefined>();
}
