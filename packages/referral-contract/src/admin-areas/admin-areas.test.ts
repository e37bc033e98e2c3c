import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AdminAreaError,
  adminAreaName,
  defineAdminAreas,
  districtsOf,
  findAdminArea,
  isAdminAreaError,
  isWithin,
  provincesOf,
  type AdminArea,
  type AdminAreaSet,
} from './index.js';

function failureOf(input: unknown): AdminAreaError {
  try {
    defineAdminAreas(input);
  } catch (error) {
    if (isAdminAreaError(error)) return error;
    throw error;
  }
  throw new Error('defineAdminAreas accepted an invalid list');
}

const segment = fc.stringMatching(/^[A-Z0-9]{1,8}$/);
const label = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim() !== '');

/** A valid list: 1-5 provinces, each with 0-4 districts, entries in any order. */
const validSet: fc.Arbitrary<AdminAreaSet> = fc
  .record({
    country: fc.stringMatching(/^[A-Z]{2}$/),
    provinces: fc.uniqueArray(
      fc.record({
        suffix: segment,
        en: label,
        ur: label,
        districts: fc.uniqueArray(fc.record({ suffix: segment, en: label, ur: label }), { maxLength: 4, selector: (d) => d.suffix }),
      }),
      { minLength: 1, maxLength: 5, selector: (p) => p.suffix },
    ),
  })
  .chain(({ country, provinces }) => {
    const areas: AdminArea[] = [];
    for (const p of provinces) {
      const code = `${country}-${p.suffix}`;
      areas.push({ code, level: 'province', name: { en: p.en, ur: p.ur } });
      for (const d of p.districts) {
        areas.push({ code: `${code}-${d.suffix}`, level: 'district', parent: code, name: { en: d.en, ur: d.ur } });
      }
    }
    return fc
      .shuffledSubarray(areas, { minLength: areas.length, maxLength: areas.length })
      .map((shuffled): AdminAreaSet => ({ country, source: 'generated', as_of: '2024-01-31', areas: shuffled }));
  });

type Mutation = 'bad-code' | 'duplicate' | 'orphan' | 'parent-is-district' | 'blank-name' | 'wrong-country' | 'province-parent';

/** Breaks entry `index` of `set` in one way; returns undefined when that way does not apply. */
function mutate(set: AdminAreaSet, index: number, how: Mutation): AdminAreaSet | undefined {
  const area = set.areas[index];
  if (area === undefined) return undefined;
  let broken: Record<string, unknown>;
  switch (how) {
    case 'bad-code':
      broken = { ...area, code: `${area.code.toLowerCase()}-` };
      break;
    case 'duplicate': {
      const other = set.areas.find((_, i) => i !== index);
      if (other === undefined) return undefined;
      broken = { ...area, code: other.code };
      break;
    }
    case 'orphan':
      if (area.level !== 'district') return undefined;
      // Generated codes have at most two segments after the country, so this one is in no list.
      broken = { ...area, parent: `${set.country}-NO-SUCH-AREA` };
      break;
    case 'parent-is-district': {
      const district = set.areas.find((a, i) => i !== index && a.level === 'district');
      if (area.level !== 'district' || district === undefined) return undefined;
      broken = { ...area, parent: district.code };
      break;
    }
    case 'blank-name':
      broken = { ...area, name: { ...area.name, ur: '  ' } };
      break;
    case 'wrong-country':
      broken = { ...area, code: `${set.country === 'ZZ' ? 'YY' : 'ZZ'}${area.code.slice(2)}` };
      break;
    case 'province-parent':
      if (area.level !== 'province') return undefined;
      broken = { ...area, parent: `${set.country}-X` };
      break;
  }
  const areas: unknown[] = [...set.areas];
  areas[index] = broken;
  return { ...set, areas } as AdminAreaSet;
}

