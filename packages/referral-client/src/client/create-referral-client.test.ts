import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rejection } from '@tahaffuz/test-kit';
import { problem, startHttpFixture, type HttpFixture, type Reply } from '../../test/http-fixture.js';
import * as sample from '../../test/samples.js';
import { isReferralApiError } from '../errors/is-referral-api-error.js';
import { ReferralApiError } from '../errors/referral-api-error.js';
import { NotFoundError } from '../errors/status-errors.js';
import { createReferralClient, type ReferralClient, type ReferralClientOptions } from './create-referral-client.js';

const { IDS } = sample;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/u;

let fixture: HttpFixture;
let tz: ReferralClient;
beforeAll(async () => {
  fixture = await startHttpFixture();
});
afterAll(() => fixture.close());
beforeEach(() => {
  fixture.reset();
  tz = client();
});

function client(options: Partial<ReferralClientOptions> = {}): ReferralClient {
  return createReferralClient({
    baseUrl: fixture.url,
    apiKey: 'tz_sk_test_0123456789abcdef',
    retry: { backoffBase: 2, backoffCap: 10 },
    ...options,
  });
}

interface MethodCase {
  readonly name: string;
  readonly run: (tz: ReferralClient) => PromiseLike<unknown>;
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  readonly reply: StatusReply;
}

type StatusReply = Extract<Reply, { status: number }>;
const ok = (body: unknown): StatusReply => ({ status: 200, body });
const created = (body: unknown): StatusReply => ({ status: 201, body });

const reportWithId = { ...sample.reportInput, id: IDS.report };
const caseOpen = {
  report_ids: [IDS.report],
  screening_outcome: 'screened_in',
  screening_reason: 'Confirmed by call-back.',
  protection_concerns: ['bonded_labour'],
} as const;
const consentCreate = {
  case_id: IDS.case,
  grantor: 'guardian',
  basis: 'consent',
  scope: { service_types: ['shelter'], organization_ids: 'any' },
  obtained_at: '2026-11-20T10:15:00Z',
} as const;
const organizationCreate = { name: 'Bureau', kind: 'government', admin_areas: ['PK-PB-KSR'] } as const;
const serviceCreate = {
  organization_id: IDS.organization,
  name: 'Shelter',
  service_type: 'shelter',
  coverage: ['PK-PB-KSR'],
  languages: ['ur'],
  capacity: 'available',
  confidential_address: true,
} as const;
const webhookCreate = { url: 'https://cms.example.org/hooks', event_types: ['referral.accepted'] } as const;
const keyCreate = {
  kind: 'secret',
  mode: 'test',
  organization_id: IDS.intake,
  name: 'CMS',
  role: 'caseworker',
} as const;

