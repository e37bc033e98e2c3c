import { randomUUID } from 'node:crypto';
import {
  type Action,
  can,
  caseTransitionAction,
  type CaseTransitionTarget,
  type KeyKind,
  OPERATIONS,
  receiverSeesCaseSummary,
  referralTransitionAction,
  type ReferralStatus,
  type Role,
  ROLES,
} from '@tahaffuz/referral-contract';
import { changesSharedDirectory } from '../../src/directory/shared-directory.js';
import { sampleReport } from '../../src/test-support/test-server.js';
import { type Mode, otherMode, type Side, SIDES, type World } from './world.js';

/*
 * The authorisation matrix as data: every operation of the contract (transitions once per
 * representative target) x every caller (each role's secret key and a publishable key) x key mode x
 * whose object it is. The expected answer comes from the contract: `keys` of the operation,
 * `can(role, action)` (plus the target's action for transitions), and the object rule of DESIGN.md
 * (another organisation's object, or the other mode's, answers 404; lists never show them), and
 * the directory rule of docs/decisions/0007-directory-modes.md (the directory and routing table are
 * shared by both modes; only live keys change them, a test key gets 403), and the operator rule of
 * docs/decisions/0015-operator-role.md (an operation's `anyOrganizationAction` lets a role act on
 * other organisations' keys and entries, where an admin acts on its own only). Referrals are seen from
 * two sides: the referring organisation (side A's intake organisation: every role but provider)
 * and the one they are addressed to (side A's provider organisation), which sees a referral only
 * in some states — not in draft, and its case summary only while `receiverSeesCaseSummary`.
 */

/** How an operation relates to objects. */
export type Scope =
  /** No object involved (creates of independent things, stats, routing). */
  | 'none'
  /** The shared directory: every secret key may read every entry, in both modes (only live keys change it). */
  | 'shared'
  /** One object of an organisation and a mode, in the path or the body: others' answer 404. */
  | 'owned'
  /** An organisation's directory entry (shared by both modes): another organisation's answers 404. */
  | 'owned-unmoded'
  /** A list: 2xx, showing the caller's own object and never the others'. */
  | 'list'
  /** Acts for an organisation and mode named in the body: only the key's own; another is 403 (nothing to hide, the directory is public). */
  | 'self'
  /** Acts for an organisation named in the body, on the directory both modes share: only the key's own; another is 403. */
  | 'entry'
  /**
   * A referral of side A, seen by the referring organisation and (in some states only, see
   * `receiverSees`) by the provider organisation it is addressed to; others' answer 404.
   */
  | 'referral';

/** Whose object a cell uses, relative to a caller of side A. */
export type Scenario = 'own' | 'other-org' | 'other-mode';

/** The kinds of fixture object. */
export type FixtureKind =
  | 'report'
  | 'case'
  | 'consent'
  | 'referral-draft'
  | 'referral-requested'
  | 'referral-completed'
  | 'webhook'
  | 'apiKey'
  | 'service'
  | 'organization'
  | 'org-mode'
  | 'org-side';

/** A request to make. */
export interface PlannedRequest {
  readonly path: string;
  readonly body?: unknown;
}

/** One row of the matrix before callers and scenarios multiply it. */
export interface OperationPlan {
  readonly operationId: string;
  /** The operation id plus the variant (a transition's target). */
  readonly label: string;
  readonly method: string;
  readonly status: number;
  readonly action: Action;
  readonly keys: readonly KeyKind[];
  readonly scope: Scope;
  /** Whether the operation changes the directory or routing table both modes share (live keys only). */
  readonly liveOnly: boolean;
  /** The action a transition's target needs on top of the operation's. */
  readonly extraAction?: Action;
  /** The action that lets a caller reach other organisations' objects too (the operator's); without it, its own only. */
  readonly anyOrganizationAction?: Action;
  /** The object the request names, if any. */
  readonly fixture?: FixtureKind;
  /** Whether a successful call uses the object up (then each 2xx cell gets a fresh one). */
  readonly consumes?: boolean;
  /** For scope `referral`: whether the organisation the referral is addressed to sees it in the fixture's state. */
  readonly receiverSees?: boolean;
  /** For scope `referral`: the action the referring side needs on top of the operation's (reading case data). */
  readonly referrerAction?: Action;
  request(world: World, objectId: string | undefined, keyMode: Mode, caller: Caller): Promise<PlannedRequest> | PlannedRequest;
}

const operation = (id: string) => {
  const op = OPERATIONS.find((o) => o.id === id);
  if (op === undefined) throw new Error(`no operation ${id}`);
  return op;
};

const reason = 'Recorded by the authorisation matrix test.';

