import {
  CONFIDENTIAL_ADDRESS_ROLES,
  CONFIDENTIAL_ADDRESS_STATUSES,
  can,
  type Organization,
  type OrganizationCreate,
  type OrganizationSearchQuery,
  type Service,
  type ServiceCapacityUpdate,
  type ServiceCreate,
  type ServiceSearchQuery,
  type ReferralStatus,
  type Role,
  referrerSeesConfidentialAddress,
} from '@tahaffuz/referral-contract';
import { type Kysely, sql } from 'kysely';
import { isoAt } from '../clock.js';
import { type AuditInput, recordAudit } from '../domain/audit.js';
import { announceDirectoryChanged, BOTH_MODES } from '../domain/platform-changes.js';
import { insertOrganization, insertService } from '../directory/directory-store.js';
import { requireLiveKey } from '../directory/shared-directory.js';
import type { HandlerInput, OperationHandler } from '../http/create-app.js';
import { HttpProblem } from '../http/http-problem.js';
import { respondInTransaction, writeTransaction } from '../http/respond.js';
import { keysetPage } from '../storage/keyset-page.js';
import type { Database, OrganizationsTable, ServiceCapacityTable, ServicesTable } from '../storage/schema.js';
import { actorOf, json, notFound } from './common.js';

type OrganizationData = Omit<OrganizationCreate, 'name'>;
type ServiceData = Omit<ServiceCreate, 'organization_id' | 'service_type' | 'capacity' | 'coverage'> & {
  status?: Service['status'];
  available_places?: number | null;
  capacity_updated_at?: string;
};

/** Whether the key edits every organisation's directory entries (the operator), not only its own. */
function editsAnyEntry(key: HandlerInput['key']): boolean {
  return key.role !== null && can(key.role as Role, 'directory:manage');
}