const METHODS: MethodCase[] = [
  {
    name: 'reports.create',
    run: (c) => c.reports.create(reportWithId),
    method: 'POST',
    path: '/v1/reports',
    body: reportWithId,
    reply: created(sample.receipt),
  },
  {
    name: 'reports.get',
    run: (c) => c.reports.get(IDS.report),
    method: 'GET',
    path: `/v1/reports/${IDS.report}`,
    reply: ok(sample.report),
  },
  {
    name: 'reports.list',
    run: (c) => c.reports.list({ category: 'bonded_labour', page_size: 2 }),
    method: 'GET',
    path: '/v1/reports?category=bonded_labour&page_size=2',
    reply: ok(sample.page([sample.report])),
  },
  {
    name: 'reports.history',
    run: (c) => c.reports.history(IDS.report),
    method: 'GET',
    path: `/v1/reports/${IDS.report}/history`,
    reply: ok(sample.page([sample.auditEvent])),
  },
  {
    name: 'cases.open',
    run: (c) => c.cases.open(caseOpen),
    method: 'POST',
    path: '/v1/cases',
    body: caseOpen,
    reply: created(sample.kase),
  },
  { name: 'cases.get', run: (c) => c.cases.get(IDS.case), method: 'GET', path: `/v1/cases/${IDS.case}`, reply: ok(sample.kase) },
  {
    name: 'cases.list',
    run: (c) => c.cases.list({ status: 'open', stage: 'screening', updated_since: '2026-11-01T00:00:00Z' }),
    method: 'GET',
    path: '/v1/cases?status=open&stage=screening&updated_since=2026-11-01T00%3A00%3A00Z',
    reply: ok(sample.page([sample.kase])),
  },
  {
    name: 'cases.transition',
    run: (c) => c.cases.transition(IDS.case, { to: 'assessment', reason: 'Screened.' }),
    method: 'POST',
    path: `/v1/cases/${IDS.case}/transitions`,
    body: { to: 'assessment', reason: 'Screened.' },
    reply: ok(sample.kase),
  },
  {
    name: 'cases.history',
    run: (c) => c.cases.history(IDS.case, { page_size: 10 }),
    method: 'GET',
    path: `/v1/cases/${IDS.case}/history?page_size=10`,
    reply: ok(sample.page([sample.auditEvent])),
  },
  {
    name: 'consents.create',
    run: (c) => c.consents.create(consentCreate),
    method: 'POST',
    path: '/v1/consents',
    body: consentCreate,
    reply: created(sample.consent),
  },
  {
    name: 'consents.withdraw',
    run: (c) => c.consents.withdraw(IDS.consent, { reason: 'Guardian withdrew.' }),
    method: 'POST',
    path: `/v1/consents/${IDS.consent}/withdraw`,
    body: { reason: 'Guardian withdrew.' },
    reply: ok(sample.consent),
  },
  {
    name: 'consents.list',
    run: (c) => c.consents.list({ case_id: IDS.case }),
    method: 'GET',
    path: `/v1/consents?case_id=${IDS.case}`,
    reply: ok(sample.page([sample.consent])),
  },
  {
    name: 'organizations.list',
    run: (c) => c.organizations.list({ admin_area: 'PK-PB-KSR' }),
    method: 'GET',
    path: '/v1/organizations?admin_area=PK-PB-KSR',
    reply: ok(sample.page([sample.organization])),
  },
  {
    name: 'organizations.get',
    run: (c) => c.organizations.get(IDS.organization),
    method: 'GET',
    path: `/v1/organizations/${IDS.organization}`,
    reply: ok(sample.organization),
  },
  {
    name: 'organizations.create',
    run: (c) => c.organizations.create(organizationCreate),
    method: 'POST',
    path: '/v1/organizations',
    body: organizationCreate,
    reply: created(sample.organization),
  },
  {
    name: 'services.list',
    run: (c) => c.services.list({ admin_area: 'PK-PB-KSR', service_type: 'shelter', capacity: 'available' }),
    method: 'GET',
    path: '/v1/services?admin_area=PK-PB-KSR&service_type=shelter&capacity=available',
    reply: ok(sample.page([sample.service])),
  },
  {
    name: 'services.get',
    run: (c) => c.services.get(IDS.service),
    method: 'GET',
    path: `/v1/services/${IDS.service}`,
    reply: ok(sample.service),
  },
  {
    name: 'services.create',
    run: (c) => c.services.create(serviceCreate),
    method: 'POST',
    path: '/v1/services',
    body: serviceCreate,
    reply: created(sample.service),
  },
  {
    name: 'services.updateCapacity',
    run: (c) => c.services.updateCapacity(IDS.service, { capacity: 'waitlist' }),
    method: 'POST',
    path: `/v1/services/${IDS.service}/capacity`,
    body: { capacity: 'waitlist' },
    reply: ok(sample.service),
  },
  {
    name: 'referrals.create',
    run: (c) => c.referrals.create({ case_id: IDS.case, service_id: IDS.service }),
    method: 'POST',
    path: '/v1/referrals',
    body: { case_id: IDS.case, service_id: IDS.service },
    reply: created(sample.referral),
  },
  {
    name: 'referrals.get',
    run: (c) => c.referrals.get(IDS.referral),
    method: 'GET',
    path: `/v1/referrals/${IDS.referral}`,
    reply: ok(sample.referral),
  },
  {
    name: 'referrals.list',
    run: (c) => c.referrals.list({ status: 'requested', service_type: 'shelter' }),
    method: 'GET',
    path: '/v1/referrals?status=requested&service_type=shelter',
    reply: ok(sample.page([sample.referral])),
  },
  {
    name: 'referrals.transition',
    run: (c) => c.referrals.transition(IDS.referral, { to: 'rejected', reason: 'at_capacity' }),
    method: 'POST',
    path: `/v1/referrals/${IDS.referral}/transitions`,
    body: { to: 'rejected', reason: 'at_capacity' },
    reply: ok(sample.referral),
  },
  {
    name: 'referrals.history',
    run: (c) => c.referrals.history(IDS.referral),
    method: 'GET',
    path: `/v1/referrals/${IDS.referral}/history`,
    reply: ok(sample.page([sample.auditEvent])),
  },
  {
    name: 'referrals.case',
    run: (c) => c.referrals.case(IDS.referral),
    method: 'GET',
    path: `/v1/referrals/${IDS.referral}/case`,
    reply: ok(sample.referralCaseSummary),
  },
  {
    name: 'events.list',
    run: (c) => c.events.list({ after: IDS.event, type: 'referral.accepted' }),
    method: 'GET',
    path: `/v1/events?after=${IDS.event}&type=referral.accepted`,
    reply: ok(sample.page([sample.event])),
  },
  {
    name: 'webhooks.create',
    run: (c) => c.webhooks.create(webhookCreate),
    method: 'POST',
    path: '/v1/webhooks',
    body: webhookCreate,
    reply: created(sample.webhookCreated),
  },
  { name: 'webhooks.list', run: (c) => c.webhooks.list(), method: 'GET', path: '/v1/webhooks', reply: ok(sample.page([sample.webhook])) },
  {
    name: 'webhooks.delete',
    run: (c) => c.webhooks.delete(IDS.webhook),
    method: 'DELETE',
    path: `/v1/webhooks/${IDS.webhook}`,
    reply: { status: 204 },
  },
  {
    name: 'webhooks.rotateSecret',
    run: (c) => c.webhooks.rotateSecret(IDS.webhook),
    method: 'POST',
    path: `/v1/webhooks/${IDS.webhook}/rotate-secret`,
    reply: ok(sample.webhookCreated),
  },
  {
    name: 'webhooks.deliveries',
    run: (c) => c.webhooks.deliveries(IDS.webhook, { status: 'failed' }),
    method: 'GET',
    path: `/v1/webhooks/${IDS.webhook}/deliveries?status=failed`,
    reply: ok(sample.page([sample.delivery])),
  },
  {
    name: 'stats.hotspots',
    run: (c) => c.stats.hotspots({ bucket: 'quarter', period: '2026-Q4', category: 'bonded_labour' }),
    method: 'GET',
    path: '/v1/stats/hotspots?bucket=quarter&period=2026-Q4&category=bonded_labour',
    reply: ok(sample.hotspots),
  },
  { name: 'routing.get', run: (c) => c.routing.get(), method: 'GET', path: '/v1/routing', reply: ok(sample.routing) },
  {
    name: 'routing.update',
    run: (c) => c.routing.update({ default_organization_id: IDS.intake, rules: [] }),
    method: 'PUT',
    path: '/v1/routing',
    body: { default_organization_id: IDS.intake, rules: [] },
    reply: ok(sample.routing),
  },
  {
    name: 'keys.create',
    run: (c) => c.keys.create(keyCreate),
    method: 'POST',
    path: '/v1/keys',
    body: keyCreate,
    reply: created({ ...sample.apiKey, key: 'tz_sk_test_0123456789abcdefABCD' }),
  },
  { name: 'keys.list', run: (c) => c.keys.list(), method: 'GET', path: '/v1/keys', reply: ok(sample.page([sample.apiKey])) },
  { name: 'keys.revoke', run: (c) => c.keys.revoke(IDS.key), method: 'POST', path: `/v1/keys/${IDS.key}/revoke`, reply: ok(sample.apiKey) },
  {
    name: 'audit.list',
    run: (c) => c.audit.list({ target_type: 'routing_table' }),
    method: 'GET',
    path: '/v1/audit?target_type=routing_table',
    reply: ok(sample.page([sample.auditEvent])),
  },
  {
    name: 'erasures.create',
    run: (c) => c.erasures.create({ target_type: 'report', target_id: IDS.report, reason: 'Retention ended.' }),
    method: 'POST',
    path: '/v1/erasures',
    body: { target_type: 'report', target_id: IDS.report, reason: 'Retention ended.' },
    reply: created(sample.erasure),
  },
];

