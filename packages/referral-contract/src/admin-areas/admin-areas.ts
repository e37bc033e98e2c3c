import * as z from 'zod/mini';
import { AdminAreaError, type AdminAreaIssue } from './admin-area-error.js';

/**
 * The shape of an admin-area code: an ISO 3166-1 alpha-2 country code, then up to three
 * hyphen-separated segments of 1–8 capital letters or digits (`PK`, `PK-PB`, `PK-PB-LHR`).
 */
export const ADMIN_AREA_CODE_PATTERN = /^[A-Z]{2}(-[A-Z0-9]{1,8}){0,3}$/;

/** An admin-area code such as `PK-PB` (a province) or `PK-PB-LHR` (a district). */
export const AdminAreaCodeSchema = /* @__PURE__ */ (() =>
  z.string().check(
    z.regex(ADMIN_AREA_CODE_PATTERN, {
      message: 'must look like "PK-PB" or "PK-PB-LHR": a 2-letter country code, then up to 3 segments of A-Z/0-9',
    }),
  ))();

const nonBlank = /* @__PURE__ */ (() => z.string().check(z.refine((value) => value.trim().length > 0, { message: 'must not be empty' })))();

/** An area's name in each language the deployment offers (English and Urdu for Pakistan). */
export const AdminAreaNameSchema = /* @__PURE__ */ z.object({
  en: nonBlank,
  ur: nonBlank,
});

/** `province` is a first-level unit (province or territory); `district` lies inside one. */
export const AdminAreaLevelSchema = /* @__PURE__ */ z.enum(['province', 'district']);

/** One province/territory or district, with its stable code and its names. */
export const AdminAreaSchema = /* @__PURE__ */ (() =>
  z
    .object({
      code: AdminAreaCodeSchema,
      name: AdminAreaNameSchema,
      level: AdminAreaLevelSchema,
      parent: z.optional(AdminAreaCodeSchema),
    })
    .check(
      z.refine((area) => area.level !== 'district' || area.parent !== undefined, {
        message: 'a district needs a parent province code',
        path: ['parent'],
      }),
      z.refine((area) => area.level !== 'province' || area.parent === undefined, {
        message: 'a province has no parent',
        path: ['parent'],
      }),
    ))();

