import { createHash } from 'node:crypto';
import type { Report, ReportCreate, ReportListQuery, ReportReceipt } from '@tahaffuz/referral-contract';
import { canonicalJson } from '../canonical-json.js';
import { isoAt } from '../clock.js';
import { recordAudit } from '../domain/audit.js';
import { recordEvent } from '../domain/events.js';
import { routeReport } from '../domain/routing.js';
import type { HandlerInput, OperationHandler } from '../http/create-app.js';
import { HttpProblem } from '../http/http-problem.js';
import { respondInTransaction, writeTransaction } from '../http/respond.js';
import { keysetPage } from '../storage/keyset-page.js';
import { newReference } from '../ids.js';
import { prepareQuery } from '../storage/prepared-query.js';
import { clearLocationOf, locationTextOf, reportLocationContext, storedLocation } from '../domain/stored-fields.js';
import type { ReportsTable } from '../storage/schema.js';
import { historyResponse } from './common.js';

type StoredDetails = Pick<Report, 'categories' | 'happening_now' | 'location' | 'locale' | 'channel'> &
  Partial<Pick<Report, 'when' | 'victims'>>;
interface StoredFreeText {
  narrative?: string;
  suspects?: Report['suspects'];
}
function receiptOf(row: Pick<ReportsTable, 'id' | 'reference' | 'received_at'>): ReportReceipt {
  return { id: row.id, reference: row.reference, received_at: row.received_at };
}

const FIND_REPORT = prepareQuery<{ id: string }, Pick<ReportsTable, 'id' | 'reference' | 'received_at' | 'body_hash' | 'mode'>>((db, p) =>
  db.selectFrom('reports').select(['id', 'reference', 'received_at', 'body_hash', 'mode']).where('id', '=', p.id),
);

const INSERT_REPORT = prepareQuery<ReportsTable, never>((db, p) =>
  db.insertInto('reports').values({
    id: p.id,
    reference: p.reference,
    mode: p.mode,
    routed_organization_id: p.routed_organization_id,
    body_hash: p.body_hash,
    api_key_id: p.api_key_id,
    admin_area: p.admin_area,
    categories: p.categories,
    reporter_mode: p.reporter_mode,
    details: p.details,
    free_text_enc: p.free_text_enc,
    reporter_enc: p.reporter_enc,
    location_enc: p.location_enc,
    received_at: p.received_at,
    erased_at: p.erased_at,
  }),
);

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const createReport: OperationHandler = async ({ c, ctx, key, body, rawBody, canonicalBody, receivedCanonicalBody, requestId, now }) => {
  const report = body as ReportCreate;
  const normalised = canonicalBody ?? canonicalJson(rawBody);
  const bodyHash = sha256(normalised);
  // Rows stored before UUIDs were lower-cased hold the hash of the body as it was received.
  const receivedHash =
    receivedCanonicalBody === undefined || receivedCanonicalBody === normalised ? bodyHash : sha256(receivedCanonicalBody);
  return writeTransaction(ctx.db, async (trx) => {
    const existing = (await FIND_REPORT.execute(trx, { id: report.id })).rows[0];
    if (existing !== undefined) {
      // The same report again (a retry, an offline queue weeks later): the original receipt.
      if ((existing.body_hash === bodyHash || existing.body_hash === receivedHash) && existing.mode === key.mode)
        return respondInTransaction(c, trx, 201, receiptOf(existing), { personal: false });
      throw new HttpProblem('id-conflict', {
        detail: `Report ${report.id} was already submitted with a different body; a new report needs a new id.`,
      });
    }
    const organizationId = await routeReport(trx, report.location.admin_area);
    const details: StoredDetails = {
      categories: report.categories,
      happening_now: report.happening_now,
      location: clearLocationOf(report.location),
      locale: report.locale,
      channel: report.channel ?? (key.kind === 'publishable' ? 'web_form' : 'api'),
      ...(report.when === undefined ? {} : { when: report.when }),
      ...(report.victims === undefined ? {} : { victims: report.victims }),
    };
    const freeText: StoredFreeText = {
      ...(report.narrative === undefined ? {} : { narrative: report.narrative }),
      ...(report.suspects === undefined ? {} : { suspects: report.suspects }),
    };
    const locationText = locationTextOf(report.location);
    const row: ReportsTable = {
      id: report.id,
      reference: newReference(),
      mode: key.mode,
      routed_organization_id: organizationId,
      body_hash: bodyHash,
      api_key_id: key.id,
      admin_area: report.location.admin_area,
      categories: JSON.stringify(report.categories),
      reporter_mode: report.reporter.mode,
      details: JSON.stringify(details),
      free_text_enc:
        Object.keys(freeText).length === 0 ? null : ctx.cipher.encrypt(JSON.stringify(freeText), `reports.free_text:${report.id}`),
      reporter_enc:
        report.reporter.mode === 'anonymous' ? null : ctx.cipher.encrypt(JSON.stringify(report.reporter), `reports.reporter:${report.id}`),
      location_enc: locationText === undefined ? null : ctx.cipher.encrypt(JSON.stringify(locationText), reportLocationContext(report.id)),
      received_at: isoAt(now),
      erased_at: null,
    };
    await INSERT_REPORT.execute(trx, row);
    await recordAudit(trx, { key, mode: key.mode, requestId, now }, [
      { action: 'report.create', targetType: 'report', targetId: row.id, changedFields: Object.keys(report) },
    ]);
    await recordEvent(
      trx,
      ctx.dialect,
      { type: 'report.received', mode: key.mode, organizationIds: [organizationId], data: { report_id: row.id } },
      now,
    );
    return respondInTransaction(c, trx, 201, receiptOf(row), { personal: false });
  });
};