function plan(
  id: string,
  scope: Scope,
  request: OperationPlan['request'],
  extra: {
    fixture?: FixtureKind;
    consumes?: boolean;
    variant?: string;
    extraAction?: Action;
    anyOrganizationAction?: Action;
    state?: ReferralStatus;
    receiverSees?: boolean;
    referrerAction?: Action;
  } = {},
): OperationPlan {
  const op = operation(id);
  const label = extra.variant === undefined ? id : `${id}→${extra.variant}`;
  return {
    operationId: id,
    label: extra.state === undefined ? label : `${label} (${extra.state} referral)`,
    method: op.method,
    status: op.status,
    action: op.action,
    keys: op.keys,
    scope,
    liveOnly: changesSharedDirectory(id),
    request,
    ...(extra.fixture === undefined ? {} : { fixture: extra.fixture }),
    ...(extra.consumes === undefined ? {} : { consumes: extra.consumes }),
    ...(extra.extraAction === undefined ? {} : { extraAction: extra.extraAction }),
    ...(extra.anyOrganizationAction === undefined ? {} : { anyOrganizationAction: extra.anyOrganizationAction }),
    ...(extra.receiverSees === undefined ? {} : { receiverSees: extra.receiverSees }),
    ...(extra.referrerAction === undefined ? {} : { referrerAction: extra.referrerAction }),
  };
}

const REFERRAL_FIXTURES = { draft: 'referral-draft', requested: 'referral-requested', completed: 'referral-completed' } as const;

/** The case summary of a referral in `state`, as the contract says who reads it. */
const referralCase = (state: keyof typeof REFERRAL_FIXTURES) =>
  plan('referrals.case', 'referral', (_w, id) => ({ path: `/v1/referrals/${id}/case` }), {
    fixture: REFERRAL_FIXTURES[state],
    state,
    receiverSees: receiverSeesCaseSummary(state),
    referrerAction: 'cases:read',
  });

const caseTransition = (to: CaseTransitionTarget) =>
  plan('cases.transition', 'owned', (_w, id) => ({ path: `/v1/cases/${id}/transitions`, body: { to, reason } }), {
    fixture: 'case',
    consumes: true,
    variant: to,
    extraAction: caseTransitionAction(to),
  });

const referralTransition = (to: ReferralStatus, from: 'referral-draft' | 'referral-requested') => {
  const extraAction = referralTransitionAction(to);
  if (extraAction === null) throw new Error(`no action for ${to}`);
  return plan('referrals.transition', 'owned', (_w, id) => ({ path: `/v1/referrals/${id}/transitions`, body: { to, reason } }), {
    fixture: from,
    consumes: true,
    variant: to,
    extraAction,
  });
};

/** Last month (UTC): hotspot counts are published for closed periods only. */
function lastMonth(): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
}