describe('defineAdminAreas', () => {
  it('returns any valid list unchanged (property)', () => {
    fc.assert(
      fc.property(validSet, (set) => {
        expect(defineAdminAreas(structuredClone(set))).toEqual(set);
      }),
    );
  });

  it('rejects a list with one broken entry, naming that entry (property)', () => {
    const mutations: Mutation[] = [
      'bad-code',
      'duplicate',
      'orphan',
      'parent-is-district',
      'blank-name',
      'wrong-country',
      'province-parent',
    ];
    fc.assert(
      fc.property(validSet, fc.nat(), fc.constantFrom(...mutations), (set, n, how) => {
        const index = n % set.areas.length;
        const broken = mutate(set, index, how);
        fc.pre(broken !== undefined);
        const error = failureOf(broken);
        expect(error).toBeInstanceOf(AdminAreaError);
        expect(error.message).toContain(`areas[${index}]`);
        // A duplicate is reported on the later of the two entries, naming the earlier one.
        expect(error.issues.some((issue) => issue.message.includes(`areas[${index}]`))).toBe(true);
      }),
    );
  });

  const province = { code: 'PK-PB', level: 'province', name: { en: 'Punjab', ur: 'پنجاب' } } as const;
  const lahore = { code: 'PK-PB-LHR', level: 'district', parent: 'PK-PB', name: { en: 'Lahore', ur: 'لاہور' } } as const;
  const list = (areas: unknown[]) => ({ country: 'PK', source: 'test', as_of: '2024-01-31', areas });

  it('names the duplicate entry, its code and the entry it repeats', () => {
    const error = failureOf(list([province, lahore, { ...lahore, name: { en: 'Lahore 2', ur: 'لاہور' } }]));
    expect(error.message).toContain('areas[2] ("PK-PB-LHR"): duplicate code, already used by areas[1]');
    expect(error.issues).toHaveLength(1);
  });

  it('names an orphan district and the missing parent', () => {
    const error = failureOf(list([province, { ...lahore, code: 'PK-SD-KHI', parent: 'PK-SD' }]));
    expect(error.message).toContain('areas[1] ("PK-SD-KHI"): parent "PK-SD" is not in the list');
  });

  it('rejects a district whose parent is a district', () => {
    const error = failureOf(list([province, lahore, { ...lahore, code: 'PK-PB-X', parent: 'PK-PB-LHR' }]));
    expect(error.message).toContain('areas[2] ("PK-PB-X"): parent "PK-PB-LHR" is a district, not a province');
  });

  it('rejects malformed codes, naming the entry and the field', () => {
    for (const code of ['pk-pb', 'PK_PB', 'PK-', 'PAK-PB', 'PK-PB-LAHORECITY', 'PK-A-B-C-D']) {
      const error = failureOf(list([province, { ...lahore, code }]));
      expect(error.message, code).toContain(`areas[1] (${JSON.stringify(code)}).code: must look like`);
      expect(error.issues[0]?.path, code).toEqual(['areas', 1, 'code']);
    }
  });

  it('rejects a district without a parent and a province with one', () => {
    const { parent: _parent, ...noParent } = lahore;
    expect(failureOf(list([province, noParent])).message).toContain('areas[1] ("PK-PB-LHR").parent: a district needs a parent');
    expect(failureOf(list([{ ...province, parent: 'PK-SD' }])).message).toContain('areas[0] ("PK-PB").parent: a province has no parent');
  });

  it('rejects codes of another country, blank names and a bad header', () => {
    expect(failureOf(list([province, { ...lahore, code: 'IN-PB-LHR' }])).message).toContain(
      'areas[1] ("IN-PB-LHR"): code must start with the country code "PK-"',
    );
    expect(failureOf(list([{ ...province, name: { en: ' ', ur: 'پنجاب' } }])).message).toContain(
      'areas[0] ("PK-PB").name.en: must not be empty',
    );
    const error = failureOf({ country: 'Pakistan', source: '', as_of: '7 Aug 2023', areas: [] });
    expect(error.issues.map((i) => i.path[0])).toEqual(['country', 'source', 'as_of']);
    expect(failureOf(null).issues).toHaveLength(1);
  });

  it('reports every problem at once', () => {
    const error = failureOf(list([province, lahore, lahore, { ...lahore, code: 'PK-SD-KHI', parent: 'PK-SD' }]));
    expect(error.issues.map((i) => i.path)).toEqual([
      ['areas', 2, 'code'],
      ['areas', 3, 'parent'],
    ]);
    expect(error.message).toMatch(/^Invalid admin-area list \(2 problems\):\n- areas\[2\]/);
  });
});

