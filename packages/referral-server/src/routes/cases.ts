import {
  type Case,
  type CaseListQuery,
  type CaseOpen,
  type CaseTransition,
  CASE_SUMMARY_STATUSES,
  canTransitionCase,
  caseTransitionAction,
  caseTransitionNeedsReason,
  type Consent,
  type ConsentCreate,
  type ConsentListQuery,
  type ConsentWithdraw,
} from '@tahaffuz/referral-contract';
import type { Kysely } from 'kysely';
import { isoAt } from '../clock.js';
import { recordAudit } from '../domain/audit.js';
import { recordEvent } from '../domain/events.js';
import type { HandlerInput, OperationHandler } from '../http/create-app.js';
import { HttpProblem } from '../http/http-problem.js';
import { respondInTransaction, writeTransaction } from '../http/respond.js';
import { newId } from '../ids.js';
import { keysetPage } from '../storage/keyset-page.js';
import type { CasesTable, ConsentsTable, Database } from '../storage/schema.js';
import { actorOf, historyResponse, json, notFound, requireAction, requireReason } from './common.js';

type CaseData = Pick<Case, 'screening_outcome' | 'protection_concerns' | 'risk_level' | 'child'>;
interface CaseFreeText {
  screening_reason?: string;
  closure_reason?: string | null;
}

function caseFreeText(input: Pick<HandlerInput, 'ctx'>, row: CasesTable): CaseFreeText {
  return row.free_text_enc === null ? {} : json<CaseFreeText>(input.ctx.cipher.decrypt(row.free_text_enc, `cases.free_text:${row.id}`));
}

async function reportIdsOf(db: Kysely<Database>, caseIds: readonly string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  if (caseIds.length === 0) return map;
  for (const link of await db.selectFrom('case_reports').selectAll().where('case_id', 'in', caseIds).orderBy('report_id').execute()) {
    map.set(link.case_id, [...(map.get(link.case_id) ?? []), link.report_id]);
  }
  return map;
}

function caseFromRow(input: Pick<HandlerInput, 'ctx'>, row: CasesTable, reportIds: readonly string[]): Case {
  const data = json<Partial<CaseData>>(row.data);
  const text = caseFreeText(input, row);
  return {
    id: row.id,
    organization_id: row.organization_id,
    status: row.status as Case['status'],
    stage: row.stage as Case['stage'],
    report_ids: [...reportIds],
    screening_outcome: data.screening_outcome ?? 'screened_in',
    screening_reason: text.screening_reason ?? '',
    protection_concerns: data.protection_concerns ?? [],
    risk_level: data.risk_level ?? null,
    child: data.child ?? null,
    closure_reason: text.closure_reason ?? null,
    created_at: row.created_at,
    updated_at: row.updated_at,
    closed_at: row.closed_at,
  };
}

/** The caller's own case (same organisation and mode, not erased), or 404. */
export async function ownCase(db: Kysely<Database>, input: Pick<HandlerInput, 'key'>, id: string | undefined): Promise<CasesTable> {
  const row = await db
    .selectFrom('cases')
    .selectAll()
    .where('id', '=', id ?? '')
    .where('mode', '=', input.key.mode)
    .where('organization_id', '=', input.key.organization_id)
    .where('erased_at', 'is', null)
    .executeTakeFirst();
  if (row === undefined) throw notFound('case', id);
  return row;
}

