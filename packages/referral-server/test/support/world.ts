import { randomUUID } from 'node:crypto';
import { ROLES, type Role } from '@tahaffuz/referral-contract';
import { DEMO_ORGANIZATIONS, DEMO_SERVICES } from '../../src/demo/seed-demo.js';
import { createApiKey } from '../../src/keys/api-keys.js';
import type { ReferralServerOptions } from '../../src/start-server.js';
import type { TestBackend } from '@tahaffuz/test-kit';
import { call, sampleReport, startTestServer, type TestServer } from '../../src/test-support/test-server.js';

/*
 * A seeded server with two independent "sides" (two intake organisations, each with its own
 * provider), a secret key for every role on each side and in each mode, and builders that make
 * real objects over HTTP. Built on the server's own test-support (startTestServer, call,
 * sampleReport), not a copy of it.
 */

/** Which of the two organisations' worlds an object or key belongs to. */
export type Side = 'A' | 'B';
/** Live or test. */
export type Mode = 'test' | 'live';

/** The organisations of one side. */
export interface SideOrgs {
  /** Intake organisation: the intake, caseworker, supervisor and admin keys belong to it. */
  readonly intake: string;
  /** The provider organisation; the provider key belongs to it. */
  readonly provider: string;
  /** A service of the provider organisation. */
  readonly service: string;
  /** An admin area routed to the intake organisation. */
  readonly adminArea: string;
}

/** The organisations of both sides. */
export const SIDES: Readonly<Record<Side, SideOrgs>> = {
  A: {
    intake: DEMO_ORGANIZATIONS.punjabIntake,
    provider: DEMO_ORGANIZATIONS.lahoreShelter,
    service: DEMO_SERVICES.lahoreShelter,
    adminArea: 'PK-PB-LHR',
  },
  B: {
    intake: DEMO_ORGANIZATIONS.sindhIntake,
    provider: DEMO_ORGANIZATIONS.karachiLegalAid,
    service: DEMO_SERVICES.karachiLegalAid,
    adminArea: 'PK-SD',
  },
};

/** The other mode. */
export function otherMode(mode: Mode): Mode {
  return mode === 'test' ? 'live' : 'test';
}

/** Raw HTTP answer (from the server's own `call` helper). */
export type Answer = Awaited<ReturnType<typeof call>>;

/** A running world. */
export interface World {
  readonly t: TestServer;
  readonly url: string;
  /** Secret keys by mode, side and role. */
  readonly keys: Readonly<Record<Mode, Readonly<Record<Side, Readonly<Record<Role, string>>>>>>;
  /** Publishable keys by mode (allowed origin: TEST_ORIGIN). */
  readonly publishable: Readonly<Record<Mode, string>>;
  /** `call` against this server. */
  call(method: string, path: string, options?: Parameters<typeof call>[3]): Promise<Answer>;
  /** Every item of a list endpoint for a key as JSON text, following page tokens. */
  listItems(key: string, path: string, query?: string): Promise<string[]>;
  readonly make: Builders;
  stop(): Promise<void>;
}

/** Builders of real objects, made over HTTP with the side's own keys. Each returns fresh objects. */
export interface Builders {
  report(side: Side, mode: Mode, overrides?: Record<string, unknown>): Promise<string>;
  kase(side: Side, mode: Mode): Promise<{ caseId: string; reportId: string }>;
  consent(side: Side, mode: Mode, caseId?: string): Promise<{ consentId: string; caseId: string }>;
  /**
   * A referral from the side's intake organisation to the side's provider, in draft (with a
   * covering consent), requested, or completed (accepted, started and completed by the provider).
   */
  referral(side: Side, mode: Mode, status: 'draft' | 'requested' | 'completed'): Promise<{ referralId: string; caseId: string }>;
  webhook(side: Side, mode: Mode, url?: string): Promise<{ id: string; secret: string }>;
  apiKey(side: Side, mode: Mode): Promise<string>;
}

/** Throws with the answer's body unless the status is the one wanted (for fixtures, not for assertions under test). */
export function must(answer: Answer, status: number, what: string): any {
  if (answer.status !== status) throw new Error(`fixture ${what}: expected ${status}, got ${answer.status}: ${answer.text.slice(0, 500)}`);
  return answer.json;
}