describe('every resource method', () => {
  it.each(METHODS)('$name sends $method $path and returns the validated answer', async (test) => {
    fixture.reply(test.reply);
    const result = await test.run(tz);
    expect(result).toEqual(test.reply.body);
    expect(fixture.requests).toHaveLength(1);
    const [request] = fixture.requests;
    expect(request?.method).toBe(test.method);
    expect(request?.path).toBe(test.path);
    expect(request?.headers['authorization']).toBe('Bearer tz_sk_test_0123456789abcdef');
    expect(request?.headers['accept']).toBe('application/json');
    if (test.body === undefined) {
      expect(request?.body).toBe('');
      expect(request?.headers['content-type']).toBeUndefined();
    } else {
      expect(JSON.parse(request?.body ?? '')).toEqual(test.body);
      expect(request?.headers['content-type']).toBe('application/json');
    }
    if (test.method === 'POST') expect(request?.headers['idempotency-key']).toMatch(UUID);
    else expect(request?.headers['idempotency-key']).toBeUndefined();
  });

  it('covers every operation of the contract', async () => {
    const { OPERATIONS } = await import('@tahaffuz/referral-contract');
    expect(METHODS.map((test) => test.name).sort()).toEqual(OPERATIONS.map((operation) => operation.id).sort());
  });
});