const openCase: OperationHandler = async (input) => {
  const { c, ctx, key, now } = input;
  const body = input.body as CaseOpen;
  return writeTransaction(ctx.db, async (trx) => {
    const reports = await trx
      .selectFrom('reports')
      .select('id')
      .where('id', 'in', body.report_ids)
      .where('mode', '=', key.mode)
      .where('routed_organization_id', '=', key.organization_id)
      .where('erased_at', 'is', null)
      .execute();
    const found = new Set(reports.map((r) => r.id));
    const missing = body.report_ids.find((id) => !found.has(id));
    if (missing !== undefined) throw notFound('report', missing);
    const id = newId();
    const data: CaseData = {
      screening_outcome: body.screening_outcome,
      protection_concerns: body.protection_concerns,
      risk_level: body.risk_level ?? null,
      child: body.child ?? null,
    };
    const row: CasesTable = {
      id,
      mode: key.mode,
      organization_id: key.organization_id,
      status: 'open',
      stage: 'screening',
      data: JSON.stringify(data),
      free_text_enc: ctx.cipher.encrypt(JSON.stringify({ screening_reason: body.screening_reason }), `cases.free_text:${id}`),
      created_at: isoAt(now),
      updated_at: isoAt(now),
      closed_at: null,
      erased_at: null,
    };
    await trx.insertInto('cases').values(row).execute();
    await trx
      .insertInto('case_reports')
      .values(body.report_ids.map((report_id) => ({ case_id: id, report_id })))
      .execute();
    await recordAudit(trx, actorOf(input), [{ action: 'case.open', targetType: 'case', targetId: id, changedFields: Object.keys(body) }]);
    await recordEvent(
      trx,
      ctx.dialect,
      { type: 'case.opened', mode: key.mode, organizationIds: [key.organization_id], data: { case_id: id } },
      now,
    );
    return respondInTransaction(c, trx, 201, caseFromRow(input, row, [...body.report_ids].sort()));
  });
};

const getCase: OperationHandler = async (input) => {
  const row = await ownCase(input.ctx.db, input, input.params.id);
  const kase = caseFromRow(input, row, (await reportIdsOf(input.ctx.db, [row.id])).get(row.id) ?? []);
  await recordAudit(input.ctx.db, actorOf(input), [{ action: 'case.read', targetType: 'case', targetId: row.id }]);
  return Response.json(kase);
};

const listCases: OperationHandler = async (input) => {
  const { ctx, key } = input;
  const query = input.query as CaseListQuery;
  let select = ctx.db
    .selectFrom('cases')
    .selectAll()
    .where('mode', '=', key.mode)
    .where('organization_id', '=', key.organization_id)
    .where('erased_at', 'is', null);
  if (query.status !== undefined) select = select.where('status', '=', query.status);
  if (query.stage !== undefined) select = select.where('stage', '=', query.stage);
  if (query.updated_since !== undefined) select = select.where('updated_at', '>=', isoAt(Date.parse(query.updated_since)));
  const { page, next_page_token } = await keysetPage(select, {
    orderBy: 'created_at',
    keyOf: (r) => [r.created_at, r.id],
    pageSize: query.page_size,
    pageToken: query.page_token,
  });
  const reports = await reportIdsOf(
    ctx.db,
    page.map((r) => r.id),
  );
  await recordAudit(
    ctx.db,
    actorOf(input),
    page.map((r) => ({ action: 'case.read', targetType: 'case', targetId: r.id })),
  );
  return Response.json({ data: page.map((r) => caseFromRow(input, r, reports.get(r.id) ?? [])), next_page_token });
};

const transitionCase: OperationHandler = async (input) => {
  const { c, ctx, key, now } = input;
  const body = input.body as CaseTransition;
  requireAction(input, caseTransitionAction(body.to));
  const reason = caseTransitionNeedsReason(body.to) ? requireReason(body.reason, `to move a case to ${body.to}`) : body.reason;
  return writeTransaction(ctx.db, async (trx) => {
    const row = await ownCase(trx, input, input.params.id);
    const from = row.status === 'closed' ? 'closed' : (row.stage as Case['stage']);
    if (!canTransitionCase(from, body.to)) {
      throw new HttpProblem('invalid-transition', { detail: `A case in ${from} cannot move to ${body.to}.` });
    }
    const at = isoAt(now);
    const text = caseFreeText(input, row);
    let changed: string[];
    const update: Partial<CasesTable> = { updated_at: at };
    if (body.to === 'closed') {
      update.status = 'closed';
      update.closed_at = at;
      update.free_text_enc = ctx.cipher.encrypt(JSON.stringify({ ...text, closure_reason: reason }), `cases.free_text:${row.id}`);
      changed = ['status', 'closed_at', 'closure_reason'];
    } else if (body.to === 'open') {
      update.status = 'open';
      update.closed_at = null;
      update.free_text_enc = ctx.cipher.encrypt(JSON.stringify({ ...text, closure_reason: null }), `cases.free_text:${row.id}`);
      changed = ['status', 'closed_at', 'closure_reason'];
    } else {
      update.stage = body.to;
      changed = ['stage'];
    }
    await trx.updateTable('cases').set(update).where('id', '=', row.id).execute();
    await recordAudit(trx, actorOf(input), [{ action: 'case.transition', targetType: 'case', targetId: row.id, changedFields: changed }]);
    if (body.to === 'closed') {
      await recordEvent(
        trx,
        ctx.dialect,
        { type: 'case.closed', mode: key.mode, organizationIds: [row.organization_id], data: { case_id: row.id } },
        now,
      );
    }
    const updated = { ...row, ...update };
    return respondInTransaction(c, trx, 200, caseFromRow(input, updated, (await reportIdsOf(trx, [row.id])).get(row.id) ?? []));
  });
};

