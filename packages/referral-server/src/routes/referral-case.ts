import {
  can,
  CASE_SUMMARY_STATUSES,
  type CaseChild,
  consentCovers,
  type ProtectionConcern,
  type ReferralCaseReport,
  type ReferralCaseSummary,
  type Reporter,
  type ReportLocation,
  type ReportVictims,
  type ServiceType,
  sharesPreciseLocation,
} from '@tahaffuz/referral-contract';
import type { Kysely } from 'kysely';
import { type AuditInput, recordAudit } from '../domain/audit.js';
import type { HandlerInput, OperationHandler } from '../http/create-app.js';
import { HttpProblem } from '../http/http-problem.js';
import type { Database, ReferralsTable, ReportsTable } from '../storage/schema.js';
import { consentFromRow } from './cases.js';
import { actorOf, json, notFound } from './common.js';
import { type ReferralData, storedLocation } from '../domain/stored-fields.js';

/*
 * GET /v1/referrals/{id}/case: the minimum of case data a service needs to act on a referral
 * (docs/decisions/0009-referral-case-summary.md). Built field by field from what is stored, so
 * nothing is shared by default: narratives, suspects' descriptions, screening notes and a
 * confidential reporter's contact are never read, let alone answered.
 */

/** The non-personal report fields the summary draws on (stored in clear JSON; only erasure strips them, and erased reports are left out); the landmark and coordinates are sealed in `location_enc`. */
interface StoredReportDetails {
  categories: ReferralCaseReport['categories'];
  happening_now: boolean;
  location: ReportLocation;
  victims?: ReportVictims;
  locale: string;
}

/**
 * The referral, if this key may read its case summary: the organisation it is addressed to while
 * it is requested, accepted, in progress or on hold; or a key of the referring organisation whose
 * role reads cases (caseworker, supervisor), in any state. Anything else is 404.
 */
async function summarisableReferral(
  db: Kysely<Database>,
  input: Pick<HandlerInput, 'key'>,
  id: string | undefined,
): Promise<ReferralsTable> {
  const { key } = input;
  const org = key.organization_id;
  const readsCases = key.role !== null && can(key.role, 'cases:read');
  const row = await db
    .selectFrom('referrals')
    .selectAll()
    .where('id', '=', id ?? '')
    .where('mode', '=', key.mode)
    .where((eb) =>
      eb.or([
        eb.and([eb('receiving_organization_id', '=', org), eb('status', 'in', [...CASE_SUMMARY_STATUSES])]),
        ...(readsCases ? [eb('referring_organization_id', '=', org)] : []),
      ]),
    )
    .executeTakeFirst();
  if (row === undefined) throw notFound('referral', id);
  return row;
}

/**
 * Once requested, a referral shares case data only while a consent of the case covers it (the
 * one it was requested under, or a newer one) or a supervisor overrode consent when requesting.
 */
async function requireSharingBasis(db: Kysely<Database>, input: HandlerInput, row: ReferralsTable, data: ReferralData): Promise<void> {
  if (data.requested_at === null || data.consent_override !== null) return;
  const consents = await db.selectFrom('consents').selectAll().where('case_id', '=', row.case_id).where('mode', '=', row.mode).execute();
  const target = { case_id: row.case_id, service_type: row.service_type as ServiceType, organization_id: row.receiving_organization_id };
  const at = new Date(input.now);
  if (consents.some((consent) => consentCovers(consentFromRow(input, consent), target, at))) return;
  throw new HttpProblem('consent-required', {
    detail: `Referral ${row.id} was requested under consent ${row.consent_id ?? ''}, which is withdrawn or expired, and no active consent covers it now: its case data is no longer shared. The referring organisation may record a new consent.`,
  });
}

function reportSummary(input: Pick<HandlerInput, 'ctx'>, report: ReportsTable, preciseLocation: boolean): ReferralCaseReport {
  const details = json<StoredReportDetails>(report.details);
  // The sealed landmark and coordinates are decrypted only for a service that gets them.
  const location = preciseLocation ? storedLocation(input.ctx.cipher, report) : details.location;
  let contact: ReferralCaseReport['reporter_contact'] = null;
  // Only a share-mode reporter's contact is ever decrypted here.
  if (report.reporter_mode === 'share' && report.reporter_enc !== null) {
    const reporter = json<Reporter>(input.ctx.cipher.decrypt(report.reporter_enc, `reports.reporter:${report.id}`));
    if (reporter.mode === 'share') contact = reporter.contact;
  }
  return {
    reference: report.reference,
    categories: details.categories,
    happening_now: details.happening_now,
    location: {
      admin_area: location.admin_area,
      ...(location.place_type === undefined ? {} : { place_type: location.place_type }),
      ...(preciseLocation && location.landmark !== undefined ? { landmark: location.landmark } : {}),
      ...(preciseLocation && location.coordinates !== undefined ? { coordinates: location.coordinates } : {}),
    },
    victims: details.victims ?? null,
    locale: details.locale,
    reporter_contact: contact,
  };
}

/** `referrals.case`: the case summary of a referral, every read in the audit trail of the referral, the case and each report. */
export const readReferralCase: OperationHandler = async (input) => {
  const { ctx } = input;
  const row = await summarisableReferral(ctx.db, input, input.params.id);
  const kase = await ctx.db
    .selectFrom('cases')
    .selectAll()
    .where('id', '=', row.case_id)
    .where('mode', '=', row.mode)
    .where('erased_at', 'is', null)
    .executeTakeFirst();
  if (kase === undefined) throw notFound('case of referral', row.id);
  const data = json<ReferralData>(row.data);
  await requireSharingBasis(ctx.db, input, row, data);

  const reports = await ctx.db
    .selectFrom('case_reports')
    .innerJoin('reports', 'reports.id', 'case_reports.report_id')
    .selectAll('reports')
    .where('case_reports.case_id', '=', kase.id)
    .where('reports.mode', '=', row.mode)
    .where('reports.erased_at', 'is', null)
    .orderBy('reports.received_at')
    .orderBy('reports.id')
    .execute();
  const serviceType = row.service_type as ServiceType;
  const caseData = json<{ protection_concerns?: ProtectionConcern[]; child?: CaseChild | null }>(kase.data);
  const summaries = reports.map((report) => reportSummary(input, report, sharesPreciseLocation(serviceType)));
  const summary: ReferralCaseSummary = {
    referral_id: row.id,
    case_id: kase.id,
    service_type: serviceType,
    urgency: data.urgency,
    note: data.note_enc === null ? null : ctx.cipher.decrypt(data.note_enc, `referrals.note:${row.id}`),
    protection_concerns: caseData.protection_concerns ?? [],
    child: caseData.child ?? null,
    reports: summaries,
  };

  const audit: AuditInput[] = [
    { action: 'referral.read_case', targetType: 'referral', targetId: row.id },
    { action: 'case.read_summary', targetType: 'case', targetId: kase.id },
    ...reports.map((report, i) => ({
      action: summaries[i]?.reporter_contact === null ? 'report.read_summary' : 'report.read_contact',
      targetType: 'report',
      targetId: report.id,
    })),
  ];
  await recordAudit(ctx.db, actorOf(input), audit);
  return Response.json(summary);
};
