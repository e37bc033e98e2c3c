import {
  type ApiKeyCreate,
  type ApiKeyListQuery,
  type AuditListQuery,
  can,
  type Erasure,
  type ErasureCreate,
  PLATFORM_TARGET_TYPES,
  type Role,
  type RoutingTable,
  type RoutingTableUpdate,
} from '@tahaffuz/referral-contract';
import type { Kysely } from 'kysely';
import { isoAt } from '../clock.js';
import { recordAudit } from '../domain/audit.js';
import { replaceRouting } from '../directory/directory-store.js';
import { requireLiveKey } from '../directory/shared-directory.js';
import { eraseObject } from '../domain/erasure.js';
import { announceRoutingChanged, routingChangedOrganizations } from '../domain/platform-changes.js';
import { NATIONAL_DEFAULT } from '../domain/routing.js';
import { isReferralServerError } from '../errors.js';
import type { HandlerInput, OperationHandler } from '../http/create-app.js';
import { HttpProblem } from '../http/http-problem.js';
import { respondInTransaction, writeTransaction } from '../http/respond.js';
import { newId } from '../ids.js';
import { apiKeyFromRow, createApiKey } from '../keys/api-keys.js';
import { keysetPage } from '../storage/keyset-page.js';
import type { Database } from '../storage/schema.js';
import { inTransaction } from '../storage/transaction.js';
import { actorOf, auditFromRow, notFound } from './common.js';

/** Whether the key may act on other organisations' keys (the operator); an admin acts on its own only. */
function managesAnyOrganization(key: HandlerInput['key']): boolean {
  return key.role !== null && can(key.role as Role, 'keys:manage_any');
}

async function routingTable(db: Kysely<Database>): Promise<RoutingTable | undefined> {
  const rows = await db.selectFrom('routing').selectAll().orderBy('admin_area').execute();
  const fallback = rows.find((r) => r.admin_area === NATIONAL_DEFAULT);
  if (fallback === undefined) return undefined;
  const rules = rows.filter((r) => r.admin_area !== NATIONAL_DEFAULT);
  return {
    default_organization_id: fallback.organization_id,
    rules: rules.map((r) => ({ admin_area: r.admin_area, organization_id: r.organization_id })),
    updated_at:
      rows
        .map((r) => r.updated_at)
        .sort()
        .at(-1) ?? fallback.updated_at,
  };
}

const getRouting: OperationHandler = async ({ ctx }) => {
  const table = await routingTable(ctx.db);
  if (table === undefined) throw new HttpProblem('not-found', { detail: 'No routing table is configured yet; PUT one.' });
  return Response.json(table);
};

const updateRouting: OperationHandler = async (input) => {
  const body = input.body as RoutingTableUpdate;
  requireLiveKey(input, 'routing.update');
  return inTransaction(input.ctx.db, async (trx) => {
    const ids = [...new Set([body.default_organization_id, ...body.rules.map((r) => r.organization_id)])];
    const found = new Set((await trx.selectFrom('organizations').select('id').where('id', 'in', ids).execute()).map((r) => r.id));
    const params = [
      ...(found.has(body.default_organization_id) ? [] : [{ name: 'default_organization_id', reason: 'no such organization' }]),
      ...body.rules.flatMap((rule, i) =>
        found.has(rule.organization_id) ? [] : [{ name: `rules[${i}].organization_id`, reason: 'no such organization' }],
      ),
    ];
    if (params.length > 0) throw new HttpProblem('validation', { invalidParams: params });
    // Concurrent PUTs replace the table one after another (see replaceRouting), never a 500.
    const before = await trx.selectFrom('routing').select(['admin_area', 'organization_id']).execute();
    await replaceRouting(trx, body, input.now);
    const after = await trx.selectFrom('routing').select(['admin_area', 'organization_id']).execute();
    await announceRoutingChanged(trx, input.ctx.dialect, routingChangedOrganizations(before, after), input.now);
    await recordAudit(trx, actorOf(input), [
      {
        action: 'routing_table.update',
        targetType: 'routing_table',
        targetId: newId(),
        changedFields: ['default_organization_id', 'rules'],
      },
    ]);
    return Response.json(await routingTable(trx));
  });
};

const createKey: OperationHandler = async (input) => {
  const body = input.body as ApiKeyCreate;
  const operator = managesAnyOrganization(input.key);
  if (!operator && body.organization_id !== input.key.organization_id) {
    throw new HttpProblem('forbidden', {
      detail:
        "An admin key manages its own organisation's keys only; other organisations' keys come from their admins, the operator or the CLI.",
    });
  }
  // An operator key may change the routing table: only the operator (or the CLI) hands one out.
  if (!operator && body.kind === 'secret' && body.role === 'operator') {
    throw new HttpProblem('forbidden', {
      detail: 'Only an operator key (or "tahaffuz-server keys create --role operator") creates operator keys.',
    });
  }
  if (body.mode !== input.key.mode) {
    throw new HttpProblem('forbidden', { detail: `A ${input.key.mode} key creates ${input.key.mode} keys only.` });
  }
  return writeTransaction(input.ctx.db, async (trx) => {
    let created: Awaited<ReturnType<typeof createApiKey>>;
    try {
      created =
        body.kind === 'secret'
          ? await createApiKey(
              trx,
              { kind: 'secret', mode: body.mode, organizationId: body.organization_id, role: body.role, name: body.name },
              input.ctx.clock,
            )
          : await createApiKey(
              trx,
              {
                kind: 'publishable',
                mode: body.mode,
                organizationId: body.organization_id,
                allowedOrigins: body.allowed_origins,
                name: body.name,
              },
              input.ctx.clock,
            );
    } catch (error) {
      if (isReferralServerError(error) && error.code === 'not_found') {
        throw new HttpProblem('validation', { invalidParams: [{ name: 'organization_id', reason: 'no such organization' }] });
      }
      throw error;
    }
    await recordAudit(trx, actorOf(input), [
      { action: 'api_key.create', targetType: 'api_key', targetId: created.record.id, changedFields: Object.keys(body) },
    ]);
    return respondInTransaction(input.c, trx, 201, { ...created.record, key: created.key });
  });
};

