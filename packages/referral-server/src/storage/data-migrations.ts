import type { Report } from '@tahaffuz/referral-contract';
import type { Kysely } from 'kysely';
import type { FieldCipher } from '../crypto/field-cipher.js';
import { linkStoredResponse, objectIdsOf } from '../idempotency/idempotency-store.js';
import {
  clearLocationOf,
  consentOverrideReasonContext,
  locationTextOf,
  type ReferralData,
  reportLocationContext,
} from '../domain/stored-fields.js';
import type { Database } from './schema.js';

/*
 * Migrations of stored values that need the encryption key, which schema migrations never see
 * (they run before the key is checked). Each runs once per database, after the schema migrations
 * and the key check, and is recorded in `settings`. Every change is a compare-and-swap on the
 * value read (`where … = old`), so processes starting together, or a rerun after a crash, change
 * nothing twice; until a migration has run, the readers accept the old form too.
 */

interface DataMigration {
  readonly name: string;
  run(db: Kysely<Database>, cipher: FieldCipher): Promise<void>;
}

const BATCH = 500;

const DATA_MIGRATIONS: readonly DataMigration[] = [
  {
    // Landmarks and coordinates (in `details`) and consent-override reasons (in `referrals.data`) were stored in clear.
    name: '0005_seal_free_text',
    async run(db, cipher) {
      for (let after = ''; ; ) {
        const rows = await db
          .selectFrom('reports')
          .select(['id', 'details'])
          .where('id', '>', after)
          .where('location_enc', 'is', null)
          .where((eb) => eb.or([eb('details', 'like', '%"landmark"%'), eb('details', 'like', '%"coordinates"%')]))
          .orderBy('id')
          .limit(BATCH)
          .execute();
        for (const row of rows) {
          const details = JSON.parse(row.details) as { location?: Report['location'] };
          const text = details.location === undefined ? undefined : locationTextOf(details.location);
          if (details.location === undefined || text === undefined) continue;
          await db
            .updateTable('reports')
            .set({
              location_enc: cipher.encrypt(JSON.stringify(text), reportLocationContext(row.id)),
              details: JSON.stringify({ ...details, location: clearLocationOf(details.location) }),
            })
            .where('id', '=', row.id)
            .where('details', '=', row.details)
            .execute();
        }
        const last = rows.at(-1);
        if (last === undefined || rows.length < BATCH) break;
        after = last.id;
      }
      for (let after = ''; ; ) {
        const rows = await db
          .selectFrom('referrals')
          .select(['id', 'data'])
          .where('id', '>', after)
          .where('data', 'like', '%"reason"%')
          .orderBy('id')
          .limit(BATCH)
          .execute();
        for (const row of rows) {
          const data = JSON.parse(row.data) as ReferralData;
          const override = data.consent_override;
          if (override?.reason === undefined) continue;
          const sealed: ReferralData = {
            ...data,
            consent_override: { key_id: override.key_id, at: override.at },
            consent_override_reason_enc: cipher.encrypt(override.reason, consentOverrideReasonContext(row.id)),
          };
          await db
            .updateTable('referrals')
            .set({ data: JSON.stringify(sealed) })
            .where('id', '=', row.id)
            .where('data', '=', row.data)
            .execute();
        }
        const last = rows.at(-1);
        if (last === undefined || rows.length < BATCH) break;
        after = last.id;
      }
    },
  },
  {
    // Stored responses from before `idempotency_objects` existed: link them so that erasure finds them.
    name: '0006_link_idempotent_responses',
    async run(db, cipher) {
      for (let after: { scope: string; key: string } | undefined; ; ) {
        let select = db
          .selectFrom('idempotency_keys')
          .select(['scope', 'key', 'response_body', 'created_at'])
          .where('state', '=', 'done')
          .where('response_body', 'is not', null);
        if (after !== undefined) {
          const { scope, key } = after;
          select = select.where((eb) => eb.or([eb('scope', '>', scope), eb.and([eb('scope', '=', scope), eb('key', '>', key)])]));
        }
        const rows = await select.orderBy('scope').orderBy('key').limit(BATCH).execute();
        for (const row of rows) {
          const body = row.response_body ?? '';
          // Bodies stored in clear (receipts, problems) hold nothing to erase.
          if (body.startsWith('{') || body.startsWith('[')) continue;
          const text = cipher.decrypt(body, `idempotency_keys.response_body:${row.scope}:${row.key}`);
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            continue;
          }
          await linkStoredResponse(db, { scope: row.scope, key: row.key, createdAt: row.created_at }, objectIdsOf(parsed));
        }
        const last = rows.at(-1);
        if (last === undefined || rows.length < BATCH) break;
        after = { scope: last.scope, key: last.key };
      }
    },
  },
];

const SETTING_PREFIX = 'data_migration.';

/**
 * Runs the data migrations this database has not run yet, with the database's cipher; returns
 * their names. Call after the schema migrations and the key check.
 */
export async function runDataMigrations(db: Kysely<Database>, cipher: FieldCipher, at: string): Promise<string[]> {
  const done = new Set(
    (await db.selectFrom('settings').select('name').where('name', 'like', `${SETTING_PREFIX}%`).execute()).map((row) => row.name),
  );
  const ran: string[] = [];
  for (const migration of DATA_MIGRATIONS) {
    const name = `${SETTING_PREFIX}${migration.name}`;
    if (done.has(name)) continue;
    await migration.run(db, cipher);
    await db
      .insertInto('settings')
      .values({ name, value: at })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    ran.push(migration.name);
  }
  return ran;
}
