import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACTIONS, can, PERMISSIONS, ROLES, type Action, type Role } from './permissions.js';

const role = fc.constantFrom(...ROLES);
const action = fc.constantFrom(...ACTIONS);
const granted = (r: Role) => new Set<Action>(PERMISSIONS[r]);

describe('role permissions (property)', () => {
  it('can() agrees with the table', () => {
    fc.assert(
      fc.property(role, action, (r, a) => {
        expect(can(r, a)).toBe((PERMISSIONS[r] as readonly Action[]).includes(a));
      }),
      { numRuns: 300 },
    );
  });

  it('intake, caseworker and supervisor are cumulative', () => {
    fc.assert(
      fc.property(action, (a) => {
        if (can('intake', a)) expect(can('caseworker', a)).toBe(true);
        if (can('caseworker', a)) expect(can('supervisor', a)).toBe(true);
      }),
    );
  });

  it('follows the table of DESIGN.md', () => {
    expect(can('intake', 'reports:read') && can('intake', 'cases:open') && can('intake', 'consents:create')).toBe(true);
    expect(can('intake', 'referrals:create')).toBe(false);
    for (const a of ['referrals:create', 'referrals:request', 'referrals:cancel'] as const) {
      expect(can('caseworker', a)).toBe(true);
      expect(can('intake', a)).toBe(false);
    }
    expect(can('caseworker', 'consent:override') || can('caseworker', 'cases:close')).toBe(false);
    expect(can('supervisor', 'consent:override') && can('supervisor', 'cases:close')).toBe(true);
    expect([...granted('provider')].filter((a) => !['directory:read', 'events:read', 'stats:read'].includes(a)).sort()).toEqual([
      'referrals:read',
      'referrals:respond',
      'services:update_capacity',
    ]);
    for (const a of ['reports:read', 'cases:read', 'consents:read', 'referrals:request'] as const) {
      expect(can('provider', a)).toBe(false);
      expect(can('admin', a)).toBe(false);
      expect(can('operator', a)).toBe(false);
    }
    // An organisation's admin: its own keys, webhooks, services and capacity, erasure of its data.
    for (const a of ['keys:manage', 'webhooks:manage', 'services:manage']) {
      expect(ROLES.filter((r) => can(r, a as Action))).toEqual(['admin', 'operator']);
    }
    expect(ROLES.filter((r) => can(r, 'erasure'))).toEqual(['admin']);
    expect(ROLES.filter((r) => can(r, 'services:update_capacity'))).toEqual(['provider', 'admin', 'operator']);
  });

  it("gives routing, organisations, other organisations' entries and keys, and the audit to the operator alone", () => {
    for (const a of ['routing:manage', 'directory:manage', 'keys:manage_any', 'audit:read'] as const) {
      expect(ROLES.filter((r) => can(r, a))).toEqual(['operator']);
    }
    expect(can('admin', 'routing:manage')).toBe(false);
  });

  it('grants every action to some role, and no role an unknown action', () => {
    for (const a of ACTIONS) expect(ROLES.some((r) => can(r, a))).toBe(true);
    for (const r of ROLES) for (const a of granted(r)) expect(ACTIONS).toContain(a);
    expect(can('intake', 'nonsense' as Action)).toBe(false);
  });
});
