import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import { ReferralServerError } from '../errors.js';
import type { DialectName } from './open-database.js';

/*
 * Migrations live in code (no files to find at run time, so the bundled CLI carries them) and are
 * the same for both backends; the only difference is how an auto-incrementing sequence is spelled.
 */

function migrations(dialect: DialectName): Record<string, Migration> {
  return {
    '0001_initial': {
      // biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's schema type (Kysely's own advice).
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('api_keys')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('mode', 'text', (c) => c.notNull())
          .addColumn('last4', 'text', (c) => c.notNull())
          .addColumn('hash', 'text', (c) => c.notNull().unique())
          .addColumn('organization_id', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('role', 'text')
          .addColumn('allowed_origins', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('revoked_at', 'text')
          .execute();

        await db.schema
          .createTable('organizations')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('data', 'text', (c) => c.notNull())
          .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('services')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
          .addColumn('service_type', 'text', (c) => c.notNull())
          .addColumn('capacity', 'text', (c) => c.notNull())
          .addColumn('coverage', 'text', (c) => c.notNull())
          .addColumn('data', 'text', (c) => c.notNull())
          .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('services_by_org').on('services').column('organization_id').execute();

        await db.schema
          .createTable('routing')
          .addColumn('admin_area', 'text', (c) => c.primaryKey())
          .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('reports')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('reference', 'text', (c) => c.notNull().unique())
          .addColumn('mode', 'text', (c) => c.notNull())
          .addColumn('routed_organization_id', 'text', (c) => c.notNull())
          .addColumn('body_hash', 'text', (c) => c.notNull())
          .addColumn('api_key_id', 'text', (c) => c.notNull())
          .addColumn('admin_area', 'text')
          .addColumn('categories', 'text', (c) => c.notNull())
          .addColumn('reporter_mode', 'text', (c) => c.notNull())
          .addColumn('details', 'text', (c) => c.notNull())
          .addColumn('free_text_enc', 'text')
          .addColumn('reporter_enc', 'text')
          .addColumn('received_at', 'text', (c) => c.notNull())
          .addColumn('erased_at', 'text')
          .execute();
        await db.schema.createIndex('reports_by_org').on('reports').columns(['mode', 'routed_organization_id', 'received_at']).execute();

        await db.schema
          .createTable('cases')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('mode', 'text', (c) => c.notNull())
          .addColumn('organization_id', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('stage', 'text', (c) => c.notNull())
          .addColumn('data', 'text', (c) => c.notNull())
          .addColumn('free_text_enc', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addColumn('closed_at', 'text')
          .addColumn('erased_at', 'text')
          .execute();
        await db.schema.createIndex('cases_by_org').on('cases').columns(['mode', 'organization_id', 'updated_at']).execute();

        await db.schema
          .createTable('case_reports')
          .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
          .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id'))
          .addPrimaryKeyConstraint('case_reports_pk', ['case_id', 'report_id'])
          .execute();

        await db.schema
          .createTable('consents')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('mode', 'text', (c) => c.notNull())
          .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
          .addColumn('organization_id', 'text', (c) => c.notNull())
          .addColumn('grantor', 'text', (c) => c.notNull())
          .addColumn('basis', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('scope', 'text', (c) => c.notNull())
          .addColumn('obtained_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text')
          .addColumn('withdrawn_at', 'text')
          .addColumn('withdrawal_reason_enc', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('consents_by_case').on('consents').column('case_id').execute();

        await db.schema
          .createTable('referrals')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('mode', 'text', (c) => c.notNull())
          .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
          .addColumn('referring_organization_id', 'text', (c) => c.notNull())
          .addColumn('receiving_organization_id', 'text', (c) => c.notNull())
          .addColumn('service_id', 'text', (c) => c.notNull())
          .addColumn('service_type', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('consent_id', 'text')
          .addColumn('data', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('referrals_by_case').on('referrals').column('case_id').execute();
        await db.schema.createIndex('referrals_by_receiver').on('referrals').columns(['mode', 'receiving_organization_id']).execute();

        await db.schema
          .createTable('audit_events')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('mode', 'text', (c) => c.notNull())
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('actor_key_id', 'text')
          .addColumn('actor_organization_id', 'text')
          .addColumn('actor_role', 'text')
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('target_type', 'text', (c) => c.notNull())
          .addColumn('target_id', 'text', (c) => c.notNull())
          .addColumn('changed_fields', 'text', (c) => c.notNull())
          .addColumn('request_id', 'text')
          .execute();
        await db.schema.createIndex('audit_by_target').on('audit_events').columns(['target_type', 'target_id', 'at']).execute();

        await db.schema
          .createTable('events')
          .addColumn('seq', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
            dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
          )
          .addColumn('id', 'text', (c) => c.notNull().unique())
          .addColumn('mode', 'text', (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('organization_ids', 'text', (c) => c.notNull())
          .addColumn('data', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('webhook_subscriptions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('mode', 'text', (c) => c.notNull())
          .addColumn('organization_id', 'text', (c) => c.notNull())
          .addColumn('url', 'text', (c) => c.notNull())
          .addColumn('event_types', 'text', (c) => c.notNull())
          .addColumn('description', 'text')
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('secret_enc', 'text', (c) => c.notNull())
          .addColumn('previous_secret_enc', 'text')
          .addColumn('previous_secret_expires_at', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addColumn('deleted_at', 'text')
          .execute();

        await db.schema
          .createTable('webhook_outbox')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('subscription_id', 'text', (c) => c.notNull().references('webhook_subscriptions.id'))
          .addColumn('event_id', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('next_attempt_at', 'text', (c) => c.notNull())
          .addColumn('lease_until', 'text')
          .addColumn('last_response_status', 'integer')
          .addColumn('last_error', 'text')
          .addColumn('last_attempt_at', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('delivered_at', 'text')
          .addUniqueConstraint('webhook_outbox_once', ['subscription_id', 'event_id'])
          .execute();
        await db.schema.createIndex('webhook_outbox_due').on('webhook_outbox').columns(['state', 'next_attempt_at']).execute();

        await db.schema
          .createTable('webhook_deliveries')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('outbox_id', 'text', (c) => c.notNull())
          .addColumn('subscription_id', 'text', (c) => c.notNull())
          .addColumn('attempted_at', 'text', (c) => c.notNull())
          .addColumn('status_code', 'integer')
          .addColumn('error', 'text')
          .addColumn('duration_ms', 'integer', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('webhook_deliveries_by_subscription')
          .on('webhook_deliveries')
          .columns(['subscription_id', 'attempted_at'])
          .execute();

        await db.schema
          .createTable('idempotency_keys')
          .addColumn('scope', 'text', (c) => c.notNull())
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('request_hash', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('lease_token', 'text', (c) => c.notNull())
          .addColumn('lease_expires_at', 'text', (c) => c.notNull())
          .addColumn('response_status', 'integer')
          .addColumn('response_headers', 'text')
          .addColumn('response_body', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('idempotency_keys_pk', ['scope', 'key'])
          .execute();
        await db.schema.createIndex('idempotency_by_age').on('idempotency_keys').column('created_at').execute();

        await db.schema
          .createTable('rate_limit_buckets')
          .addColumn('bucket', 'text', (c) => c.notNull())
          .addColumn('window_start', 'bigint', (c) => c.notNull())
          .addColumn('count', 'integer', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('rate_limit_buckets_pk', ['bucket', 'window_start'])
          .execute();
        await db.schema.createIndex('rate_limit_by_expiry').on('rate_limit_buckets').column('expires_at').execute();

        await db.schema
          .createTable('settings')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('value', 'text', (c) => c.notNull())
          .execute();
      },
    },
    // A service's capacity as test mode sees it, apart from the live one (docs/decisions/0007).
    '0002_service_capacity_by_mode': {
      // biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's schema type (Kysely's own advice).
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('service_capacity')
          .addColumn('service_id', 'text', (c) => c.notNull().references('services.id'))
          .addColumn('mode', 'text', (c) => c.notNull())
          .addColumn('capacity', 'text', (c) => c.notNull())
          .addColumn('available_places', 'integer')
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('service_capacity_pk', ['service_id', 'mode'])
          .execute();
      },
    },
    /*
     * The operator role (docs/decisions/0015-operator-role.md). Roles are stored by name and their
     * rights come from the contract's permission table, so existing admin keys lose routing and
     * directory rights with the new code, no row changes. What the schema needs is a way to read
     * the audit of platform changes (GET /v1/audit) without scanning every read of case data.
     */
    '0003_audit_platform_changes': {
      // biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's schema type (Kysely's own advice).
      async up(db: Kysely<any>) {
        await db.schema.createIndex('audit_by_mode_target_type').on('audit_events').columns(['mode', 'target_type', 'at', 'id']).execute();
      },
    },
    /*
     * Erasure deletes the stored responses that hold an erased object (docs/decisions/0018): each
     * stored response is linked to the ids of the reports, cases, consents and referrals in it.
     * Rows of responses stored before this migration are linked by the data migration
     * `0006_link_idempotent_responses`, which needs the encryption key to read them.
     */
    '0004_idempotency_objects': {
      // biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's schema type (Kysely's own advice).
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('idempotency_objects')
          .addColumn('object_id', 'text', (c) => c.notNull())
          .addColumn('scope', 'text', (c) => c.notNull())
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('idempotency_objects_pk', ['object_id', 'scope', 'key'])
          .execute();
        await db.schema.createIndex('idempotency_objects_by_age').on('idempotency_objects').column('created_at').execute();
      },
    },
    /*
     * A report's landmark and coordinates leave the clear `details` JSON for their own ciphertext
     * column; the data migration `0005_seal_free_text` moves the values of existing rows.
     */
    '0005_report_location_enc': {
      // biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's schema type (Kysely's own advice).
      async up(db: Kysely<any>) {
        await db.schema.alterTable('reports').addColumn('location_enc', 'text').execute();
      },
    },
    /*
     * The origins publishable keys allow, one row each, so that a browser's Origin is looked up by
     * index instead of by reading every publishable key (docs/decisions/0020-hardening.md).
     */
    '0006_api_key_origins': {
      // biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's schema type (Kysely's own advice).
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('api_key_origins')
          .addColumn('origin', 'text', (c) => c.notNull())
          .addColumn('key_id', 'text', (c) => c.notNull().references('api_keys.id'))
          .addPrimaryKeyConstraint('api_key_origins_pk', ['origin', 'key_id'])
          .execute();
        const keys = (await db.selectFrom('api_keys').select(['id', 'allowed_origins']).where('kind', '=', 'publishable').execute()) as {
          id: string;
          allowed_origins: string;
        }[];
        const rows = keys.flatMap((key) =>
          [...new Set(JSON.parse(key.allowed_origins) as string[])].map((origin) => ({ origin, key_id: key.id })),
        );
        for (let i = 0; i < rows.length; i += 500)
          await db
            .insertInto('api_key_origins')
            .values(rows.slice(i, i + 500))
            .execute();
      },
    },
    /*
     * Webhook targets (docs/decisions/0019-webhook-targets-and-fairness.md): a subscription can be
     * paused, and the delivery log keeps a failure category only. Earlier rows held the network
     * error's name and code (ECONNREFUSED against a socket error tells a port scanner which ports
     * listen): they become the same categories. Stored subscriptions whose URL breaks the new rule
     * are paused by the start-up pass, which knows the configured allow-list.
     */
    '0007_webhook_targets': {
      // biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's schema type (Kysely's own advice).
      async up(db: Kysely<any>) {
        await db.schema.alterTable('webhook_subscriptions').addColumn('paused_reason', 'text').execute();
        await db.schema.alterTable('webhook_subscriptions').addColumn('paused_until', 'text').execute();
        for (const [table, column] of [
          ['webhook_outbox', 'last_error'],
          ['webhook_deliveries', 'error'],
        ] as const) {
          await sql`update ${sql.table(table)} set ${sql.ref(column)} = case
              when ${sql.ref(column)} like 'HTTP %' then 'http_status'
              when ${sql.ref(column)} like 'TimeoutError%' or ${sql.ref(column)} like 'AbortError%' then 'timeout'
              when ${sql.ref(column)} = 'subscription deleted or disabled' then 'subscription_inactive'
              else 'connect_failed' end
            where ${sql.ref(column)} is not null`.execute(db);
        }
      },
    },
    // The circuit breaker of webhook delivery (docs/decisions/0019-webhook-targets-and-fairness.md).
    '0008_webhook_breaker': {
      // biome-ignore lint/suspicious/noExplicitAny: a migration must not depend on today's schema type (Kysely's own advice).
      async up(db: Kysely<any>) {
        await db.schema
          .alterTable('webhook_subscriptions')
          .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
          .execute();
        // The subscription cap counts an organisation's subscriptions in one mode.
        await db.schema
          .createIndex('webhook_subscriptions_by_organization')
          .on('webhook_subscriptions')
          .columns(['organization_id', 'mode', 'deleted_at'])
          .execute();
      },
    },
  };
}

/** The in-code migration provider for one dialect. */
export function migrationProvider(dialect: DialectName): MigrationProvider {
  return { getMigrations: async () => migrations(dialect) };
}

/** Brings the database to the latest schema; safe to run from several processes at once. */
// biome-ignore lint/suspicious/noExplicitAny: runs before the schema exists, on any schema version.
export async function migrateToLatest(db: Kysely<any>, dialect: DialectName): Promise<string[]> {
  // Kysely looks for its migration table in every schema unless told which: name the current one,
  // or a second schema on the same database would be taken as migrated.
  const schema =
    dialect === 'postgres' ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema : undefined;
  const migrator = new Migrator({
    db,
    provider: migrationProvider(dialect),
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error !== undefined || failed !== undefined) {
    throw new ReferralServerError(
      'migration_failed',
      `Database migration ${failed?.migrationName ?? ''} failed; the schema was left at the last good migration. Check the database is reachable and writable.`,
      { cause: error },
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