/** Every operation of the contract, with how to call it. */
export const OPERATION_PLANS: readonly OperationPlan[] = [
  plan('reports.create', 'none', () => ({
    path: '/v1/reports',
    body: sampleReport({ location: { admin_area: SIDES.A.adminArea, place_type: 'farm' } }),
  })),
  plan('reports.list', 'list', () => ({ path: '/v1/reports' }), { fixture: 'report' }),
  plan('reports.get', 'owned', (_w, id) => ({ path: `/v1/reports/${id}` }), { fixture: 'report' }),
  plan('reports.history', 'owned', (_w, id) => ({ path: `/v1/reports/${id}/history` }), { fixture: 'report' }),
  plan(
    'cases.open',
    'owned',
    (_w, id) => ({
      path: '/v1/cases',
      body: { report_ids: [id], screening_outcome: 'screened_in', screening_reason: reason, protection_concerns: ['child_labour'] },
    }),
    { fixture: 'report', consumes: true },
  ),
  plan('cases.list', 'list', () => ({ path: '/v1/cases' }), { fixture: 'case' }),
  plan('cases.get', 'owned', (_w, id) => ({ path: `/v1/cases/${id}` }), { fixture: 'case' }),
  caseTransition('assessment'),
  caseTransition('closed'),
  plan('cases.history', 'owned', (_w, id) => ({ path: `/v1/cases/${id}/history` }), { fixture: 'case' }),
  plan(
    'consents.create',
    'owned',
    (_w, id) => ({
      path: '/v1/consents',
      body: {
        case_id: id,
        grantor: 'child',
        basis: 'consent',
        scope: { service_types: ['medical'], organization_ids: 'any' },
        obtained_at: new Date(Date.now() - 60_000).toISOString(),
      },
    }),
    { fixture: 'case' },
  ),
  plan('consents.withdraw', 'owned', (_w, id) => ({ path: `/v1/consents/${id}/withdraw`, body: { reason } }), {
    fixture: 'consent',
    consumes: true,
  }),
  plan('consents.list', 'list', () => ({ path: '/v1/consents' }), { fixture: 'consent' }),
  plan('organizations.list', 'shared', () => ({ path: '/v1/organizations' })),
  plan('organizations.get', 'shared', (_w, id) => ({ path: `/v1/organizations/${id}` }), { fixture: 'organization' }),
  plan('organizations.create', 'none', () => ({
    path: '/v1/organizations',
    body: { name: `Matrix organisation ${randomUUID().slice(0, 8)}`, kind: 'ngo', admin_areas: ['PK-PB'] },
  })),
  plan('services.list', 'shared', () => ({ path: '/v1/services' })),
  plan('services.get', 'shared', (_w, id) => ({ path: `/v1/services/${id}` }), { fixture: 'service' }),
  plan(
    'services.create',
    'entry',
    (_w, id, _mode, caller) => ({
      path: '/v1/services',
      body: {
        organization_id: organizationOf(id as Side, caller),
        name: `Matrix service ${randomUUID().slice(0, 8)}`,
        service_type: 'medical',
        coverage: ['PK-PB'],
        languages: ['ur'],
        capacity: 'available',
        confidential_address: false,
      },
    }),
    { fixture: 'org-side', anyOrganizationAction: 'directory:manage' },
  ),
  plan('services.updateCapacity', 'owned-unmoded', (_w, id) => ({ path: `/v1/services/${id}/capacity`, body: { capacity: 'available' } }), {
    fixture: 'service',
    anyOrganizationAction: 'directory:manage',
  }),
  plan('referrals.create', 'owned', (_w, id) => ({ path: '/v1/referrals', body: { case_id: id, service_id: SIDES.A.service } }), {
    fixture: 'case',
  }),
  plan('referrals.list', 'list', () => ({ path: '/v1/referrals' }), { fixture: 'referral-requested' }),
  plan('referrals.get', 'owned', (_w, id) => ({ path: `/v1/referrals/${id}` }), { fixture: 'referral-requested' }),
  // A draft is addressed to no one yet: the provider does not see it.
  plan('referrals.get', 'referral', (_w, id) => ({ path: `/v1/referrals/${id}` }), {
    fixture: 'referral-draft',
    state: 'draft',
    receiverSees: false,
  }),
  referralCase('draft'),
  referralCase('requested'),
  referralCase('completed'),
  referralTransition('requested', 'referral-draft'),
  referralTransition('accepted', 'referral-requested'),
  referralTransition('cancelled', 'referral-requested'),
  plan('referrals.history', 'owned', (_w, id) => ({ path: `/v1/referrals/${id}/history` }), { fixture: 'referral-requested' }),
  plan('events.list', 'list', () => ({ path: '/v1/events' }), { fixture: 'referral-requested' }),
  plan('webhooks.create', 'none', () => ({
    path: '/v1/webhooks',
    body: { url: 'https://hooks.example.org/matrix', event_types: ['case.closed'] },
  })),
  plan('webhooks.list', 'list', () => ({ path: '/v1/webhooks' }), { fixture: 'webhook' }),
  plan('webhooks.delete', 'owned', (_w, id) => ({ path: `/v1/webhooks/${id}` }), { fixture: 'webhook', consumes: true }),
  plan('webhooks.rotateSecret', 'owned', (_w, id) => ({ path: `/v1/webhooks/${id}/rotate-secret` }), {
    fixture: 'webhook',
    consumes: true,
  }),
  plan('webhooks.deliveries', 'owned', (_w, id) => ({ path: `/v1/webhooks/${id}/deliveries` }), { fixture: 'webhook' }),
  plan('stats.hotspots', 'none', () => ({ path: `/v1/stats/hotspots?bucket=month&period=${lastMonth()}` })),
  plan('routing.get', 'none', () => ({ path: '/v1/routing' })),
  plan('routing.update', 'none', async (w) => {
    // Routing is one table: PUT back exactly the table in force, so other cells are unaffected.
    const current = await w.call('GET', '/v1/routing', { key: w.keys.test.A.operator });
    const { default_organization_id, rules } = current.json as { default_organization_id: string; rules: unknown[] };
    return { path: '/v1/routing', body: { default_organization_id, rules } };
  }),
  plan(
    'keys.create',
    'self',
    (_w, id) => {
      const [side, mode] = (id ?? '').split(':') as [Side, Mode];
      return {
        path: '/v1/keys',
        body: { kind: 'secret', mode, organization_id: SIDES[side].intake, role: 'caseworker', name: 'matrix key' },
      };
    },
    { fixture: 'org-mode', anyOrganizationAction: 'keys:manage_any' },
  ),
  plan('keys.list', 'list', () => ({ path: '/v1/keys' }), { fixture: 'apiKey' }),
  plan('keys.revoke', 'owned', (_w, id) => ({ path: `/v1/keys/${id}/revoke` }), {
    fixture: 'apiKey',
    consumes: true,
    anyOrganizationAction: 'keys:manage_any',
  }),
  plan('audit.list', 'none', () => ({ path: '/v1/audit' })),
  plan('erasures.create', 'owned', (_w, id) => ({ path: '/v1/erasures', body: { target_type: 'report', target_id: id, reason } }), {
    fixture: 'report',
    consumes: true,
  }),
];