/** A deployment's whole admin-area list, with the source it was taken from and its date. */
export const AdminAreaSetSchema = /* @__PURE__ */ (() =>
  z.object({
    /** ISO 3166-1 alpha-2 code of the country, e.g. `PK`; every area code starts with it. */
    country: z.string().check(z.regex(/^[A-Z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 code such as "PK"' })),
    /** Where the list comes from, so it can be checked and updated. */
    source: nonBlank,
    /** The date (YYYY-MM-DD) the list describes. */
    as_of: z.iso.date(),
    areas: z.array(AdminAreaSchema),
  }))();

/** An area's names by language. */
export type AdminAreaName = z.infer<typeof AdminAreaNameSchema>;
/** A language key of `AdminAreaName`: `en` or `ur`. */
export type AdminAreaLanguage = keyof AdminAreaName;
/** `province` or `district`. */
export type AdminAreaLevel = z.infer<typeof AdminAreaLevelSchema>;
/** One province/territory or district. */
export type AdminArea = z.infer<typeof AdminAreaSchema>;
/** A deployment's admin-area list with its source and date. */
export type AdminAreaSet = z.infer<typeof AdminAreaSetSchema>;

function describe(areas: unknown, index: number): string {
  const entry = Array.isArray(areas) ? (areas[index] as unknown) : undefined;
  const code =
    typeof entry === 'object' && entry !== null && typeof (entry as { code?: unknown }).code === 'string'
      ? (entry as { code: string }).code
      : undefined;
  return code === undefined ? `areas[${index}]` : `areas[${index}] (${JSON.stringify(code)})`;
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    out += typeof key === 'number' ? `[${key}]` : `${out === '' ? '' : '.'}${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

function structuralIssues(set: AdminAreaSet): AdminAreaIssue[] {
  const issues: AdminAreaIssue[] = [];
  const firstIndex = new Map<string, number>();
  set.areas.forEach((area, index) => {
    const seen = firstIndex.get(area.code);
    if (seen === undefined) firstIndex.set(area.code, index);
    else {
      issues.push({
        path: ['areas', index, 'code'],
        message: `${describe(set.areas, index)}: duplicate code, already used by areas[${seen}]; every code must be unique`,
      });
    }
  });
  set.areas.forEach((area, index) => {
    if (area.code !== set.country && !area.code.startsWith(`${set.country}-`)) {
      issues.push({
        path: ['areas', index, 'code'],
        message: `${describe(set.areas, index)}: code must start with the country code "${set.country}-"`,
      });
    }
    if (area.level !== 'district' || area.parent === undefined) return;
    const parentIndex = firstIndex.get(area.parent);
    const parent = parentIndex === undefined ? undefined : set.areas[parentIndex];
    if (parent === undefined) {
      issues.push({
        path: ['areas', index, 'parent'],
        message: `${describe(set.areas, index)}: parent ${JSON.stringify(area.parent)} is not in the list; add that province or fix the parent code`,
      });
    } else if (parent.level !== 'province') {
      issues.push({
        path: ['areas', index, 'parent'],
        message: `${describe(set.areas, index)}: parent ${JSON.stringify(area.parent)} is a ${parent.level}, not a province`,
      });
    }
  });
  return issues;
}

/**
 * Validates a deployment's own admin-area list and returns it, typed: every entry well-formed, codes
 * unique and starting with the country code, every district's parent a province in the list.
 *
 * @throws {AdminAreaError} listing every problem, each naming the entry by index and code.
 * @example
 * ```ts
 * const areas = defineAdminAreas({
 *   country: 'PK',
 *   source: 'Punjab Child Protection Bureau coverage list',
 *   as_of: '2025-01-01',
 *   areas: [
 *     { code: 'PK-PB', level: 'province', name: { en: 'Punjab', ur: 'پنجاب' } },
 *     { code: 'PK-PB-LHR', level: 'district', parent: 'PK-PB', name: { en: 'Lahore', ur: 'لاہور' } },
 *   ],
 * });
 * districtsOf(areas, 'PK-PB'); // [{ code: 'PK-PB-LHR', … }]
 * ```
 */
export function defineAdminAreas(input: unknown): AdminAreaSet {
  const parsed = AdminAreaSetSchema.safeParse(input);
  if (!parsed.success) {
    const areas = typeof input === 'object' && input !== null ? (input as { areas?: unknown }).areas : undefined;
    const issues = parsed.error.issues.map((issue): AdminAreaIssue => {
      const [head, index] = issue.path;
      const where =
        head === 'areas' && typeof index === 'number'
          ? `${describe(areas, index)}${issue.path.length > 2 ? `.${formatPath(issue.path.slice(2))}` : ''}`
          : formatPath(issue.path);
      return {
        path: issue.path.map((key) => (typeof key === 'number' ? key : String(key))),
        message: `${where}: ${issue.message}`,
      };
    });
    throw new AdminAreaError(issues, { cause: parsed.error });
  }
  const issues = structuralIssues(parsed.data);
  if (issues.length > 0) throw new AdminAreaError(issues);
  return parsed.data;
}

const indexes = /* @__PURE__ */ new WeakMap<AdminAreaSet, Map<string, AdminArea>>();

function indexOf(set: AdminAreaSet): Map<string, AdminArea> {
  let index = indexes.get(set);
  if (index === undefined) {
    index = new Map();
    for (const area of set.areas) if (!index.has(area.code)) index.set(area.code, area);
    indexes.set(set, index);
  }
  return index;
}

/** The area with this code, or `undefined` when the list has none. */
export function findAdminArea(set: AdminAreaSet, code: string): AdminArea | undefined {
  return indexOf(set).get(code);
}

/** The provinces/territories of the list, in list order. */
export function provincesOf(set: AdminAreaSet): AdminArea[] {
  return set.areas.filter((area) => area.level === 'province');
}

/** The districts of one province, in list order; empty when the province is unknown. */
export function districtsOf(set: AdminAreaSet, provinceCode: string): AdminArea[] {
  return set.areas.filter((area) => area.level === 'district' && area.parent === provinceCode);
}

/**
 * True when area `code` is `ancestorCode` itself or lies inside it. The country code (`set.country`,
 * used for a report whose place is unknown) contains itself and every area of the list; codes not in
 * the list are inside nothing.
 */
export function isWithin(set: AdminAreaSet, code: string, ancestorCode: string): boolean {
  if (code === set.country) return ancestorCode === set.country;
  const index = indexOf(set);
  let area = index.get(code);
  if (area === undefined) return false;
  if (ancestorCode === set.country) return true;
  // The depth bound keeps a hand-built, unvalidated list with a parent cycle from looping forever.
  for (let depth = 0; depth < 8 && area !== undefined; depth++) {
    if (area.code === ancestorCode) return true;
    area = area.parent === undefined ? undefined : index.get(area.parent);
  }
  return false;
}

/** The area's name in `lang`. */
export function adminAreaName(area: AdminArea, lang: AdminAreaLanguage): string {
  return area.name[lang];
}
