import { resolveIntakeOrganization } from '@tahaffuz/referral-contract';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type RoutingRow, routingChangedOrganizations } from './platform-changes.js';
import { NATIONAL_DEFAULT } from './routing.js';

const rows = (fallback: string, rules: Record<string, string>): RoutingRow[] => [
  { admin_area: NATIONAL_DEFAULT, organization_id: fallback },
  ...Object.entries(rules).map(([admin_area, organization_id]) => ({ admin_area, organization_id })),
];

describe('routingChangedOrganizations', () => {
  it('names the organisation a new, more precise rule displaces, and the one it favours', () => {
    const before = rows('national', { 'PK-PB': 'punjab', 'PK-SD': 'sindh' });
    const after = rows('national', { 'PK-PB': 'punjab', 'PK-SD': 'sindh', 'PK-SD-KHI': 'shelter' });
    expect(routingChangedOrganizations(before, after)).toEqual(['shelter', 'sindh']);
  });

  it('names the old and new national default, and nobody when nothing changes', () => {
    const before = rows('national', { 'PK-PB': 'punjab' });
    expect(routingChangedOrganizations(before, rows('shelter', { 'PK-PB': 'punjab' }))).toEqual(['national', 'shelter']);
    expect(routingChangedOrganizations(before, before)).toEqual([]);
    // A rule that names the organisation its area already went to changes nobody's reports.
    expect(routingChangedOrganizations(before, rows('national', { 'PK-PB': 'punjab', 'PK-PB-LHR': 'punjab' }))).toEqual([]);
  });

  it('names everyone in the first table (there was none before)', () => {
    expect(routingChangedOrganizations([], rows('national', { 'PK-SD': 'sindh' }))).toEqual(['national', 'sindh']);
  });

  it('names exactly the organisations that gain or lose some admin area (property)', () => {
    const areas = ['PK-PB', 'PK-PB-LHR', 'PK-PB-LHR-1', 'PK-SD', 'PK-SD-KHI', 'PK-KP'];
    const orgs = ['a', 'b', 'c'];
    const table = fc.record({
      fallback: fc.constantFrom(...orgs),
      rules: fc.dictionary(fc.constantFrom(...areas), fc.constantFrom(...orgs)),
    });
    fc.assert(
      fc.property(table, table, (x, y) => {
        const before = rows(x.fallback, x.rules);
        const after = rows(y.fallback, y.rules);
        const expected = new Set<string>();
        for (const area of [...areas, 'PK-IS', 'PK-SD-KHI-9']) {
          const was = resolveIntakeOrganization({ default_organization_id: x.fallback, rules: before.slice(1) }, area);
          const now = resolveIntakeOrganization({ default_organization_id: y.fallback, rules: after.slice(1) }, area);
          if (was !== now) expected.add(was).add(now);
        }
        expect(routingChangedOrganizations(before, after)).toEqual([...expected].sort());
      }),
    );
  });
});