function organizationFromRow(row: OrganizationsTable): Organization {
  const data = json<OrganizationData>(row.data);
  return {
    id: row.id,
    name: row.name,
    kind: data.kind,
    description: data.description ?? null,
    url: data.url ?? null,
    email: data.email ?? null,
    phone: data.phone ?? null,
    admin_areas: data.admin_areas,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** Whether `area` lies in (or is) one of `coverage`. */
function covers(coverage: readonly string[], area: string): boolean {
  return coverage.some((c) => area === c || area.startsWith(`${c}-`) || c.startsWith(`${area}-`));
}

/** The capacity rows of `mode` for these services (live capacity is the service row's own). */
async function modeCapacities(db: Kysely<Database>, mode: string, ids: readonly string[]): Promise<Map<string, ServiceCapacityTable>> {
  if (mode === 'live' || ids.length === 0) return new Map();
  const rows = await db.selectFrom('service_capacity').selectAll().where('mode', '=', mode).where('service_id', 'in', ids).execute();
  return new Map(rows.map((row) => [row.service_id, row]));
}

function serviceFromRow(row: ServicesTable, showAddress: boolean, modeCapacity?: ServiceCapacityTable): Service {
  const data = json<ServiceData>(row.data);
  const capacity =
    modeCapacity === undefined
      ? {
          capacity: row.capacity as Service['capacity'],
          available_places: data.available_places ?? null,
          capacity_updated_at: data.capacity_updated_at ?? row.updated_at,
        }
      : {
          capacity: modeCapacity.capacity as Service['capacity'],
          available_places: modeCapacity.available_places,
          capacity_updated_at: modeCapacity.updated_at,
        };
  return {
    id: row.id,
    organization_id: row.organization_id,
    name: data.name,
    description: data.description ?? null,
    service_type: row.service_type as Service['service_type'],
    status: data.status ?? 'active',
    coverage: json<string[]>(row.coverage),
    languages: data.languages,
    age_min: data.age_min ?? null,
    age_max: data.age_max ?? null,
    genders: data.genders ?? [],
    ...capacity,
    confidential_address: data.confidential_address,
    // A shelter's confidential address: for its own organisation, and for the referring organisation's
    // caseworkers and supervisors once the shelter accepted their referral (addressesVisibleFor).
    address: data.confidential_address && !showAddress ? null : (data.address ?? null),
    phone: data.phone ?? null,
    email: data.email ?? null,
    url: data.url ?? null,
    created_at: row.created_at,
    updated_at: modeCapacity !== undefined && modeCapacity.updated_at > row.updated_at ? modeCapacity.updated_at : row.updated_at,
  };
}

/**
 * The confidential addresses this key reads among `services`: its own organisation's, and those of
 * services its organisation's referrals (in the key's mode) have been accepted by, for caseworkers
 * and supervisors. Maps each service whose address is shown to the referrals that let it be.
 */
async function addressesVisibleFor(
  db: Kysely<Database>,
  key: HandlerInput['key'],
  services: readonly ServicesTable[],
): Promise<Map<string, string[]>> {
  const visible = new Map<string, string[]>();
  for (const s of services) if (s.organization_id === key.organization_id) visible.set(s.id, []);
  const confidential = services.filter((s) => !visible.has(s.id) && json<ServiceData>(s.data).confidential_address).map((s) => s.id);
  const role = key.role as Role | null;
  if (confidential.length === 0 || role === null || !(CONFIDENTIAL_ADDRESS_ROLES as readonly Role[]).includes(role)) return visible;
  const accepted = await db
    .selectFrom('referrals')
    .select(['id', 'service_id', 'status'])
    .where('service_id', 'in', confidential)
    .where('referring_organization_id', '=', key.organization_id)
    .where('mode', '=', key.mode)
    .where('status', 'in', [...CONFIDENTIAL_ADDRESS_STATUSES])
    .execute();
  for (const r of accepted) {
    if (!referrerSeesConfidentialAddress(role, r.status as ReferralStatus)) continue;
    visible.set(r.service_id, [...(visible.get(r.service_id) ?? []), r.id]);
  }
  return visible;
}

/** Services as this key sees them; every confidential address shown is audited, on the service and on each referral that allowed it. */
async function servicesFor(input: HandlerInput, rows: readonly ServicesTable[]): Promise<Service[]> {
  const { ctx } = input;
  const visible = await addressesVisibleFor(ctx.db, input.key, rows);
  const capacities = await modeCapacities(
    ctx.db,
    input.key.mode,
    rows.map((r) => r.id),
  );
  const services = rows.map((r) => serviceFromRow(r, visible.has(r.id), capacities.get(r.id)));
  const audits: AuditInput[] = [];
  for (const service of services) {
    if (!service.confidential_address || service.address === null) continue;
    audits.push({ action: 'service.read_address', targetType: 'service', targetId: service.id, changedFields: ['address'] });
    for (const referralId of visible.get(service.id) ?? []) {
      audits.push({ action: 'referral.read_service_address', targetType: 'referral', targetId: referralId, changedFields: ['address'] });
    }
  }
  await recordAudit(ctx.db, actorOf(input), audits);
  return services;
}

const listOrganizations: OperationHandler = async ({ ctx, query: raw }) => {
  const query = raw as OrganizationSearchQuery;
  let select = ctx.db.selectFrom('organizations').selectAll();
  if (query.q !== undefined) select = select.where('name', 'like', `%${query.q.replace(/[%_\\]/g, '')}%`);
  // Kind and area are JSON fields: filtered in code, the scan going on until the page is full.
  const filtered = query.kind !== undefined || query.admin_area !== undefined;
  const { page, next_page_token } = await keysetPage(select, {
    orderBy: 'name',
    keyOf: (r) => [r.name, r.id],
    pageSize: query.page_size,
    pageToken: query.page_token,
    ...(filtered
      ? {
          filter: (row: OrganizationsTable) => {
            const org = organizationFromRow(row);
            return (
              (query.kind === undefined || org.kind === query.kind) &&
              (query.admin_area === undefined || covers(org.admin_areas, query.admin_area))
            );
          },
        }
      : {}),
  });
  return Response.json({ data: page.map(organizationFromRow), next_page_token });
};

const getOrganization: OperationHandler = async ({ ctx, params }) => {
  const row = await ctx.db
    .selectFrom('organizations')
    .selectAll()
    .where('id', '=', params.id ?? '')
    .executeTakeFirst();
  if (row === undefined) throw notFound('organization', params.id);
  return Response.json(organizationFromRow(row));
};

const createOrganization: OperationHandler = async (input) => {
  const body = input.body as OrganizationCreate;
  requireLiveKey(input, 'organizations.create');
  return writeTransaction(input.ctx.db, async (trx) => {
    const id = await insertOrganization(trx, body, { now: input.now });
    await recordAudit(trx, actorOf(input), [
      { action: 'organization.create', targetType: 'organization', targetId: id, changedFields: Object.keys(body) },
    ]);
    await announceDirectoryChanged(trx, input.ctx.dialect, { organizationId: id, modes: BOTH_MODES }, input.now);
    const row = await trx.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    return respondInTransaction(input.c, trx, 201, organizationFromRow(row));
  });
};

const listServices: OperationHandler = async (input) => {
  const { ctx } = input;
  const query = input.query as ServiceSearchQuery;
  let select = ctx.db.selectFrom('services').selectAll();
  if (query.service_type !== undefined) select = select.where('service_type', '=', query.service_type);
  if (query.capacity !== undefined) {
    // The capacity this key's mode sees: its own row for the service if any, else the live one.
    const wanted = query.capacity;
    select =
      input.key.mode === 'live'
        ? select.where('capacity', '=', wanted)
        : select.where(
            sql<string>`coalesce((select sc.capacity from service_capacity sc where sc.service_id = services.id and sc.mode = ${input.key.mode}), services.capacity)`,
            '=',
            wanted,
          );
  }
  if (query.organization_id !== undefined) select = select.where('organization_id', '=', query.organization_id);
  // Coverage, languages and ages are JSON fields: filtered in code, the scan going on until the page is full.
  const filtered = query.admin_area !== undefined || query.language !== undefined || query.age !== undefined;
  const { page, next_page_token } = await keysetPage(select, {
    orderBy: 'created_at',
    keyOf: (r) => [r.created_at, r.id],
    pageSize: query.page_size,
    pageToken: query.page_token,
    ...(filtered
      ? {
          filter: (row: ServicesTable) => {
            const data = json<ServiceData>(row.data);
            if (query.admin_area !== undefined && !covers(json<string[]>(row.coverage), query.admin_area)) return false;
            if (query.language !== undefined && !data.languages.includes(query.language)) return false;
            if (query.age !== undefined && ((data.age_min ?? 0) > query.age || (data.age_max ?? 120) < query.age)) return false;
            return true;
          },
        }
      : {}),
  });
  return Response.json({ data: await servicesFor(input, page), next_page_token });
};

const getService: OperationHandler = async (input) => {
  const row = await input.ctx.db
    .selectFrom('services')
    .selectAll()
    .where('id', '=', input.params.id ?? '')
    .executeTakeFirst();
  if (row === undefined) throw notFound('service', input.params.id);
  const [service] = await servicesFor(input, [row]);
  return Response.json(service);
};

const createService: OperationHandler = async (input) => {
  const body = input.body as ServiceCreate;
  requireLiveKey(input, 'services.create');
  if (body.organization_id !== input.key.organization_id && !editsAnyEntry(input.key)) {
    throw new HttpProblem('forbidden', {
      detail: "An admin key adds services to its own organisation only; another organisation's entries are changed by the operator.",
    });
  }
  return writeTransaction(input.ctx.db, async (trx) => {
    const org = await trx.selectFrom('organizations').select('id').where('id', '=', body.organization_id).executeTakeFirst();
    if (org === undefined) throw notFound('organization', body.organization_id);
    const id = await insertService(trx, body, { now: input.now });
    await recordAudit(trx, actorOf(input), [
      { action: 'service.create', targetType: 'service', targetId: id, changedFields: Object.keys(body) },
    ]);
    await announceDirectoryChanged(
      trx,
      input.ctx.dialect,
      { organizationId: body.organization_id, serviceId: id, modes: BOTH_MODES },
      input.now,
    );
    const row = await trx.selectFrom('services').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    return respondInTransaction(input.c, trx, 201, serviceFromRow(row, true));
  });
};

/*
 * Live capacity is the service row's own, which both modes read unless a mode has its own row; a
 * test key writes the test row only, so a provider can try its integration without changing what
 * live referrals see (docs/decisions/0007-directory-modes.md).
 */
const updateCapacity: OperationHandler = async (input) => {
  const body = input.body as ServiceCapacityUpdate;
  return writeTransaction(input.ctx.db, async (trx) => {
    // Its own organisation's services for a provider or an admin; any organisation's for the operator.
    let select = trx
      .selectFrom('services')
      .selectAll()
      .where('id', '=', input.params.id ?? '');
    if (!editsAnyEntry(input.key)) select = select.where('organization_id', '=', input.key.organization_id);
    const row = await select.executeTakeFirst();
    if (row === undefined) throw notFound('service', input.params.id);
    const at = isoAt(input.now);
    const audit = { action: 'service.update_capacity', targetType: 'service' as const, targetId: row.id, changedFields: Object.keys(body) };
    // Capacity is per mode: the change is announced in the key's mode only.
    await announceDirectoryChanged(
      trx,
      input.ctx.dialect,
      { organizationId: row.organization_id, serviceId: row.id, modes: [input.key.mode] },
      input.now,
    );
    if (input.key.mode !== 'live') {
      const current = (await modeCapacities(trx, input.key.mode, [row.id])).get(row.id);
      const modeRow: ServiceCapacityTable = {
        service_id: row.id,
        mode: input.key.mode,
        capacity: body.capacity,
        available_places:
          body.available_places !== undefined
            ? body.available_places
            : (current?.available_places ?? json<ServiceData>(row.data).available_places ?? null),
        updated_at: at,
      };
      await trx
        .insertInto('service_capacity')
        .values(modeRow)
        .onConflict((oc) =>
          oc
            .columns(['service_id', 'mode'])
            .doUpdateSet({ capacity: modeRow.capacity, available_places: modeRow.available_places, updated_at: at }),
        )
        .execute();
      await recordAudit(trx, actorOf(input), [audit]);
      return respondInTransaction(input.c, trx, 200, serviceFromRow(row, true, modeRow));
    }
    const data: ServiceData = {
      ...json<ServiceData>(row.data),
      capacity_updated_at: at,
      ...(body.available_places === undefined ? {} : { available_places: body.available_places }),
    };
    const update = { capacity: body.capacity, data: JSON.stringify(data), updated_at: at };
    await trx.updateTable('services').set(update).where('id', '=', row.id).execute();
    await recordAudit(trx, actorOf(input), [audit]);
    return respondInTransaction(input.c, trx, 200, serviceFromRow({ ...row, ...update }, true));
  });
};

/** The directory operations. */
export const directoryHandlers: Readonly<Record<string, OperationHandler>> = {
  'organizations.list': listOrganizations,
  'organizations.get': getOrganization,
  'organizations.create': createOrganization,
  'services.list': listServices,
  'services.get': getService,
  'services.create': createService,
  'services.updateCapacity': updateCapacity,
};