const listKeys: OperationHandler = async ({ ctx, key, query: raw }) => {
  const query = raw as ApiKeyListQuery;
  // Without organization_id, the key's own organisation. Another one's keys only for the operator:
  // an admin naming another organisation gets an empty list, as before.
  const organizationId = query.organization_id ?? key.organization_id;
  let select = ctx.db.selectFrom('api_keys').selectAll().where('organization_id', '=', organizationId).where('mode', '=', key.mode);
  if (!managesAnyOrganization(key)) select = select.where('organization_id', '=', key.organization_id);
  const { page, next_page_token } = await keysetPage(select, {
    orderBy: 'created_at',
    keyOf: (r) => [r.created_at, r.id],
    pageSize: query.page_size,
    pageToken: query.page_token,
  });
  return Response.json({ data: page.map(apiKeyFromRow), next_page_token });
};

const revokeKey: OperationHandler = async (input) =>
  writeTransaction(input.ctx.db, async (trx) => {
    let select = trx
      .selectFrom('api_keys')
      .selectAll()
      .where('id', '=', input.params.id ?? '')
      .where('mode', '=', input.key.mode);
    if (!managesAnyOrganization(input.key)) select = select.where('organization_id', '=', input.key.organization_id);
    const row = await select.executeTakeFirst();
    if (row === undefined) throw notFound('key', input.params.id);
    const revoked = { ...row, revoked_at: row.revoked_at ?? isoAt(input.now) };
    if (row.revoked_at === null) {
      await trx.updateTable('api_keys').set({ revoked_at: revoked.revoked_at }).where('id', '=', row.id).execute();
      await recordAudit(trx, actorOf(input), [
        { action: 'api_key.revoke', targetType: 'api_key', targetId: row.id, changedFields: ['revoked_at'] },
      ]);
    }
    return respondInTransaction(input.c, trx, 200, apiKeyFromRow(revoked));
  });

const createErasure: OperationHandler = async (input) => {
  const body = input.body as ErasureCreate;
  // Only an object of the admin's own organisation (and mode) can be erased; anything else is 404.
  const owned =
    body.target_type === 'report'
      ? await input.ctx.db
          .selectFrom('reports')
          .select('id')
          .where('id', '=', body.target_id)
          .where('mode', '=', input.key.mode)
          .where('routed_organization_id', '=', input.key.organization_id)
          .executeTakeFirst()
      : await input.ctx.db
          .selectFrom('cases')
          .select('id')
          .where('id', '=', body.target_id)
          .where('mode', '=', input.key.mode)
          .where('organization_id', '=', input.key.organization_id)
          .executeTakeFirst();
  if (owned === undefined) throw notFound(body.target_type, body.target_id);
  const erased = await eraseObject(input.ctx.db, body.target_type, body.target_id, {
    key: input.key,
    requestId: input.requestId,
    now: input.now,
    journal: input.ctx.erasureJournal,
  });
  input.c.set('checkpointWal', true);
  if (!erased) throw notFound(body.target_type, body.target_id);
  const erasure: Erasure = { id: newId(), target_type: body.target_type, target_id: body.target_id, erased_at: isoAt(input.now) };
  return writeTransaction(input.ctx.db, async (trx) => {
    await recordAudit(trx, actorOf(input), [
      { action: 'erasure.create', targetType: 'erasure', targetId: erasure.id, changedFields: ['target_type', 'target_id', 'reason'] },
    ]);
    return respondInTransaction(input.c, trx, 201, erasure);
  });
};

/*
 * The audit of platform changes in the key's mode (directory and routing changes are live, keys
 * of either mode). Reads of case or report data are not listed: the operator reads no case data.
 */
const listAudit: OperationHandler = async ({ ctx, key, query: raw }) => {
  const query = raw as AuditListQuery;
  let select = ctx.db
    .selectFrom('audit_events')
    .selectAll()
    .where('mode', '=', key.mode)
    .where('target_type', 'in', query.target_type === undefined ? [...PLATFORM_TARGET_TYPES] : [query.target_type]);
  if (query.target_id !== undefined) select = select.where('target_id', '=', query.target_id);
  const { page, next_page_token } = await keysetPage(select, {
    orderBy: 'at',
    keyOf: (r) => [r.at, r.id],
    pageSize: query.page_size,
    pageToken: query.page_token,
  });
  return Response.json({ data: page.map(auditFromRow), next_page_token });
};

/** The admin and operator operations: routing table, keys, erasure, the audit of platform changes. */
export const adminHandlers: Readonly<Record<string, OperationHandler>> = {
  'audit.list': listAudit,
  'routing.get': getRouting,
  'routing.update': updateRouting,
  'keys.create': createKey,
  'keys.list': listKeys,
  'keys.revoke': revokeKey,
  'erasures.create': createErasure,
};
