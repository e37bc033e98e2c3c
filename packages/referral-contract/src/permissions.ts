import * as z from 'zod/mini';

/**
 * The role a secret key carries (one organisation, one role). `admin` manages its own organisation;
 * `operator` is the national platform desk (routing, organisations, every organisation's entries).
 */
export const ROLES = ['intake', 'caseworker', 'supervisor', 'provider', 'admin', 'operator'] as const;
/** A role. */
export const RoleSchema = /* @__PURE__ */ z.enum(ROLES);
/** A role. */
export type Role = z.infer<typeof RoleSchema>;

/** The kinds of API key: publishable (safe in a page, creates reports only) and secret. */
export const KEY_KINDS = ['publishable', 'secret'] as const;
/** A key kind. */
export const KeyKindSchema = /* @__PURE__ */ z.enum(KEY_KINDS);
/** A key kind. */
export type KeyKind = z.infer<typeof KeyKindSchema>;

/** Every action the API authorises. */
export const ACTIONS = [
  'reports:create',
  'reports:read',
  'cases:open',
  'cases:read',
  'cases:transition',
  'cases:close',
  'consents:create',
  'consents:read',
  'consents:withdraw',
  'consent:override',
  'referrals:create',
  'referrals:read',
  'referrals:request',
  'referrals:cancel',
  'referrals:respond',
  'directory:read',
  'directory:manage',
  'services:manage',
  'services:update_capacity',
  'events:read',
  'stats:read',
  'keys:manage',
  'keys:manage_any',
  'webhooks:manage',
  'routing:manage',
  'audit:read',
  'erasure',
] as const;
/** An action. */
export const ActionSchema = /* @__PURE__ */ z.enum(ACTIONS);
/** An action. */
export type Action = z.infer<typeof ActionSchema>;

/** What every secret key may do, whatever its role. */
const EVERY_ROLE = ['directory:read', 'events:read', 'stats:read'] as const satisfies readonly Action[];
const INTAKE = /* @__PURE__ */ (() =>
  [
    ...EVERY_ROLE,
    'reports:create',
    'reports:read',
    'cases:open',
    'cases:read',
    'consents:create',
    'consents:read',
    'consents:withdraw',
  ] as const satisfies readonly Action[])();
const CASEWORKER = /* @__PURE__ */ (() =>
  [
    ...INTAKE,
    'cases:transition',
    'referrals:create',
    'referrals:read',
    'referrals:request',
    'referrals:cancel',
  ] as const satisfies readonly Action[])();
const SUPERVISOR = /* @__PURE__ */ (() => [...CASEWORKER, 'consent:override', 'cases:close'] as const satisfies readonly Action[])();

/**
 * The role permission table of DESIGN.md. intake, caseworker and supervisor are cumulative
 * (each may do what the one before may, for its organisation); provider, admin and operator stand
 * apart. Reading an object is further limited to the caller's organisation (another's answers 404).
 *
 * `admin` acts for its own organisation only: its keys (`keys:manage`, never an operator key), its
 * webhooks, its services (`services:manage`) and their capacity, erasure of its data. `operator`
 * is the national platform desk: the routing table (`routing:manage`), organisations and every
 * organisation's directory entries (`directory:manage`), keys of any organisation
 * (`keys:manage_any`) and the audit of those changes (`audit:read`); it reads no report or case.
 */
export const PERMISSIONS = /* @__PURE__ */ (() =>
  ({
    intake: INTAKE,
    caseworker: CASEWORKER,
    supervisor: SUPERVISOR,
    provider: [...EVERY_ROLE, 'referrals:read', 'referrals:respond', 'services:update_capacity'],
    admin: [...EVERY_ROLE, 'keys:manage', 'webhooks:manage', 'services:manage', 'services:update_capacity', 'erasure'],
    operator: [
      ...EVERY_ROLE,
      'keys:manage',
      'keys:manage_any',
      'webhooks:manage',
      'services:manage',
      'services:update_capacity',
      'directory:manage',
      'routing:manage',
      'audit:read',
    ],
  }) as const satisfies Record<Role, readonly Action[]>)();

/** The one action a publishable key may perform. */
export const PUBLISHABLE_ACTIONS = ['reports:create'] as const satisfies readonly Action[];

/**
 * Whether a role may perform an action.
 *
 * @example
 * ```ts
 * can('supervisor', 'consent:override'); // true
 * can('provider', 'reports:read'); // false
 * ```
 */
export function can(role: Role, action: Action): boolean {
  const actions: readonly Action[] | undefined = PERMISSIONS[role];
  return actions?.includes(action);
}
