import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveIntakeOrganization, RoutingTableUpdateSchema } from './routing.js';

const DEFAULT = '00000000-0000-4000-8000-000000000000';

describe('resolveIntakeOrganization (property)', () => {
  it('picks the rule of the most precise enclosing area, else the national default', () => {
    const segment = fc.stringMatching(/^[A-Z]{2,3}$/);
    fc.assert(
      fc.property(
        fc.array(segment, { minLength: 1, maxLength: 3 }),
        fc.uuid({ version: 4 }),
        fc.uuid({ version: 4 }),
        (parts, provinceOrg, districtOrg) => {
          const code = ['PK', ...parts].join('-');
          const province = `PK-${parts[0]}`;
          const table = { default_organization_id: DEFAULT, rules: [{ admin_area: province, organization_id: provinceOrg }] };
          expect(resolveIntakeOrganization(table, code)).toBe(provinceOrg);
          expect(resolveIntakeOrganization(table, `${province}X`)).toBe(DEFAULT);
          expect(resolveIntakeOrganization(table, 'PK')).toBe(DEFAULT);
          const withDistrict = { ...table, rules: [...table.rules, { admin_area: code, organization_id: districtOrg }] };
          expect(resolveIntakeOrganization(withDistrict, code)).toBe(parts.length === 1 ? provinceOrg : districtOrg);
        },
      ),
    );
  });

  it('rejects a table that lists an area twice', () => {
    const rule = { admin_area: 'PK-PB', organization_id: DEFAULT };
    const result = RoutingTableUpdateSchema.safeParse({ default_organization_id: DEFAULT, rules: [rule, rule] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['rules', 1, 'admin_area']);
  });
});
