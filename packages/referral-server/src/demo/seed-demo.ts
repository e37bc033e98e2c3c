import type { OrganizationCreate, Role, RoutingTableUpdate, ServiceCreate } from '@tahaffuz/referral-contract';
import { ROLES } from '@tahaffuz/referral-contract';
import type { Kysely } from 'kysely';
import { type Clock, systemClock } from '../clock.js';
import { insertOrganization, insertService, replaceRouting } from '../directory/directory-store.js';
import { createApiKey } from '../keys/api-keys.js';
import type { Database, Mode } from '../storage/schema.js';

/*
 * A small directory for demos and tests. Every name starts with "DEMO" and every row is flagged
 * is_demo, so nobody mistakes it for a real directory of Pakistani organisations.
 */

/** Fixed ids of the demo organisations, so examples can name them. */
export const DEMO_ORGANIZATIONS = {
  nationalIntake: '6f1d2c3b-0000-4000-8000-000000000001',
  punjabIntake: '6f1d2c3b-0000-4000-8000-000000000002',
  sindhIntake: '6f1d2c3b-0000-4000-8000-000000000003',
  lahoreShelter: '6f1d2c3b-0000-4000-8000-000000000004',
  karachiLegalAid: '6f1d2c3b-0000-4000-8000-000000000005',
} as const;

/** Fixed ids of the demo services. */
export const DEMO_SERVICES = {
  lahoreShelter: '6f1d2c3b-0000-4000-8000-000000000101',
  lahorePsychosocial: '6f1d2c3b-0000-4000-8000-000000000102',
  karachiLegalAid: '6f1d2c3b-0000-4000-8000-000000000103',
} as const;

const ORGANIZATIONS: ReadonlyArray<readonly [string, OrganizationCreate]> = [
  [
    DEMO_ORGANIZATIONS.nationalIntake,
    { name: 'DEMO National Intake Desk', kind: 'government', admin_areas: ['PK'], description: 'Demo data: not a real organisation.' },
  ],
  [
    DEMO_ORGANIZATIONS.punjabIntake,
    {
      name: 'DEMO Punjab Child Protection Intake',
      kind: 'government',
      admin_areas: ['PK-PB'],
      description: 'Demo data: not a real organisation.',
    },
  ],
  [
    DEMO_ORGANIZATIONS.sindhIntake,
    {
      name: 'DEMO Sindh Child Protection Intake',
      kind: 'government',
      admin_areas: ['PK-SD'],
      description: 'Demo data: not a real organisation.',
    },
  ],
  [
    DEMO_ORGANIZATIONS.lahoreShelter,
    { name: 'DEMO Lahore Children’s Shelter', kind: 'ngo', admin_areas: ['PK-PB'], description: 'Demo data: not a real organisation.' },
  ],
  [
    DEMO_ORGANIZATIONS.karachiLegalAid,
    { name: 'DEMO Karachi Legal Aid Clinic', kind: 'legal', admin_areas: ['PK-SD'], description: 'Demo data: not a real organisation.' },
  ],
];

const SERVICES: ReadonlyArray<readonly [string, ServiceCreate]> = [
  [
    DEMO_SERVICES.lahoreShelter,
    {
      organization_id: DEMO_ORGANIZATIONS.lahoreShelter,
      name: 'DEMO Emergency shelter',
      service_type: 'shelter',
      coverage: ['PK-PB'],
      languages: ['ur', 'en', 'pa'],
      age_min: 5,
      age_max: 17,
      capacity: 'available',
      confidential_address: true,
    },
  ],
  [
    DEMO_SERVICES.lahorePsychosocial,
    {
      organization_id: DEMO_ORGANIZATIONS.lahoreShelter,
      name: 'DEMO Counselling',
      service_type: 'psychosocial',
      coverage: ['PK-PB'],
      languages: ['ur', 'en'],
      capacity: 'waitlist',
      confidential_address: false,
    },
  ],
  [
    DEMO_SERVICES.karachiLegalAid,
    {
      organization_id: DEMO_ORGANIZATIONS.karachiLegalAid,
      name: 'DEMO Legal aid for children',
      service_type: 'legal_aid',
      coverage: ['PK-SD'],
      languages: ['ur', 'sd', 'en'],
      capacity: 'available',
      confidential_address: false,
    },
  ],
];