describe('reports.create', () => {
  it('generates the id and keeps it and the Idempotency-Key on every retry', async () => {
    fixture.reply(
      { status: 503, body: problem('unavailable', 503) },
      { action: 'destroy' },
      { status: 409, body: problem('idempotency-in-flight', 409) },
      { status: 201, body: sample.receipt },
    );
    await tz.reports.create(sample.reportInput);
    expect(fixture.requests).toHaveLength(4);
    const bodies = fixture.requests.map((request) => JSON.parse(request.body) as { id: string });
    const ids = new Set(bodies.map((body) => body.id));
    const keys = new Set(fixture.requests.map((request) => request.headers['idempotency-key']));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(UUID);
    expect(keys.size).toBe(1);
    expect([...keys][0]).toMatch(UUID);
    expect(bodies[0]).toEqual({ ...sample.reportInput, id: [...ids][0] });
  });

  it('resubmits the same report when called again with the same object, and does not touch it', async () => {
    const input = { ...sample.reportInput };
    fixture.reply({ status: 400, body: problem('validation', 400) }, { status: 201, body: sample.receipt });
    await rejection(tz.reports.create(input));
    await tz.reports.create(input);
    const [first, second] = fixture.requests.map((request) => JSON.parse(request.body) as { id: string });
    expect(first?.id).toBe(second?.id);
    expect(input).not.toHaveProperty('id');
    // A new call is a new request: it gets its own Idempotency-Key.
    expect(fixture.requests[0]?.headers['idempotency-key']).not.toBe(fixture.requests[1]?.headers['idempotency-key']);
  });

  it('gives each report its own id when one object serves as a template', async () => {
    const template = { ...sample.reportInput };
    fixture.reply(...Array.from({ length: 4 }, () => created(sample.receipt)));
    await tz.reports.create(template);
    await tz.reports.create(template);
    await Promise.all([tz.reports.create(template), tz.reports.create(template)]);
    const ids = fixture.requests.map((request) => (JSON.parse(request.body) as { id: string }).id);
    expect(new Set(ids).size).toBe(4);
  });

  it("uses the caller's id and Idempotency-Key", async () => {
    fixture.reply({ status: 201, body: sample.receipt });
    await tz.reports.create(reportWithId, { idempotencyKey: 'caller-key-1' });
    expect(JSON.parse(fixture.requests[0]?.body ?? '')).toMatchObject({ id: IDS.report });
    expect(fixture.requests[0]?.headers['idempotency-key']).toBe('caller-key-1');
  });
});

