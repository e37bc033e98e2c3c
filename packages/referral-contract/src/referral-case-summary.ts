import * as z from 'zod/mini';
import { CaseChildSchema, ProtectionConcernSchema } from './case.js';
import { AdminAreaCodeSchema, IdSchema, LocaleSchema, ServiceTypeSchema, type ServiceType } from './primitives.js';
import { ReferralUrgencySchema, type ReferralStatus } from './referral.js';
import {
  CoarseCoordinatesSchema,
  PlaceTypeSchema,
  ReportCategorySchema,
  ReporterContactSchema,
  ReportReferenceSchema,
  ReportVictimsSchema,
} from './report.js';

/**
 * The referral states in which the receiving organisation reads the case summary: from the
 * request until the referral ends. A draft is addressed to no one yet; after a final state the
 * need has ended. (The referring organisation's caseworkers and supervisors read it in any state.)
 */
export const CASE_SUMMARY_STATUSES = ['requested', 'accepted', 'in_progress', 'on_hold'] as const satisfies readonly ReferralStatus[];

/**
 * Whether the organisation a referral is addressed to may read its case summary in `status`.
 *
 * @example
 * ```ts
 * receiverSeesCaseSummary('accepted'); // true
 * receiverSeesCaseSummary('draft'); // false
 * receiverSeesCaseSummary('completed'); // false
 * ```
 */
export function receiverSeesCaseSummary(status: ReferralStatus): boolean {
  return (CASE_SUMMARY_STATUSES as readonly ReferralStatus[]).includes(status);
}

/**
 * The service types that go to the place itself (a police rescue), so their case summary also
 * carries each report's landmark and coarse coordinates. Every other service gets the admin area
 * and place type only.
 */
export const PRECISE_LOCATION_SERVICE_TYPES = ['police'] as const satisfies readonly ServiceType[];

/** Whether a referral to a service of `serviceType` shares the landmark and coordinates of the reports. */
export function sharesPreciseLocation(serviceType: ServiceType): boolean {
  return (PRECISE_LOCATION_SERVICE_TYPES as readonly ServiceType[]).includes(serviceType);
}

/**
 * Where a report says it happens, as a receiving organisation sees it: admin area and place type;
 * landmark and coarse coordinates only for the services of {@link PRECISE_LOCATION_SERVICE_TYPES}.
 */
export const ReferralCaseLocationSchema = /* @__PURE__ */ (() =>
  z.object({
    admin_area: AdminAreaCodeSchema,
    place_type: z.optional(PlaceTypeSchema),
    landmark: z.optional(z.string()),
    coordinates: z.optional(CoarseCoordinatesSchema),
  }))();
/** Where a report says it happens, as a receiving organisation sees it. */
export type ReferralCaseLocation = z.infer<typeof ReferralCaseLocationSchema>;

/**
 * One report of the case, reduced to what a service needs to act: never the narrative, the
 * suspects' description or a confidential reporter's contact. `reporter_contact` is the
 * reporter's contact when they chose the `share` mode, and `null` otherwise (anonymous and
 * confidential reporters look the same).
 */
export const ReferralCaseReportSchema = /* @__PURE__ */ (() =>
  z.object({
    reference: ReportReferenceSchema,
    categories: z.array(ReportCategorySchema),
    happening_now: z.boolean(),
    location: ReferralCaseLocationSchema,
    victims: z.nullable(ReportVictimsSchema),
    locale: LocaleSchema,
    reporter_contact: z.nullable(ReporterContactSchema),
  }))();
/** One report of the case, reduced to what a service needs. */
export type ReferralCaseReport = z.infer<typeof ReferralCaseReportSchema>;

/**
 * What `GET /v1/referrals/{id}/case` answers: the case data a referral shares with the
 * organisation it is addressed to — the referral's urgency and note, the case's protection
 * concerns and the child's age band, gender, languages and needs, and each report's categories,
 * location, victims, locale and (share mode only) the reporter's contact. Screening notes,
 * narratives and suspects' descriptions never appear. Erased reports are left out.
 */
export const ReferralCaseSummarySchema = /* @__PURE__ */ (() =>
  z.object({
    referral_id: IdSchema,
    case_id: IdSchema,
    service_type: ServiceTypeSchema,
    urgency: ReferralUrgencySchema,
    note: z.nullable(z.string()),
    protection_concerns: z.array(ProtectionConcernSchema),
    child: z.nullable(CaseChildSchema),
    reports: z.array(ReferralCaseReportSchema),
  }))();
/** The case data a referral shares with the organisation it is addressed to. */
export type ReferralCaseSummary = z.infer<typeof ReferralCaseSummarySchema>;