/** Starts a seeded server on a fresh database of `backend`, with keys for both sides in both modes. */
export async function startWorld(backend: TestBackend, options: Partial<Omit<ReferralServerOptions, 'database'>> = {}): Promise<World> {
  const t = await startTestServer(backend, options);
  const db = t.server.database.db;
  const keys = { test: { A: {}, B: {} }, live: { A: {}, B: {} } } as Record<Mode, Record<Side, Record<Role, string>>>;
  for (const mode of ['test', 'live'] as const) {
    for (const side of ['A', 'B'] as const) {
      for (const role of ROLES) {
        const organizationId = role === 'provider' ? SIDES[side].provider : SIDES[side].intake;
        const created = await createApiKey(db, { kind: 'secret', mode, organizationId, role, name: `matrix ${side} ${role}` });
        keys[mode][side][role] = created.key;
      }
    }
  }
  const url = t.server.url;
  const world: World = {
    t,
    url,
    keys,
    publishable: { test: t.keys.publishableKey, live: t.liveKeys.publishableKey },
    call: (method, path, opts) => call(url, method, path, opts),
    async listItems(key, path, query = '') {
      const ids: string[] = [];
      let token: string | null = null;
      for (let page = 0; page < 1000; page += 1) {
        const qs = new URLSearchParams(query);
        qs.set('page_size', '100');
        if (token !== null) qs.set('page_token', token);
        const answer = await call(url, 'GET', `${path}?${qs.toString()}`, { key });
        const body = must(answer, 200, `list ${path}`) as { data: Array<Record<string, unknown>>; next_page_token: string | null };
        for (const item of body.data) ids.push(JSON.stringify(item));
        token = body.next_page_token;
        if (token === null) return ids;
      }
      throw new Error(`list ${path} did not end`);
    },
    make: undefined as unknown as Builders,
    async stop() {
      await t.stop();
    },
  };
  const k = (side: Side, mode: Mode, role: Role) => keys[mode][side][role];
  const make: Builders = {
    async report(side, mode, overrides = {}) {
      const body = sampleReport({ location: { admin_area: SIDES[side].adminArea, place_type: 'brick_kiln' }, ...overrides });
      must(await world.call('POST', '/v1/reports', { key: k(side, mode, 'intake'), body }), 201, 'report');
      return String(body['id']);
    },
    async kase(side, mode) {
      const reportId = await make.report(side, mode);
      const body = {
        report_ids: [reportId],
        screening_outcome: 'screened_in',
        screening_reason: 'Indicators of bonded labour.',
        protection_concerns: ['bonded_labour'],
      };
      const created = must(await world.call('POST', '/v1/cases', { key: k(side, mode, 'supervisor'), body }), 201, 'case');
      return { caseId: String(created.id), reportId };
    },
    async consent(side, mode, caseId) {
      const owner = caseId ?? (await make.kase(side, mode)).caseId;
      const body = {
        case_id: owner,
        grantor: 'guardian',
        basis: 'consent',
        scope: { service_types: ['shelter', 'legal_aid', 'psychosocial'], organization_ids: 'any' },
        obtained_at: new Date(Date.now() - 60_000).toISOString(),
      };
      const created = must(await world.call('POST', '/v1/consents', { key: k(side, mode, 'supervisor'), body }), 201, 'consent');
      return { consentId: String(created.id), caseId: owner };
    },
    async referral(side, mode, status) {
      const { caseId } = await make.consent(side, mode);
      const body = { case_id: caseId, service_id: SIDES[side].service, urgency: 'urgent' };
      const created = must(await world.call('POST', '/v1/referrals', { key: k(side, mode, 'supervisor'), body }), 201, 'referral');
      const referralId = String(created.id);
      if (status !== 'draft') {
        must(
          await world.call('POST', `/v1/referrals/${referralId}/transitions`, {
            key: k(side, mode, 'supervisor'),
            body: { to: 'requested' },
          }),
          200,
          'referral requested',
        );
      }
      if (status === 'completed') {
        for (const to of ['accepted', 'in_progress', 'completed']) {
          const moved = await world.call('POST', `/v1/referrals/${referralId}/transitions`, {
            key: k(side, mode, 'provider'),
            body: { to },
          });
          must(moved, 200, `referral ${to}`);
        }
      }
      return { referralId, caseId };
    },
    async webhook(side, mode, hookUrl = 'https://hooks.example.org/tahaffuz') {
      const body = { url: hookUrl, event_types: ['report.received', 'case.opened', 'referral.requested'] };
      const created = must(await world.call('POST', '/v1/webhooks', { key: k(side, mode, 'admin'), body }), 201, 'webhook');
      return { id: String(created.id), secret: String(created.secret) };
    },
    async apiKey(side, mode) {
      const body = {
        kind: 'secret',
        mode,
        organization_id: SIDES[side].intake,
        role: 'intake',
        name: `fixture ${randomUUID().slice(0, 8)}`,
      };
      const created = must(await world.call('POST', '/v1/keys', { key: k(side, mode, 'admin'), body }), 201, 'api key');
      return String(created.id);
    },
  };
  (world as { make: Builders }).make = make;
  return world;
}
