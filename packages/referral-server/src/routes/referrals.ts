import {
  canTransition,
  consentCovers,
  type EventType,
  EVENT_TYPES,
  type Referral,
  type ReferralCreate,
  type ReferralListQuery,
  type ReferralStatus,
  type ReferralTransition,
  referralTransitionAction,
  transitionNeedsReason,
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
import { consentOverrideReasonContext, type ReferralData } from '../domain/stored-fields.js';
import type { Database, ReferralsTable } from '../storage/schema.js';
import { consentFromRow, ownCase } from './cases.js';
import { actorOf, historyResponse, json, notFound, requireAction, requireReason } from './common.js';
import { readReferralCase } from './referral-case.js';

/*
 * Only the referring organisation learns why consent was overridden; the organisation the
 * referral is addressed to sees that it was, by which key and when (DESIGN.md, Privacy).
 */
function consentOverrideOf(
  input: Pick<HandlerInput, 'ctx' | 'key'>,
  row: ReferralsTable,
  data: ReferralData,
): Referral['consent_override'] {
  const override = data.consent_override;
  if (override === null) return null;
  let reason: string | null = null;
  if (input.key.organization_id === row.referring_organization_id) {
    const sealed = data.consent_override_reason_enc;
    reason =
      sealed === undefined || sealed === null
        ? (override.reason ?? null)
        : input.ctx.cipher.decrypt(sealed, consentOverrideReasonContext(row.id));
  }
  return { reason, key_id: override.key_id, at: override.at };
}

function referralFromRow(input: Pick<HandlerInput, 'ctx' | 'key'>, row: ReferralsTable): Referral {
  const data = json<ReferralData>(row.data);
  return {
    id: row.id,
    case_id: row.case_id,
    service_id: row.service_id,
    service_type: row.service_type as Referral['service_type'],
    organization_id: row.receiving_organization_id,
    referring_organization_id: row.referring_organization_id,
    status: row.status as ReferralStatus,
    status_reason:
      data.status_reason_enc === null ? null : input.ctx.cipher.decrypt(data.status_reason_enc, `referrals.status_reason:${row.id}`),
    urgency: data.urgency,
    note: data.note_enc === null ? null : input.ctx.cipher.decrypt(data.note_enc, `referrals.note:${row.id}`),
    consent_id: row.consent_id,
    consent_override: consentOverrideOf(input, row, data),
    created_at: row.created_at,
    updated_at: row.updated_at,
    requested_at: data.requested_at,
  };
}

/**
 * A referral the caller may see: its own organisation referred it, or it is addressed to the
 * caller's organisation and has left draft. Anything else is 404.
 */
async function visibleReferral(db: Kysely<Database>, input: Pick<HandlerInput, 'key'>, id: string | undefined): Promise<ReferralsTable> {
  const org = input.key.organization_id;
  const row = await db
    .selectFrom('referrals')
    .selectAll()
    .where('id', '=', id ?? '')
    .where('mode', '=', input.key.mode)
    .where((eb) =>
      eb.or([eb('referring_organization_id', '=', org), eb.and([eb('receiving_organization_id', '=', org), eb('status', '!=', 'draft')])]),
    )
    .executeTakeFirst();
  if (row === undefined) throw notFound('referral', id);
  return row;
}

const createReferral: OperationHandler = async (input) => {
  const { c, ctx, key, now } = input;
  const body = input.body as ReferralCreate;
  return writeTransaction(ctx.db, async (trx) => {
    const kase = await ownCase(trx, input, body.case_id);
    const service = await trx
      .selectFrom('services')
      .select(['id', 'organization_id', 'service_type'])
      .where('id', '=', body.service_id)
      .executeTakeFirst();
    if (service === undefined) throw notFound('service', body.service_id);
    if (body.consent_id !== undefined) {
      const consent = await trx
        .selectFrom('consents')
        .select('id')
        .where('id', '=', body.consent_id)
        .where('case_id', '=', kase.id)
        .where('mode', '=', key.mode)
        .executeTakeFirst();
      if (consent === undefined) throw notFound('consent', body.consent_id);
    }
    const id = newId();
    const data: ReferralData = {
      urgency: body.urgency ?? 'routine',
      note_enc: body.note === undefined ? null : ctx.cipher.encrypt(body.note, `referrals.note:${id}`),
      status_reason_enc: null,
      consent_override: null,
      consent_override_reason_enc: null,
      requested_at: null,
    };
    const row: ReferralsTable = {
      id,
      mode: key.mode,
      case_id: kase.id,
      referring_organization_id: kase.organization_id,
      receiving_organization_id: service.organization_id,
      service_id: service.id,
      service_type: service.service_type,
      status: 'draft',
      consent_id: body.consent_id ?? null,
      data: JSON.stringify(data),
      created_at: isoAt(now),
      updated_at: isoAt(now),
    };
    await trx.insertInto('referrals').values(row).execute();
    await recordAudit(trx, actorOf(input), [
      { action: 'referral.create', targetType: 'referral', targetId: id, changedFields: Object.keys(body) },
      { action: 'case.add_referral', targetType: 'case', targetId: kase.id, changedFields: ['referrals'] },
    ]);
    return respondInTransaction(c, trx, 201, referralFromRow(input, row));
  });
};

const getReferral: OperationHandler = async (input) => {
  const row = await visibleReferral(input.ctx.db, input, input.params.id);
  await recordAudit(input.ctx.db, actorOf(input), [{ action: 'referral.read', targetType: 'referral', targetId: row.id }]);
  return Response.json(referralFromRow(input, row));
};

const listReferrals: OperationHandler = async (input) => {
  const { ctx, key } = input;
  const query = input.query as ReferralListQuery;
  const org = key.organization_id;
  let select = ctx.db
    .selectFrom('referrals')
    .selectAll()
    .where('mode', '=', key.mode)
    .where((eb) =>
      eb.or([eb('referring_organization_id', '=', org), eb.and([eb('receiving_organization_id', '=', org), eb('status', '!=', 'draft')])]),
    );
  if (query.status !== undefined) select = select.where('status', '=', query.status);
  if (query.case_id !== undefined) select = select.where('case_id', '=', query.case_id);
  if (query.service_type !== undefined) select = select.where('service_type', '=', query.service_type);
  if (query.organization_id !== undefined) select = select.where('receiving_organization_id', '=', query.organization_id);
  if (query.updated_since !== undefined) select = select.where('updated_at', '>=', isoAt(Date.parse(query.updated_since)));
  const { page, next_page_token } = await keysetPage(select, {
    orderBy: 'created_at',
    keyOf: (r) => [r.created_at, r.id],
    pageSize: query.page_size,
    pageToken: query.page_token,
  });
  await recordAudit(
    ctx.db,
    actorOf(input),
    page.map((r) => ({ action: 'referral.read', targetType: 'referral', targetId: r.id })),
  );
  return Response.json({ data: page.map((r) => referralFromRow(input, r)), next_page_token });
};

const transitionReferral: OperationHandler = async (input) => {
  const { c, ctx, key, now } = input;
  const body = input.body as ReferralTransition;
  const action = referralTransitionAction(body.to);
  if (action === null) throw new HttpProblem('invalid-transition', { detail: 'No referral moves back to draft.' });
  requireAction(input, action);
  return writeTransaction(ctx.db, async (trx) => {
    const row = await visibleReferral(trx, input, input.params.id);
    // Requesting and cancelling belong to the referring side, responding to the receiving side.
    const side = action === 'referrals:respond' ? row.receiving_organization_id : row.referring_organization_id;
    if (side !== key.organization_id) {
      throw new HttpProblem('forbidden', {
        detail:
          action === 'referrals:respond'
            ? 'Only the receiving organisation responds to a referral.'
            : 'Only the referring organisation requests or cancels a referral.',
      });
    }
    const from = row.status as ReferralStatus;
    if (!canTransition(from, body.to)) {
      throw new HttpProblem('invalid-transition', { detail: `A referral in ${from} cannot move to ${body.to}.` });
    }
    const reason = transitionNeedsReason(from, body.to) ? requireReason(body.reason, `to move a referral to ${body.to}`) : body.reason;
    if (reason !== undefined || body.override !== undefined) {
      const kase = await trx.selectFrom('cases').select('erased_at').where('id', '=', row.case_id).executeTakeFirst();
      if (kase?.erased_at !== null && kase?.erased_at !== undefined) {
        throw new HttpProblem('invalid-transition', {
          detail: `The case of referral ${row.id} was erased: no reason or override is recorded for it any more.`,
        });
      }
    }
    const data = json<ReferralData>(row.data);
    const changed = ['status'];
    let consentId = row.consent_id;
    if (body.to === 'requested') {
      const consents = await trx
        .selectFrom('consents')
        .selectAll()
        .where('case_id', '=', row.case_id)
        .where('mode', '=', key.mode)
        .execute();
      const target = {
        case_id: row.case_id,
        service_type: row.service_type as Referral['service_type'],
        organization_id: row.receiving_organization_id,
      };
      const candidates = row.consent_id === null ? consents : consents.filter((consent) => consent.id === row.consent_id);
      const covering = candidates.find((consent) => consentCovers(consentFromRow(input, consent), target, new Date(now)));
      if (covering !== undefined) {
        consentId = covering.id;
        changed.push('consent_id');
      } else if (body.override !== undefined) {
        requireAction(input, 'consent:override');
        data.consent_override = { key_id: key.id, at: isoAt(now) };
        data.consent_override_reason_enc = ctx.cipher.encrypt(body.override.reason, consentOverrideReasonContext(row.id));
        changed.push('consent_override');
      } else {
        throw new HttpProblem('consent-required', {
          detail: `No active consent of case ${row.case_id} covers ${row.service_type} at organisation ${row.receiving_organization_id}; record one, or a supervisor overrides with a reason.`,
        });
      }
      data.requested_at = isoAt(now);
      changed.push('requested_at');
    }
    if (reason !== undefined) {
      data.status_reason_enc = ctx.cipher.encrypt(reason, `referrals.status_reason:${row.id}`);
      changed.push('status_reason');
    }
    const update = { status: body.to, consent_id: consentId, data: JSON.stringify(data), updated_at: isoAt(now) };
    await trx.updateTable('referrals').set(update).where('id', '=', row.id).execute();
    await recordAudit(trx, actorOf(input), [
      { action: 'referral.transition', targetType: 'referral', targetId: row.id, changedFields: changed },
    ]);
    const eventType = `referral.${body.to}`;
    if ((EVENT_TYPES as readonly string[]).includes(eventType)) {
      await recordEvent(
        trx,
        ctx.dialect,
        {
          type: eventType as EventType,
          mode: key.mode,
          organizationIds: [row.referring_organization_id, row.receiving_organization_id],
          data: { referral_id: row.id, case_id: row.case_id, service_id: row.service_id },
        },
        now,
      );
    }
    return respondInTransaction(c, trx, 200, referralFromRow(input, { ...row, ...update }));
  });
};

const referralHistory: OperationHandler = async (input) => {
  const row = await visibleReferral(input.ctx.db, input, input.params.id);
  return historyResponse(input, input.ctx.db, 'referral', row.id);
};

/** The referral operations. */
export const referralHandlers: Readonly<Record<string, OperationHandler>> = {
  'referrals.create': createReferral,
  'referrals.get': getReferral,
  'referrals.list': listReferrals,
  'referrals.transition': transitionReferral,
  'referrals.history': referralHistory,
  'referrals.case': readReferralCase,
};