describe('pagination', () => {
  const second = { ...sample.kase, id: '11111111-1111-4111-8111-111111111111' };
  const third = { ...sample.kase, id: '22222222-2222-4222-8222-222222222222' };

  it('walks every page with for await, keeping the filters', async () => {
    fixture.reply(ok(sample.page([sample.kase], 'token-2')), ok(sample.page([second], 'token-3')), ok(sample.page([third], null)));
    const seen: string[] = [];
    for await (const item of tz.cases.list({ status: 'open', page_size: 1 })) seen.push(item.id);
    expect(seen).toEqual([IDS.case, second.id, third.id]);
    expect(fixture.requests.map((request) => request.path)).toEqual([
      '/v1/cases?status=open&page_size=1',
      '/v1/cases?status=open&page_size=1&page_token=token-2',
      '/v1/cases?status=open&page_size=1&page_token=token-3',
    ]);
  });

  it('gives one page when awaited, and requests nothing until used', async () => {
    const list = tz.cases.list();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fixture.requests).toHaveLength(0);
    fixture.reply(ok(sample.page([sample.kase], 'token-2')));
    const first = await list;
    expect(first).toEqual(sample.page([sample.kase], 'token-2'));
    expect(fixture.requests).toHaveLength(1);
  });

  it('walks pages with pages() and stops early on break', async () => {
    fixture.reply(ok(sample.page([sample.kase, second], 'token-2')), ok(sample.page([third], null)));
    for await (const item of tz.cases.list()) {
      expect(item.id).toBe(IDS.case);
      break;
    }
    expect(fixture.requests).toHaveLength(1);
    fixture.reset();
    fixture.reply(ok(sample.page([sample.kase, second], 'token-2')), ok(sample.page([third], null)));
    const sizes: number[] = [];
    for await (const one of tz.cases.list().pages()) sizes.push(one.data.length);
    expect(sizes).toEqual([2, 1]);
  });

  it('stops when the server repeats a page token', async () => {
    fixture.reply(ok(sample.page([sample.kase], 'same')), ok(sample.page([second], 'same')), ok(sample.page([third], 'same')));
    const seen: string[] = [];
    const error = await rejection(
      (async () => {
        for await (const item of tz.cases.list()) seen.push(item.id);
      })(),
    );
    expect(isReferralApiError(error)).toBe(true);
    expect(seen).toEqual([IDS.case, second.id]);
  });
});

describe('validation', () => {
  it('refuses invalid input before sending, naming the field', async () => {
    const error = await rejection(tz.reports.create({ ...sample.reportInput, categories: ['nope' as 'other'] }));
    expect(isReferralApiError(error, 'RequestValidationError')).toBe(true);
    if (!isReferralApiError(error, 'RequestValidationError')) return;
    expect(error.path).toBe('categories[0]');
    expect(error.message).toMatch(/^reports\.create: invalid body — categories\[0\]: .+Nothing was sent\.$/u);
    expect(fixture.requests).toHaveLength(0);
  });

  it('refuses an anonymous report that carries contact details', async () => {
    const input = { ...sample.reportInput, reporter: { mode: 'anonymous', contact: { phone: '+92 300 1234567' } } };
    const error = await rejection(tz.reports.create(input as unknown as typeof sample.reportInput));
    expect(isReferralApiError(error, 'RequestValidationError')).toBe(true);
    if (isReferralApiError(error, 'RequestValidationError')) expect(error.path).toMatch(/^reporter/u);
    // The phone number is personal data: it must not appear in the message.
    expect(String((error as Error).message)).not.toContain('1234567');
    expect(fixture.requests).toHaveLength(0);
  });

  it('refuses a path id that is not a UUID and a bad filter', async () => {
    const byId = await rejection(tz.cases.get('../keys'));
    if (!isReferralApiError(byId, 'RequestValidationError')) throw new Error('expected RequestValidationError');
    expect(byId.path).toBe('id');
    const byQuery = await rejection(tz.cases.list({ status: 'pending' as 'open' }));
    if (!isReferralApiError(byQuery, 'RequestValidationError')) throw new Error('expected RequestValidationError');
    expect(byQuery.path).toBe('query.status');
    expect(fixture.requests).toHaveLength(0);
  });

  it('refuses a response that breaks the contract, without retrying: the request succeeded', async () => {
    const { reference: _dropped, ...incomplete } = sample.receipt;
    fixture.reply({ status: 201, body: incomplete }, { status: 201, body: sample.receipt });
    const error = await rejection(tz.reports.create(reportWithId));
    expect(isReferralApiError(error, 'ResponseValidationError')).toBe(true);
    if (!isReferralApiError(error, 'ResponseValidationError')) return;
    expect(error.status).toBe(201);
    expect(error.issues.map((issue) => issue.path.join('.'))).toEqual(['reference']);
    expect(error.message).toContain('reference');
    expect(fixture.requests).toHaveLength(1);
  });
});

