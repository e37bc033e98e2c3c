import { describe, expect, it } from 'vitest';
import {
  PAKISTAN_DISTRICT_COUNTS,
  adminAreaName,
  defineAdminAreas,
  districtsOf,
  isAdminAreaError,
  pakistanAdminAreas,
  provincesOf,
} from '@tahaffuz/referral-contract';

describe('admin areas through the public package name', () => {
  it('builds the report form’s province -> district selects in Urdu', () => {
    const options = provincesOf(pakistanAdminAreas).map((province) => ({
      value: province.code,
      label: adminAreaName(province, 'ur'),
      districts: districtsOf(pakistanAdminAreas, province.code).map((d) => ({ value: d.code, label: adminAreaName(d, 'ur') })),
    }));
    expect(options).toHaveLength(7);
    expect(options.find((o) => o.value === 'PK-JK')?.districts).toHaveLength(PAKISTAN_DISTRICT_COUNTS['PK-JK']);
  });

  it('rejects a deployment list with an orphan district', () => {
    let error: unknown;
    try {
      defineAdminAreas({
        country: 'PK',
        source: 'test',
        as_of: '2024-01-31',
        areas: [{ code: 'PK-XX-ABC', level: 'district', parent: 'PK-XX', name: { en: 'A', ur: 'ا' } }],
      });
    } catch (caught) {
      error = caught;
    }
    expect(isAdminAreaError(error)).toBe(true);
    expect(String(error)).toContain('areas[0] ("PK-XX-ABC"): parent "PK-XX" is not in the list');
  });
});
