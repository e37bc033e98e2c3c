import type { ApiKey } from '@tahaffuz/referral-contract';
import type { Kysely } from 'kysely';
import { isoAt } from '../clock.js';
import { deleteResponsesHolding } from '../idempotency/idempotency-store.js';
import type { Database } from '../storage/schema.js';
import { inTransaction } from '../storage/transaction.js';
import { type AuditInput, recordAudit } from './audit.js';
import type { ErasureJournal } from './erasure-journal.js';
import type { ReferralData } from './stored-fields.js';

/** What can be erased. */
export type ErasureTarget = 'report' | 'case';

/** Who erases, for the audit trail. */
export interface ErasureActor {
  readonly key: ApiKey | undefined;
  readonly requestId: string;
  readonly now: number;
  /** Where the erasure is journalled (before it commits), so a restore from an older backup is erased again. */
  readonly journal?: ErasureJournal | undefined;
}

/**
 * Erases the personal content of a report or case, and of what hangs off a case: every free text
 * of its consents (the withdrawal reason) and referrals (note, status reason, consent-override
 * reason), and every stored idempotent response that holds one of these objects. Ids, states,
 * counts for statistics and the audit trail (ids and field names) stay. Returns false when there
 * is no such object; erasing an erased object again clears anything written since.
 */
export async function eraseObject(db: Kysely<Database>, target: ErasureTarget, id: string, actor: ErasureActor): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const at = isoAt(actor.now);
    const audit = { key: actor.key, requestId: actor.requestId, now: actor.now };
    if (target === 'report') {
      const row = await trx.selectFrom('reports').select(['mode', 'details']).where('id', '=', id).executeTakeFirst();
      if (row === undefined) return false;
      const details = JSON.parse(row.details) as { categories?: unknown; location?: { admin_area?: unknown } };
      await trx
        .updateTable('reports')
        .set({
          free_text_enc: null,
          reporter_enc: null,
          location_enc: null,
          reporter_mode: 'anonymous',
          // Keep only what hotspot statistics count: categories and the admin area.
          details: JSON.stringify({ categories: details.categories, location: { admin_area: details.location?.admin_area } }),
          erased_at: at,
        })
        .where('id', '=', id)
        .execute();
      await deleteResponsesHolding(trx, [id]);
      actor.journal?.record({ target, id, at });
      await recordAudit(trx, { ...audit, mode: row.mode }, [
        {
          action: 'report.erase',
          targetType: 'report',
          targetId: id,
          changedFields: ['details', 'location', 'narrative', 'reporter', 'suspects'],
        },
      ]);
      return true;
    }
    const row = await trx.selectFrom('cases').select(['mode']).where('id', '=', id).executeTakeFirst();
    if (row === undefined) return false;
    await trx.updateTable('cases').set({ data: '{}', free_text_enc: null, erased_at: at, updated_at: at }).where('id', '=', id).execute();
    const entries: AuditInput[] = [{ action: 'case.erase', targetType: 'case', targetId: id, changedFields: ['data'] }];

    const consents = await trx
      .selectFrom('consents')
      .select(['id', 'withdrawal_reason_enc'])
      .where('case_id', '=', id)
      .orderBy('id')
      .execute();
    for (const consent of consents) {
      if (consent.withdrawal_reason_enc === null) continue;
      await trx.updateTable('consents').set({ withdrawal_reason_enc: null, updated_at: at }).where('id', '=', consent.id).execute();
      entries.push({ action: 'consent.erase', targetType: 'consent', targetId: consent.id, changedFields: ['withdrawal_reason'] });
    }

    const referrals = await trx.selectFrom('referrals').select(['id', 'data']).where('case_id', '=', id).orderBy('id').execute();
    for (const referral of referrals) {
      const data = JSON.parse(referral.data) as ReferralData;
      const override = data.consent_override;
      const erased: ReferralData = {
        urgency: data.urgency,
        note_enc: null,
        status_reason_enc: null,
        // That consent was overridden, by whom and when, is not personal content: it stays.
        consent_override: override === null ? null : { key_id: override.key_id, at: override.at },
        consent_override_reason_enc: null,
        requested_at: data.requested_at,
      };
      const text = JSON.stringify(erased);
      if (text === referral.data) continue;
      await trx.updateTable('referrals').set({ data: text, updated_at: at }).where('id', '=', referral.id).execute();
      entries.push({
        action: 'referral.erase',
        targetType: 'referral',
        targetId: referral.id,
        changedFields: ['note', 'status_reason', 'consent_override.reason'],
      });
    }
    await deleteResponsesHolding(trx, [id, ...consents.map((c) => c.id), ...referrals.map((r) => r.id)]);
    await recordAudit(trx, { ...audit, mode: row.mode }, entries);
    actor.journal?.record({ target, id, at });
    return true;
  });
}

/**
 * Erases again every journalled object that the database holds unerased — after a restore from a
 * backup taken before its erasure. Returns how many objects it erased.
 */
export async function replayErasureJournal(db: Kysely<Database>, journal: ErasureJournal, now: number): Promise<number> {
  const wanted: Record<ErasureTarget, Set<string>> = { report: new Set(), case: new Set() };
  for (const entry of journal.entries()) wanted[entry.target].add(entry.id);
  let erased = 0;
  for (const target of ['case', 'report'] as const) {
    const ids = [...wanted[target]];
    // One query per 500 journalled ids, so a start stays quick with years of erasures in the journal.
    for (let at = 0; at < ids.length; at += 500) {
      const table = target === 'report' ? 'reports' : 'cases';
      const back = await db
        .selectFrom(table)
        .select('id')
        .where('id', 'in', ids.slice(at, at + 500))
        .where('erased_at', 'is', null)
        .orderBy('id')
        .execute();
      for (const { id } of back) {
        // Not journalled again: it is in the journal already.
        await eraseObject(db, target, id, { key: undefined, requestId: 'erasure-journal', now });
        erased += 1;
      }
    }
  }
  return erased;
}
