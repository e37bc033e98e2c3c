import { describe, expect, it } from 'vitest';
import {
  ADMIN_AREA_CODE_PATTERN,
  PAKISTAN_DISTRICT_COUNTS,
  adminAreaName,
  defineAdminAreas,
  districtsOf,
  findAdminArea,
  isWithin,
  pakistanAdminAreas,
  provincesOf,
} from './index.js';

const ARABIC_SCRIPT = /[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]/;
const LATIN = /[A-Za-z]/;

describe('pakistanAdminAreas', () => {
  it('has the 7 ISO 3166-2:PK first-level units with their English names', () => {
    expect(provincesOf(pakistanAdminAreas).map((p) => [p.code, p.name.en])).toEqual([
      ['PK-PB', 'Punjab'],
      ['PK-SD', 'Sindh'],
      ['PK-KP', 'Khyber Pakhtunkhwa'],
      ['PK-BA', 'Balochistan'],
      ['PK-IS', 'Islamabad Capital Territory'],
      ['PK-GB', 'Gilgit-Baltistan'],
      ['PK-JK', 'Azad Jammu and Kashmir'],
    ]);
  });

  it('has, for every province, the district count its source gives', () => {
    const counts = Object.fromEntries(provincesOf(pakistanAdminAreas).map((p) => [p.code, districtsOf(pakistanAdminAreas, p.code).length]));
    expect(counts).toEqual(PAKISTAN_DISTRICT_COUNTS);
    const districts = pakistanAdminAreas.areas.filter((a) => a.level === 'district');
    expect(districts).toHaveLength(168);
  });

  it('states its source and date', () => {
    expect(pakistanAdminAreas.source).toContain('Pakistan Bureau of Statistics');
    expect(pakistanAdminAreas.source).toContain('Census 2023');
    expect(pakistanAdminAreas.source).toContain('Gilgit-Baltistan');
    expect(pakistanAdminAreas.source).toContain('Azad Jammu and Kashmir');
    expect(pakistanAdminAreas.as_of).toBe('2023-08-07');
  });

  it('passes defineAdminAreas unchanged', () => {
    expect(defineAdminAreas(pakistanAdminAreas)).toEqual(pakistanAdminAreas);
  });

  it('has unique, well-formed codes; district codes are the province code plus 3-4 letters', () => {
    const codes = pakistanAdminAreas.areas.map((a) => a.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const area of pakistanAdminAreas.areas) {
      expect(area.code).toMatch(ADMIN_AREA_CODE_PATTERN);
      if (area.level === 'district') {
        expect(area.code.startsWith(`${area.parent}-`), area.code).toBe(true);
        expect(area.code.slice(`${area.parent}-`.length), area.code).toMatch(/^[A-Z]{3,4}$/);
      } else {
        expect(area.code).toMatch(/^PK-[A-Z]{2}$/);
      }
    }
  });

  it('puts every district under a province of the list', () => {
    for (const area of pakistanAdminAreas.areas.filter((a) => a.level === 'district')) {
      const parent = area.parent === undefined ? undefined : findAdminArea(pakistanAdminAreas, area.parent);
      expect(parent?.level, area.code).toBe('province');
    }
  });

  it('names every area in English (Latin script) and Urdu (Arabic script)', () => {
    for (const area of pakistanAdminAreas.areas) {
      expect(area.name.en.trim(), area.code).not.toBe('');
      expect(area.name.en, area.code).toMatch(LATIN);
      expect(area.name.en, area.code).not.toMatch(ARABIC_SCRIPT);
      expect(area.name.ur, area.code).toMatch(ARABIC_SCRIPT);
      expect(area.name.ur, area.code).not.toMatch(LATIN);
    }
  });

  it('has no two districts of a province with the same English or Urdu name', () => {
    for (const province of provincesOf(pakistanAdminAreas)) {
      const districts = districtsOf(pakistanAdminAreas, province.code);
      expect(new Set(districts.map((d) => d.name.en)).size, province.code).toBe(districts.length);
      expect(new Set(districts.map((d) => d.name.ur)).size, province.code).toBe(districts.length);
    }
  });

  it('answers the lookups the report form and the router make', () => {
    expect(findAdminArea(pakistanAdminAreas, 'PK-PB-LHR')?.name).toEqual({ en: 'Lahore', ur: 'لاہور' });
    expect(districtsOf(pakistanAdminAreas, 'PK-SD').map((d) => d.name.en)).toContain('Karachi Central');
    expect(districtsOf(pakistanAdminAreas, 'PK-IS').map((d) => d.code)).toEqual(['PK-IS-ISB']);
    expect(isWithin(pakistanAdminAreas, 'PK-PB-LHR', 'PK-PB')).toBe(true);
    expect(isWithin(pakistanAdminAreas, 'PK-PB-LHR', 'PK')).toBe(true);
    expect(isWithin(pakistanAdminAreas, 'PK-PB-LHR', 'PK-SD')).toBe(false);
    const sindh = findAdminArea(pakistanAdminAreas, 'PK-SD');
    expect(sindh && adminAreaName(sindh, 'ur')).toBe('سندھ');
  });
});