const caseHistory: OperationHandler = async (input) => {
  const row = await ownCase(input.ctx.db, input, input.params.id);
  return historyResponse(input, input.ctx.db, 'case', row.id);
};

function consentStatus(row: ConsentsTable, now: number): Consent['status'] {
  if (row.status === 'active' && row.expires_at !== null && row.expires_at <= isoAt(now)) return 'expired';
  return row.status as Consent['status'];
}

/** A stored consent in its wire shape. */
export function consentFromRow(input: Pick<HandlerInput, 'ctx' | 'now'>, row: ConsentsTable): Consent {
  return {
    id: row.id,
    case_id: row.case_id,
    organization_id: row.organization_id,
    grantor: row.grantor as Consent['grantor'],
    basis: row.basis as Consent['basis'],
    scope: json<Consent['scope']>(row.scope),
    status: consentStatus(row, input.now),
    obtained_at: row.obtained_at,
    expires_at: row.expires_at,
    withdrawn_at: row.withdrawn_at,
    withdrawal_reason:
      row.withdrawal_reason_enc === null
        ? null
        : input.ctx.cipher.decrypt(row.withdrawal_reason_enc, `consents.withdrawal_reason:${row.id}`),
    created_at: row.created_at,
  };
}

const createConsent: OperationHandler = async (input) => {
  const { c, ctx, key, now } = input;
  const body = input.body as ConsentCreate;
  return writeTransaction(ctx.db, async (trx) => {
    const kase = await ownCase(trx, input, body.case_id);
    const row: ConsentsTable = {
      id: newId(),
      mode: key.mode,
      case_id: kase.id,
      organization_id: kase.organization_id,
      grantor: body.grantor,
      basis: body.basis,
      status: 'active',
      scope: JSON.stringify(body.scope),
      obtained_at: isoAt(Date.parse(body.obtained_at)),
      expires_at: body.expires_at === undefined ? null : isoAt(Date.parse(body.expires_at)),
      withdrawn_at: null,
      withdrawal_reason_enc: null,
      created_at: isoAt(now),
      updated_at: isoAt(now),
    };
    await trx.insertInto('consents').values(row).execute();
    await recordAudit(trx, actorOf(input), [
      { action: 'consent.create', targetType: 'consent', targetId: row.id, changedFields: Object.keys(body) },
      { action: 'case.add_consent', targetType: 'case', targetId: kase.id, changedFields: ['consents'] },
    ]);
    return respondInTransaction(c, trx, 201, consentFromRow(input, row));
  });
};

async function ownConsent(db: Kysely<Database>, input: Pick<HandlerInput, 'key'>, id: string | undefined): Promise<ConsentsTable> {
  const row = await db
    .selectFrom('consents')
    .selectAll()
    .where('id', '=', id ?? '')
    .where('mode', '=', input.key.mode)
    .where('organization_id', '=', input.key.organization_id)
    .executeTakeFirst();
  if (row === undefined) throw notFound('consent', id);
  return row;
}