describe('isAdminAreaError', () => {
  it('recognises the error by its brand, not by instanceof, and nothing else', () => {
    const error = failureOf(list());
    expect(isAdminAreaError(error)).toBe(true);
    expect(error.name).toBe('AdminAreaError');
    const foreign = Object.assign(new Error('from another realm'), {
      [Symbol.for('tahaffuz.referral-contract.AdminAreaError')]: true,
    });
    expect(isAdminAreaError(foreign)).toBe(true);
    for (const other of [new Error('x'), null, undefined, 'AdminAreaError', { name: 'AdminAreaError' }]) {
      expect(isAdminAreaError(other)).toBe(false);
    }
  });

  function list() {
    return { country: 'PK', source: 'test', as_of: 'not a date', areas: [] };
  }
});

describe('lookups on a deployment’s own list', () => {
  // A deployment covering part of Nepal, with its own codes: nothing in the lookups is Pakistan-only.
  const nepal = defineAdminAreas({
    country: 'NP',
    source: 'Example deployment list',
    as_of: '2025-03-01',
    areas: [
      { code: 'NP-P3', level: 'province', name: { en: 'Bagmati', ur: 'باگمتی' } },
      { code: 'NP-P3-KTM', level: 'district', parent: 'NP-P3', name: { en: 'Kathmandu', ur: 'کٹھمنڈو' } },
      { code: 'NP-P3-LTP', level: 'district', parent: 'NP-P3', name: { en: 'Lalitpur', ur: 'للت پور' } },
      { code: 'NP-P2', level: 'province', name: { en: 'Madhesh', ur: 'مدھیش' } },
      { code: 'NP-P2-JNK', level: 'district', parent: 'NP-P2', name: { en: 'Dhanusha', ur: 'دھنوشا' } },
    ],
  });

  it('finds areas by code', () => {
    expect(findAdminArea(nepal, 'NP-P3-LTP')?.name.en).toBe('Lalitpur');
    expect(findAdminArea(nepal, 'NP-P9')).toBeUndefined();
  });

  it('lists provinces and a province’s districts in list order', () => {
    expect(provincesOf(nepal).map((p) => p.code)).toEqual(['NP-P3', 'NP-P2']);
    expect(districtsOf(nepal, 'NP-P3').map((d) => d.code)).toEqual(['NP-P3-KTM', 'NP-P3-LTP']);
    expect(districtsOf(nepal, 'NP-P3-KTM')).toEqual([]);
    expect(districtsOf(nepal, 'NP-P9')).toEqual([]);
  });

  it('knows what lies within what', () => {
    expect(isWithin(nepal, 'NP-P3-KTM', 'NP-P3')).toBe(true);
    expect(isWithin(nepal, 'NP-P3', 'NP-P3')).toBe(true);
    expect(isWithin(nepal, 'NP-P3-KTM', 'NP-P3-KTM')).toBe(true);
    expect(isWithin(nepal, 'NP-P3-KTM', 'NP')).toBe(true);
    expect(isWithin(nepal, 'NP-P3-KTM', 'NP-P2')).toBe(false);
    expect(isWithin(nepal, 'NP-P3', 'NP-P3-KTM')).toBe(false);
    expect(isWithin(nepal, 'NP', 'NP')).toBe(true);
    expect(isWithin(nepal, 'NP', 'NP-P3')).toBe(false);
    expect(isWithin(nepal, 'NP-P9-XXX', 'NP')).toBe(false);
    expect(isWithin(nepal, 'NP-P9-XXX', 'NP-P9-XXX')).toBe(false);
  });

  it('gives names by language', () => {
    const ktm = findAdminArea(nepal, 'NP-P3-KTM');
    expect(ktm && adminAreaName(ktm, 'en')).toBe('Kathmandu');
    expect(ktm && adminAreaName(ktm, 'ur')).toBe('کٹھمنڈو');
  });

  it('agrees with the list for every generated set (property)', () => {
    fc.assert(
      fc.property(validSet, (set) => {
        const defined = defineAdminAreas(set);
        for (const area of defined.areas) {
          expect(findAdminArea(defined, area.code)).toEqual(area);
          expect(isWithin(defined, area.code, defined.country)).toBe(true);
          if (area.parent !== undefined) {
            expect(isWithin(defined, area.code, area.parent)).toBe(true);
            expect(districtsOf(defined, area.parent)).toContainEqual(area);
          }
        }
        const districtCount = provincesOf(defined).reduce((n, p) => n + districtsOf(defined, p.code).length, 0);
        expect(districtCount + provincesOf(defined).length).toBe(defined.areas.length);
      }),
    );
  });
});
