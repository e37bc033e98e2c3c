import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { describeEachBackend } from '@tahaffuz/test-kit';
import { expect, it } from 'vitest';
import { createFieldCipher, generateEncryptionKey, parseEncryptionKey } from '../src/crypto/field-cipher.js';
import { DEMO_ORGANIZATIONS, DEMO_SERVICES } from '../src/demo/seed-demo.js';
import { startReferralServer } from '../src/start-server.js';
import { call } from '../src/test-support/test-server.js';
import { openAtMigration, seedDemoOnPreviousSchema } from './support/previous-schema.js';

/*
 * Upgrading a database of the previous schema (0003): landmarks and coordinates in clear
 * `details`, consent-override reasons in clear `referrals.data`, and stored responses with no
 * link to the objects they hold. After the upgrade every one is sealed or linked, the API answers
 * as before, and erasing the case deletes the old stored response too.
 */

function marker(label: string): string {
  return `${label}-${randomBytes(6).toString('hex')}`;
}

describeEachBackend('upgrading stored free text and stored responses', (backend) => {
  it('migrates a database of the previous schema: seals landmarks and override reasons, links old responses to their objects', async () => {
    const target = await backend.create();
    const encryptionKey = generateEncryptionKey();
    const cipher = createFieldCipher(parseEncryptionKey(encryptionKey));
    const landmark = marker('LANDMARK');
    const override = marker('OVERRIDE');
    const screening = marker('SCREENING');
    const reportId = randomUUID();
    const caseId = randomUUID();
    const referralId = randomUUID();
    const at = new Date().toISOString();
    try {
      const before = await openAtMigration(target.config, '0003_audit_platform_changes');
      const seeded = await seedDemoOnPreviousSchema(before, { mode: 'live' });
      // Rows as the previous version wrote them.
      const db = before.db as unknown as import('kysely').Kysely<Record<string, Record<string, unknown>>>;
      await db
        .insertInto('reports')
        .values({
          id: reportId,
          reference: `TZ-${randomBytes(4).toString('hex').toUpperCase()}`,
          mode: 'live',
          routed_organization_id: DEMO_ORGANIZATIONS.punjabIntake,
          body_hash: 'legacy',
          api_key_id: 'legacy',
          admin_area: 'PK-PB-LHR',
          categories: '["bonded_labour"]',
          reporter_mode: 'anonymous',
          details: JSON.stringify({
            categories: ['bonded_labour'],
            happening_now: true,
            location: { admin_area: 'PK-PB-LHR', place_type: 'brick_kiln', landmark, coordinates: { latitude: 31.5, longitude: 74.3 } },
            locale: 'ur',
            channel: 'api',
          }),
          free_text_enc: null,
          reporter_enc: null,
          received_at: at,
          erased_at: null,
        })
        .execute();
      await db
        .insertInto('cases')
        .values({
          id: caseId,
          mode: 'live',
          organization_id: DEMO_ORGANIZATIONS.punjabIntake,
          status: 'open',
          stage: 'screening',
          data: JSON.stringify({ screening_outcome: 'screened_in', protection_concerns: [], risk_level: null, child: null }),
          free_text_enc: cipher.encrypt(JSON.stringify({ screening_reason: screening }), `cases.free_text:${caseId}`),
          created_at: at,
          updated_at: at,
          closed_at: null,
          erased_at: null,
        })
        .execute();
      await db.insertInto('case_reports').values({ case_id: caseId, report_id: reportId }).execute();
      await db
        .insertInto('referrals')
        .values({
          id: referralId,
          mode: 'live',
          case_id: caseId,
          referring_organization_id: DEMO_ORGANIZATIONS.punjabIntake,
          receiving_organization_id: DEMO_ORGANIZATIONS.lahoreShelter,
          service_id: DEMO_SERVICES.lahoreShelter,
          service_type: 'shelter',
          status: 'requested',
          consent_id: null,
          data: JSON.stringify({
            urgency: 'urgent',
            note_enc: null,
            status_reason_enc: null,
            consent_override: { reason: override, key_id: randomUUID(), at },
            requested_at: at,
          }),
          created_at: at,
          updated_at: at,
        })
        .execute();
      const scope = 'legacy-key-id';
      const key = randomUUID();
      await db
        .insertInto('idempotency_keys')
        .values({
          scope,
          key,
          request_hash: 'legacy',
          state: 'done',
          lease_token: 'legacy',
          lease_expires_at: at,
          response_status: 201,
          response_headers: '{"content-type":"application/json"}',
          response_body: cipher.encrypt(
            JSON.stringify({ id: caseId, report_ids: [reportId], screening_reason: screening }),
            `idempotency_keys.response_body:${scope}:${key}`,
          ),
          created_at: at,
        })
        .execute();
      await before.close();

      const server = await startReferralServer({
        database: target.config,
        port: 0,
        encryptionKey,
        log: false,
        rateLimit: false,
        webhooks: false,
      });
      try {
        const up = server.database.db;
        const report = await up.selectFrom('reports').selectAll().where('id', '=', reportId).executeTakeFirstOrThrow();
        expect(report.details).not.toContain(landmark);
        expect(report.details).not.toContain('coordinates');
        expect(report.location_enc).toMatch(/^v2\./);
        const referral = await up.selectFrom('referrals').select('data').where('id', '=', referralId).executeTakeFirstOrThrow();
        expect(referral.data).not.toContain(override);
        const links = await up.selectFrom('idempotency_objects').select('object_id').where('key', '=', key).execute();
        expect(links.map((l) => l.object_id).sort()).toEqual([caseId, reportId].sort());
        if (target.sqlitePath !== undefined) {
          const bytes = [target.sqlitePath, `${target.sqlitePath}-wal`]
            .filter((p) => existsSync(p))
            .map((p) => readFileSync(p).toString('latin1'))
            .join('\n');
          expect(
            [landmark, override].filter((m) => bytes.includes(m)),
            'plaintext left in the SQLite files',
          ).toEqual([]);
        }

        // The API answers as before the upgrade.
        const read = await call(server.url, 'GET', `/v1/reports/${reportId}`, { key: seeded.secretKeys.intake });
        expect(read.status).toBe(200);
        expect(read.json.location).toMatchObject({ landmark, coordinates: { latitude: 31.5, longitude: 74.3 } });
        const referrer = await call(server.url, 'GET', `/v1/referrals/${referralId}`, { key: seeded.secretKeys.supervisor });
        expect(referrer.json.consent_override).toMatchObject({ reason: override });
        const provider = await call(server.url, 'GET', `/v1/referrals/${referralId}`, { key: seeded.secretKeys.provider });
        expect(provider.json.consent_override).toMatchObject({ reason: null });

        // The response stored before the upgrade goes with the case it holds.
        const erased = await call(server.url, 'POST', '/v1/erasures', {
          key: seeded.adminKeys[DEMO_ORGANIZATIONS.punjabIntake] ?? '',
          body: { target_type: 'case', target_id: caseId, reason: 'Erasure requested by the family.' },
        });
        expect(erased.status).toBe(201);
        expect(await up.selectFrom('idempotency_keys').select('key').where('key', '=', key).execute()).toEqual([]);
      } finally {
        await server.close();
      }
      // A second start runs no data migration again.
      const again = await startReferralServer({
        database: target.config,
        port: 0,
        encryptionKey,
        log: false,
        rateLimit: false,
        webhooks: false,
      });
      const recorded = await again.database.db.selectFrom('settings').select('name').where('name', 'like', 'data_migration.%').execute();
      await again.close();
      expect(recorded.map((r) => r.name).sort()).toEqual([
        'data_migration.0005_seal_free_text',
        'data_migration.0006_link_idempotent_responses',
      ]);
    } finally {
      await target.cleanup();
    }
  });
});