/** A caller: a role's secret key of side A, or the publishable key. */
export type Caller = Role | 'publishable';

/** The organisation of a side a caller's key belongs to: the provider key the provider's, every other key the intake one's. */
export function organizationOf(side: Side, caller: Caller): string {
  return caller === 'provider' ? SIDES[side].provider : SIDES[side].intake;
}
/** Every caller. */
export const CALLERS: readonly Caller[] = [...ROLES, 'publishable'];

/** One cell of the matrix. */
export interface Cell {
  readonly name: string;
  readonly plan: OperationPlan;
  readonly caller: Caller;
  readonly keyMode: Mode;
  readonly scenario: Scenario;
  /** The status the contract predicts. */
  readonly expected: number;
  /** For lists answering 2xx: whether the scenario's object must be listed. */
  readonly listed?: boolean;
}

/** Where a scenario's object lives, for a caller of side A. */
export function targetOf(scenario: Scenario, keyMode: Mode): { side: Side; mode: Mode } {
  if (scenario === 'other-org') return { side: 'B', mode: keyMode };
  if (scenario === 'other-mode') return { side: 'A', mode: otherMode(keyMode) };
  return { side: 'A', mode: keyMode };
}

/** The answer the contract predicts. */
export function expectedStatus(p: OperationPlan, caller: Caller, scenario: Scenario, keyMode: Mode): number {
  if (caller === 'publishable') return p.keys.includes('publishable') ? p.status : 403;
  if (!p.keys.includes('secret')) return 403;
  if (!can(caller, p.action)) return 403;
  if (p.extraAction !== undefined && !can(caller, p.extraAction)) return 403;
  // The shared directory: a test key reads it but never changes what live keys see.
  if (p.liveOnly && keyMode === 'test') return 403;
  // The operator reaches other organisations' keys and entries; in the same mode only.
  const reachesOthers = p.anyOrganizationAction !== undefined && can(caller, p.anyOrganizationAction);
  switch (p.scope) {
    case 'owned':
      return scenario === 'own' || (scenario === 'other-org' && reachesOthers) ? p.status : 404;
    case 'owned-unmoded':
      // The entry is side A's provider organisation's: only its own (provider) key, or the operator, changes it.
      if (reachesOthers) return p.status;
      return scenario !== 'other-org' && organizationOf('A', caller) === SIDES.A.provider ? p.status : 404;
    case 'self':
    case 'entry':
      return scenario === 'own' || (scenario === 'other-org' && reachesOthers) ? p.status : 403;
    case 'referral':
      if (scenario !== 'own') return 404;
      // Side A's provider key belongs to the organisation the referral is addressed to; the other roles' keys to the referring one.
      if (caller === 'provider') return p.receiverSees === true ? p.status : 404;
      return p.referrerAction === undefined || can(caller, p.referrerAction) ? p.status : 404;
    default:
      return p.status;
  }
}

function scenariosOf(p: OperationPlan): readonly Scenario[] {
  switch (p.scope) {
    case 'none':
      return ['own'];
    case 'shared':
      return p.fixture === undefined ? ['own'] : ['own', 'other-org'];
    case 'entry':
      return ['own', 'other-org'];
    default:
      return ['own', 'other-org', 'other-mode'];
  }
}

/** Every cell, named so that a failure says which. */
export function matrixCells(): Cell[] {
  const cells: Cell[] = [];
  for (const p of OPERATION_PLANS) {
    for (const caller of CALLERS) {
      for (const keyMode of ['test', 'live'] as const) {
        for (const scenario of scenariosOf(p)) {
          const expected = expectedStatus(p, caller, scenario, keyMode);
          const object = p.scope === 'none' ? 'no object' : `${scenario} object`;
          cells.push({
            name: `${p.label} | ${caller} ${keyMode} key | ${object} → ${expected}`,
            plan: p,
            caller,
            keyMode,
            scenario,
            expected,
            ...(p.scope === 'list' && expected < 300 ? { listed: scenario === 'own' } : {}),
          });
        }
      }
    }
  }
  return cells;
}
