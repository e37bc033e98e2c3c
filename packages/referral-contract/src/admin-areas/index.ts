/**
 * Admin areas as data: the schemas of an admin-area list, `defineAdminAreas()` for a deployment's
 * own list, lookups, and the Pakistan preset.
 * @module
 */

/** Schemas and types of an admin area and of a whole list (zod/mini). */
export {
  ADMIN_AREA_CODE_PATTERN,
  AdminAreaCodeSchema,
  AdminAreaLevelSchema,
  AdminAreaNameSchema,
  AdminAreaSchema,
  AdminAreaSetSchema,
  type AdminArea,
  type AdminAreaLanguage,
  type AdminAreaLevel,
  type AdminAreaName,
  type AdminAreaSet,
} from './admin-areas.js';

/** Validating a deployment's own list, and looking areas up in any list. */
export {
  adminAreaName,
  defineAdminAreas,
  districtsOf,
  findAdminArea,
  isWithin,
  provincesOf,
} from './admin-areas.js';

/** The error `defineAdminAreas()` throws, and its cross-realm guard. */
export { AdminAreaError, isAdminAreaError, type AdminAreaIssue } from './admin-area-error.js';

/** The Pakistan preset and the per-province district counts of its sources. */
export { PAKISTAN_DISTRICT_COUNTS, pakistanAdminAreas } from './pakistan.js';
