import { type Kysely, sql } from 'kysely';
import type { FieldCipher } from '../crypto/field-cipher.js';
import type { Database } from './schema.js';
import { inTransaction } from './transaction.js';

/** A report stored under an id with upper-case letters whose lower-case form is another report's id. */
interface ReportIdCasePair {
  /** The stored id with upper-case letters, left as it is. */
  readonly mixedCase: string;
  /** The other report's id (its lower-case form). */
  readonly lowerCase: string;
}

/** What {@link lowerCaseReportIds} did. */
export interface ReportIdNormalisation {
  /** How many reports now have their id in lower case. */
  readonly lowerCased: number;
  /** Pairs it left alone for a person to resolve: two reports that differ only by the case of their id. */
  readonly pairs: readonly ReportIdCasePair[];
  /** True when an earlier start did the work (`pairs` are then the ones it found). */
  readonly earlier: boolean;
}

const DONE_SETTING = 'report_ids_lower_cased';

/*
 * Report ids are chosen by clients, and until UUIDs were normalised on input an upper-case id was
 * stored as sent. Ids are compared in lower case now, so such a report is moved to its lower-case
 * id: a new row, its cases' links and its audit and event rows pointing to it, then the old row
 * removed. Its sealed columns are bound to the id they were sealed for, so they are opened and
 * sealed again for the new id — which needs the encryption key, hence a step at start-up rather
 * than a schema migration. Two reports whose ids differ only by case are two reports: they are
 * never merged, only reported (docs/decisions/0020-hardening.md).
 */

/**
 * Moves every report stored under an id with upper-case letters to its lower-case id, in one
 * transaction, and reports the pairs it must not merge. Runs once per database: the pairs found
 * are kept in `settings` (`report_ids_lower_cased`) and returned by later calls.
 */
export async function lowerCaseReportIds(db: Kysely<Database>, cipher: FieldCipher): Promise<ReportIdNormalisation> {
  const done = await db.selectFrom('settings').select('value').where('name', '=', DONE_SETTING).executeTakeFirst();
  if (done !== undefined) return { lowerCased: 0, pairs: JSON.parse(done.value) as ReportIdCasePair[], earlier: true };
  return inTransaction(db, async (trx) => {
    // Claimed first: a second process starting at the same time waits on this row, then finds it taken.
    const claimed = await trx
      .insertInto('settings')
      .values({ name: DONE_SETTING, value: '[]' })
      .onConflict((oc) => oc.column('name').doNothing())
      .executeTakeFirst();
    if (Number(claimed.numInsertedOrUpdatedRows ?? 0) === 0) {
      const earlier = await trx.selectFrom('settings').select('value').where('name', '=', DONE_SETTING).executeTakeFirstOrThrow();
      return { lowerCased: 0, pairs: JSON.parse(earlier.value) as ReportIdCasePair[], earlier: true };
    }
    const rows = await trx.selectFrom('reports').selectAll().where(sql<boolean>`id <> lower(id)`).orderBy('id').execute();
    const pairs: ReportIdCasePair[] = [];
    let lowerCased = 0;
    for (const row of rows) {
      const lower = row.id.toLowerCase();
      const taken = await trx.selectFrom('reports').select('id').where('id', '=', lower).executeTakeFirst();
      if (taken !== undefined) {
        pairs.push({ mixedCase: row.id, lowerCase: lower });
        continue;
      }
      const reseal = (value: string | null, column: 'free_text' | 'reporter' | 'location') =>
        value === null ? null : cipher.encrypt(cipher.decrypt(value, `reports.${column}:${row.id}`), `reports.${column}:${lower}`);
      // The reference is unique: the old row lets go of it before the new row takes it.
      await trx
        .updateTable('reports')
        .set({ reference: `${row.reference}~moving` })
        .where('id', '=', row.id)
        .execute();
      await trx
        .insertInto('reports')
        .values({
          ...row,
          id: lower,
          free_text_enc: reseal(row.free_text_enc, 'free_text'),
          reporter_enc: reseal(row.reporter_enc, 'reporter'),
          location_enc: reseal(row.location_enc, 'location'),
        })
        .execute();
      await trx.updateTable('case_reports').set({ report_id: lower }).where('report_id', '=', row.id).execute();
      // Stored responses that hold the report (erasure finds them by these links: decision 0018).
      await trx.updateTable('idempotency_objects').set({ object_id: lower }).where('object_id', '=', row.id).execute();
      await trx
        .updateTable('audit_events')
        .set({ target_id: lower })
        .where('target_type', '=', 'report')
        .where('target_id', '=', row.id)
        .execute();
      // Event data is JSON of ids only: the id appears there as a whole JSON string.
      await trx
        .updateTable('events')
        .set({ data: sql<string>`replace(data, ${JSON.stringify(row.id)}, ${JSON.stringify(lower)})` })
        .where('data', 'like', `%${row.id}%`)
        .execute();
      await trx.deleteFrom('reports').where('id', '=', row.id).execute();
      lowerCased += 1;
    }
    await trx
      .updateTable('settings')
      .set({ value: JSON.stringify(pairs) })
      .where('name', '=', DONE_SETTING)
      .execute();
    return { lowerCased, pairs, earlier: false };
  });
}