const withdrawConsent: OperationHandler = async (input) => {
  const { c, ctx, key, now } = input;
  const body = input.body as ConsentWithdraw;
  return writeTransaction(ctx.db, async (trx) => {
    const row = await ownConsent(trx, input, input.params.id);
    // The consent of an erased case keeps no new free text: it is gone with the case.
    await ownCase(trx, input, row.case_id).catch(() => {
      throw notFound('consent', input.params.id);
    });
    const status = consentStatus(row, now);
    if (status !== 'active') throw new HttpProblem('invalid-transition', { detail: `Consent ${row.id} is ${status}, not active.` });
    const update = {
      status: 'withdrawn',
      withdrawn_at: isoAt(now),
      updated_at: isoAt(now),
      withdrawal_reason_enc: body.reason === undefined ? null : ctx.cipher.encrypt(body.reason, `consents.withdrawal_reason:${row.id}`),
    };
    await trx.updateTable('consents').set(update).where('id', '=', row.id).execute();
    await recordAudit(trx, actorOf(input), [
      {
        action: 'consent.withdraw',
        targetType: 'consent',
        targetId: row.id,
        changedFields: ['status', 'withdrawn_at', 'withdrawal_reason'],
      },
    ]);
    await recordEvent(
      trx,
      ctx.dialect,
      {
        type: 'consent.withdrawn',
        mode: key.mode,
        organizationIds: [row.organization_id],
        data: { consent_id: row.id, case_id: row.case_id },
      },
      now,
    );
    // The organisations that received case data under this consent hear of it at once, one event
    // per open referral (ids only), instead of from a refused read later.
    const shared = await trx
      .selectFrom('referrals')
      .select(['id', 'receiving_organization_id'])
      .where('consent_id', '=', row.id)
      .where('mode', '=', key.mode)
      .where('status', 'in', [...CASE_SUMMARY_STATUSES])
      .where('receiving_organization_id', '!=', row.organization_id)
      .orderBy('id')
      .execute();
    for (const referral of shared) {
      await recordEvent(
        trx,
        ctx.dialect,
        {
          type: 'consent.withdrawn',
          mode: key.mode,
          organizationIds: [referral.receiving_organization_id],
          data: { consent_id: row.id, case_id: row.case_id, referral_id: referral.id },
        },
        now,
      );
    }
    return respondInTransaction(c, trx, 200, consentFromRow(input, { ...row, ...update }));
  });
};

const listConsents: OperationHandler = async (input) => {
  const { ctx, key, now } = input;
  const query = input.query as ConsentListQuery;
  let select = ctx.db.selectFrom('consents').selectAll().where('mode', '=', key.mode).where('organization_id', '=', key.organization_id);
  if (query.case_id !== undefined) select = select.where('case_id', '=', query.case_id);
  const nowIso = isoAt(now);
  if (query.status === 'active') {
    select = select.where('status', '=', 'active').where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', nowIso)]));
  } else if (query.status === 'expired') {
    select = select.where('status', '=', 'active').where('expires_at', '<=', nowIso);
  } else if (query.status === 'withdrawn') {
    select = select.where('status', '=', 'withdrawn');
  }
  const { page, next_page_token } = await keysetPage(select, {
    orderBy: 'created_at',
    keyOf: (r) => [r.created_at, r.id],
    pageSize: query.page_size,
    pageToken: query.page_token,
  });
  await recordAudit(
    ctx.db,
    actorOf(input),
    page.map((r) => ({ action: 'consent.read', targetType: 'consent', targetId: r.id })),
  );
  return Response.json({ data: page.map((r) => consentFromRow(input, r)), next_page_token });
};

/** The case and consent operations. */
export const caseHandlers: Readonly<Record<string, OperationHandler>> = {
  'cases.open': openCase,
  'cases.get': getCase,
  'cases.list': listCases,
  'cases.transition': transitionCase,
  'cases.history': caseHistory,
  'consents.create': createConsent,
  'consents.withdraw': withdrawConsent,
  'consents.list': listConsents,
};
