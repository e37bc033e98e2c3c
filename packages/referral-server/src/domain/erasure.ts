import type { ApiKey } from '@tahaffuz/referral-contract';
import type { Kysely } from 'kysely';
import { isoAt } from '../clock.js';
import type { Database } from '../storage/schema.js';
import { inTransaction } from '../storage/transaction.js';
import { recordAudit } from './audit.js';

/** What can be erased. */
export type ErasureTarget = 'report' | 'case';

/**
 * Erases the personal content of a report or case: ciphertexts and free fields are removed, ids,
 * counts for statistics and the audit trail stay. Returns false when there is no such object.
 */
export async function eraseObject(
  db: Kysely<Database>,
  target: ErasureTarget,
  id: string,
  actor: { key: ApiKey | undefined; requestId: string; now: number },
): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const at = isoAt(actor.now);
    if (target === 'report') {
      const row = await trx.selectFrom('reports').select(['mode', 'details']).where('id', '=', id).executeTakeFirst();
      if (row === undefined) return false;
      const details = JSON.parse(row.details) as { categories?: unknown; location?: { admin_area?: unknown } };
      await trx
        .updateTable('reports')
        .set({
          free_text_enc: null,
          reporter_enc: null,
          reporter_mode: 'anonymous',
          // Keep only what hotspot statistics count: categories and the admin area.
          details: JSON.stringify({ categories: details.categories, location: { admin_area: details.location?.admin_area } }),
          erased_at: at,
        })
        .where('id', '=', id)
        .execute();
      await recordAudit(trx, { key: actor.key, mode: row.mode, requestId: actor.requestId, now: actor.now }, [
        { action: 'report.erase', targetType: 'report', targetId: id, changedFields: ['details', 'narrative', 'reporter', 'suspects'] },
      ]);
      return true;
    }
    const row = await trx.selectFrom('cases').select(['mode']).where('id', '=', id).executeTakeFirst();
    if (row === undefined) return false;
    await trx.updateTable('cases').set({ data: '{}', free_text_enc: null, erased_at: at, updated_at: at }).where('id', '=', id).execute();
    await recordAudit(trx, { key: actor.key, mode: row.mode, requestId: actor.requestId, now: actor.now }, [
      { action: 'case.erase', targetType: 'case', targetId: id, changedFields: ['data'] },
    ]);
    return true;
  });
}