/** The demo routing table: reports from each province go to its intake organisation, the rest to the national desk. */
export const DEMO_ROUTING = {
  default_organization_id: DEMO_ORGANIZATIONS.nationalIntake,
  rules: [
    { admin_area: 'PK-PB', organization_id: DEMO_ORGANIZATIONS.punjabIntake },
    { admin_area: 'PK-SD', organization_id: DEMO_ORGANIZATIONS.sindhIntake },
  ],
} as const satisfies RoutingTableUpdate;

/** What {@link seedDemo} made: the keys in plain text, shown once. */
export interface DemoSeed {
  readonly publishableKey: string;
  /**
   * One secret key per role: intake, caseworker and supervisor of the Punjab intake organisation,
   * provider of the Lahore shelter, admin and operator of the national desk (the operator is the
   * platform's own desk: routing, organisations, every organisation's directory entries).
   */
  readonly secretKeys: Readonly<Record<Role, string>>;
  /** An admin key of every demo organisation, by organisation id (its own keys, webhooks, services and capacity). */
  readonly adminKeys: Readonly<Record<string, string>>;
  /** An intake key of every intake organisation of the routing table, by organisation id (Punjab's is `secretKeys.intake`). */
  readonly intakeKeys: Readonly<Record<string, string>>;
}

/** The organisation each demo role's key (`DemoSeed.secretKeys`) belongs to. */
export const DEMO_ROLE_ORGANIZATION: Readonly<Record<Role, string>> = {
  intake: DEMO_ORGANIZATIONS.punjabIntake,
  caseworker: DEMO_ORGANIZATIONS.punjabIntake,
  supervisor: DEMO_ORGANIZATIONS.punjabIntake,
  provider: DEMO_ORGANIZATIONS.lahoreShelter,
  admin: DEMO_ORGANIZATIONS.nationalIntake,
  operator: DEMO_ORGANIZATIONS.nationalIntake,
};

/** The name of a demo organisation (for printing which key is whose). */
export function demoOrganizationName(id: string): string | undefined {
  return ORGANIZATIONS.find(([orgId]) => orgId === id)?.[1].name;
}

/**
 * Loads the demo directory and routing table (once; a second run keeps them) and creates one
 * publishable key, one secret key per role, an admin key per organisation and an intake key per
 * routed intake organisation.
 */
export async function seedDemo(
  db: Kysely<Database>,
  options: { mode?: Mode; origins?: readonly string[]; clock?: Clock } = {},
): Promise<DemoSeed> {
  const now = (options.clock ?? systemClock)();
  const mode = options.mode ?? 'test';
  const existing = await db.selectFrom('organizations').select('id').where('id', '=', DEMO_ORGANIZATIONS.nationalIntake).executeTakeFirst();
  if (existing === undefined) {
    for (const [id, org] of ORGANIZATIONS) await insertOrganization(db, org, { id, isDemo: true, now });
    for (const [id, service] of SERVICES) await insertService(db, service, { id, isDemo: true, now });
    await replaceRouting(db, { default_organization_id: DEMO_ROUTING.default_organization_id, rules: [...DEMO_ROUTING.rules] }, now);
  }
  const publishable = await createApiKey(db, {
    kind: 'publishable',
    mode,
    organizationId: DEMO_ORGANIZATIONS.nationalIntake,
    allowedOrigins: options.origins ?? ['http://localhost:8080', 'http://127.0.0.1:8080'],
    name: 'DEMO publishable key',
  });
  const secret = async (organizationId: string, role: Role, name: string) =>
    (await createApiKey(db, { kind: 'secret', mode, organizationId, role, name })).key;
  const adminKeys: Record<string, string> = {};
  for (const [id] of ORGANIZATIONS) adminKeys[id] = await secret(id, 'admin', 'DEMO admin key');
  const secretKeys = {} as Record<Role, string>;
  for (const role of ROLES) {
    const organizationId = DEMO_ROLE_ORGANIZATION[role];
    secretKeys[role] = role === 'admin' ? (adminKeys[organizationId] as string) : await secret(organizationId, role, `DEMO ${role} key`);
  }
  const intakeKeys: Record<string, string> = {};
  for (const id of new Set([DEMO_ROUTING.default_organization_id, ...DEMO_ROUTING.rules.map((r) => r.organization_id)])) {
    intakeKeys[id] = id === DEMO_ROLE_ORGANIZATION.intake ? secretKeys.intake : await secret(id, 'intake', 'DEMO intake key');
  }
  return { publishableKey: publishable.key, secretKeys, adminKeys, intakeKeys };
}