/** Decrypts a stored report into its wire shape. */
function reportFromRow(input: Pick<HandlerInput, 'ctx'>, row: ReportsTable, caseIds: readonly string[]): Report {
  const details = JSON.parse(row.details) as StoredDetails;
  const freeText: StoredFreeText =
    row.free_text_enc === null
      ? {}
      : (JSON.parse(input.ctx.cipher.decrypt(row.free_text_enc, `reports.free_text:${row.id}`)) as StoredFreeText);
  const reporter: Report['reporter'] =
    row.reporter_enc === null
      ? { mode: 'anonymous' }
      : (JSON.parse(input.ctx.cipher.decrypt(row.reporter_enc, `reports.reporter:${row.id}`)) as Report['reporter']);
  return {
    id: row.id,
    ...details,
    location: storedLocation(input.ctx.cipher, row),
    ...freeText,
    reporter,
    reference: row.reference,
    received_at: row.received_at,
    updated_at: row.received_at,
    organization_id: row.routed_organization_id,
    case_ids: [...caseIds],
  };
}

async function caseIdsOf(input: HandlerInput, reportIds: readonly string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  if (reportIds.length === 0) return map;
  const links = await input.ctx.db.selectFrom('case_reports').selectAll().where('report_id', 'in', reportIds).execute();
  for (const link of links) map.set(link.report_id, [...(map.get(link.report_id) ?? []), link.case_id]);
  return map;
}

const getReport: OperationHandler = async (input) => {
  const { ctx, key, params, requestId, now } = input;
  const row = await ctx.db
    .selectFrom('reports')
    .selectAll()
    .where('id', '=', params.id ?? '')
    .where('mode', '=', key.mode)
    .where('routed_organization_id', '=', key.organization_id)
    .where('erased_at', 'is', null)
    .executeTakeFirst();
  if (row === undefined) throw new HttpProblem('not-found', { detail: `No report ${params.id ?? ''} for this key.` });
  const report = reportFromRow(input, row, (await caseIdsOf(input, [row.id])).get(row.id) ?? []);
  await recordAudit(ctx.db, { key, mode: key.mode, requestId, now }, [{ action: 'report.read', targetType: 'report', targetId: row.id }]);
  return Response.json(report, { status: 200 });
};

const listReports: OperationHandler = async (input) => {
  const { ctx, key, requestId, now } = input;
  const query = input.query as ReportListQuery;
  let select = ctx.db
    .selectFrom('reports')
    .selectAll()
    .where('mode', '=', key.mode)
    .where('routed_organization_id', '=', key.organization_id)
    .where('erased_at', 'is', null);
  if (query.admin_area !== undefined) {
    const area = query.admin_area;
    select = select.where((eb) => eb.or([eb('admin_area', '=', area), eb('admin_area', 'like', `${area}-%`)]));
  }
  if (query.category !== undefined) select = select.where('categories', 'like', `%"${query.category}"%`);
  if (query.updated_since !== undefined) select = select.where('received_at', '>=', isoAt(Date.parse(query.updated_since)));
  const { page, next_page_token } = await keysetPage(select, {
    orderBy: 'received_at',
    keyOf: (r) => [r.received_at, r.id],
    pageSize: query.page_size,
    pageToken: query.page_token,
  });
  const cases = await caseIdsOf(
    input,
    page.map((r) => r.id),
  );
  const data = page.map((row) => reportFromRow(input, row, cases.get(row.id) ?? []));
  await recordAudit(
    ctx.db,
    { key, mode: key.mode, requestId, now },
    page.map((row) => ({ action: 'report.read', targetType: 'report', targetId: row.id })),
  );
  return Response.json({ data, next_page_token });
};

const reportHistory: OperationHandler = async (input) => {
  const { ctx, key, params } = input;
  const row = await ctx.db
    .selectFrom('reports')
    .select('id')
    .where('id', '=', params.id ?? '')
    .where('mode', '=', key.mode)
    .where('routed_organization_id', '=', key.organization_id)
    // As for a case: an erased report answers 404, its history included (the rows stay, ids and field names only).
    .where('erased_at', 'is', null)
    .executeTakeFirst();
  if (row === undefined) throw new HttpProblem('not-found', { detail: `No report ${params.id ?? ''} for this key.` });
  return historyResponse(input, ctx.db, 'report', row.id);
};

/** The report operations. */
export const reportHandlers: Readonly<Record<string, OperationHandler>> = {
  'reports.create': createReport,
  'reports.get': getReport,
  'reports.list': listReports,
  'reports.history': reportHistory,
};