describe('keys and errors', () => {
  it('refuses a secret-only call with a publishable key before any request', async () => {
    const page = client({ apiKey: 'tz_pk_test_0123456789abcdef' });
    const error = await rejection(page.cases.list());
    expect(isReferralApiError(error, 'KeyScopeError')).toBe(true);
    expect((error as Error).message).toContain('cases.list needs a secret key');
    expect(fixture.requests).toHaveLength(0);

    fixture.reply(created(sample.receipt));
    await page.reports.create(sample.reportInput);
    expect(fixture.requests).toHaveLength(1);
  });

  it('maps statuses to the classes callers branch on', async () => {
    const cases: [number, string][] = [
      [400, 'ValidationError'],
      [401, 'AuthenticationError'],
      [403, 'PermissionError'],
      [404, 'NotFoundError'],
      [409, 'ConflictError'],
      [422, 'ValidationError'],
      [429, 'RateLimitError'],
      [500, 'ReferralApiError'],
    ];
    for (const [status, name] of cases) {
      fixture.reply(...Array.from({ length: 10 }, () => ({ status, body: problem('x', status), headers: { 'retry-after': '0' } })));
      const error = await rejection(client({ retry: false }).cases.get(IDS.case));
      expect(isReferralApiError(error)).toBe(true);
      expect((error as ReferralApiError).name).toBe(name);
      expect((error as ReferralApiError).status).toBe(status);
      fixture.reset();
    }
  });

  it('carries the consent-required code of a refused transition', async () => {
    fixture.reply({ status: 422, body: problem('consent-required', 422, { detail: 'No active consent covers this referral' }) });
    const error = await rejection(tz.referrals.transition(IDS.referral, { to: 'requested' }));
    expect(isReferralApiError(error, 'ValidationError')).toBe(true);
    expect((error as ReferralApiError).code).toBe('consent-required');
    expect((error as ReferralApiError).message).toContain('No active consent covers this referral');
  });

  it('recognises errors across realms and copies of the package', () => {
    const foreign: unknown = runInNewContext(
      "const e = new Error('x'); e.name = 'NotFoundError'; e[Symbol.for('@tahaffuz/referral-client/error')] = true; e",
    );
    expect(foreign instanceof ReferralApiError).toBe(false);
    expect(isReferralApiError(foreign)).toBe(true);
    expect(isReferralApiError(foreign, 'NotFoundError')).toBe(true);
    expect(isReferralApiError(foreign, 'RateLimitError')).toBe(false);
    expect(isReferralApiError(new Error('plain'))).toBe(false);
    expect(isReferralApiError(new NotFoundError('n'), 'NotFoundError')).toBe(true);
  });

  it('refuses bad options at creation', () => {
    expect(() => client({ baseUrl: 'ftp://example.org' })).toThrow(/baseUrl must be an http\(s\) URL/u);
    expect(() => client({ apiKey: '' })).toThrow(/apiKey is required/u);
    expect(() => client({ retry: { limit: -1 } })).toThrow(/retry.limit/u);
    expect(() => client({ timeout: 0 })).toThrow(/timeout.attempt/u);
  });
});
