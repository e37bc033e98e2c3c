import type { Kysely } from 'kysely';
import { isoAt } from '../clock.js';
import type { Database } from '../storage/schema.js';
import { eraseObject } from './erasure.js';
import type { ErasureJournal } from './erasure-journal.js';

/** How long personal content is kept. */
export interface RetentionSettings {
  /** Closed cases (and reports that belong to no other case) are anonymised this many years after closing. */
  readonly closedCaseYears: number;
}

const YEAR_MS = 365.25 * 24 * 3_600_000;

/**
 * Anonymises closed cases past the retention period (their consents, referrals and stored
 * responses with them, see {@link eraseObject}), and the reports that belong only to them; each
 * erasure is journalled when a journal is given. Returns the ids of the cases anonymised.
 */
export async function applyRetention(
  db: Kysely<Database>,
  settings: RetentionSettings,
  now: number,
  journal?: ErasureJournal,
): Promise<string[]> {
  const cutoff = isoAt(now - settings.closedCaseYears * YEAR_MS);
  const due = await db
    .selectFrom('cases')
    .select('id')
    .where('status', '=', 'closed')
    .where('closed_at', '<', cutoff)
    .where('erased_at', 'is', null)
    .limit(500)
    .execute();
  const actor = { key: undefined, requestId: 'retention', now, journal };
  for (const { id } of due) {
    await eraseObject(db, 'case', id, actor);
    const reports = await db.selectFrom('case_reports').select('report_id').where('case_id', '=', id).execute();
    for (const { report_id } of reports) {
      const elsewhere = await db
        .selectFrom('case_reports')
        .innerJoin('cases', 'cases.id', 'case_reports.case_id')
        .select('cases.id')
        .where('case_reports.report_id', '=', report_id)
        .where('cases.erased_at', 'is', null)
        .executeTakeFirst();
      if (elsewhere === undefined) await eraseObject(db, 'report', report_id, actor);
    }
  }
  return due.map((row) => row.id);
}
