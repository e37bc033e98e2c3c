import { type Kysely, type RawBuilder, sql } from 'kysely';
import { ReferralServerError } from '../errors.js';
import { sqliteFileOf } from '../storage/open-database.js';
import type { Database } from '../storage/schema.js';
import { sealedKeyIdOf, v2Prefix } from './ciphertext-format.js';
import type { FieldCipher } from './field-cipher.js';
import { checkEncryptionKeys, KEY_IDS_SETTING, parseKeyIds, swapSetting } from './key-check.js';
import { type RowKey, SEALED_COLUMNS, type SealedColumn } from './sealed-columns.js';

/** How many values of one column are under each key id (`v1`: written before key ids; `unreadable`: no known format). */
export interface SealedColumnStatus {
  readonly label: string;
  readonly byKeyId: Readonly<Record<string, number>>;
}

/** What {@link encryptionStatus} counted. */
export interface EncryptionStatus {
  readonly currentKeyId: string | undefined;
  readonly columns: readonly SealedColumnStatus[];
  /** Totals over every column, by key id. */
  readonly byKeyId: Readonly<Record<string, number>>;
  /** Values that are not under the current key (all of them when no key is given). */
  readonly notCurrent: number;
  /** Key ids that stored values may be under, as recorded for the start-up check. */
  readonly keyIdsInUse: readonly string[];
}

/** Per column outcome of {@link rotateEncryption}. */
export interface RotatedColumn {
  readonly label: string;
  /** Values decrypted and written again with the current key. */
  readonly rewrapped: number;
  /** Values a server changed between read and write: left as the server wrote them. */
  readonly changedMeanwhile: number;
  /** Values no configured key opens (their key is missing, or they were altered): left as they are. */
  readonly unreadable: number;
}

/** What {@link rotateEncryption} did. */
export interface RotationSummary {
  readonly keyId: string;
  readonly columns: readonly RotatedColumn[];
  readonly rewrapped: number;
  readonly changedMeanwhile: number;
  readonly unreadable: number;
  /** Key ids of unreadable values (`v1` for values without one). */
  readonly unreadableKeyIds: readonly string[];
  /** Counts after the pass. */
  readonly status: EncryptionStatus;
  /**
   * Every value is under the current key and the database now records only it as in use: servers
   * start without the previous keys.
   */
  readonly finished: boolean;
}

/** Options of {@link rotateEncryption}. */
export interface RotationOptions {
  /** Rows read and rewritten per transaction. @default 500 */
  readonly batchSize?: number;
  /** Called after each committed batch with the column's running counts. */
  readonly onBatch?: (progress: RotatedColumn) => void;
  /**
   * Afterwards rebuild the storage so that no copy of an old ciphertext stays in freed space (what a
   * leaked key calls for): SQLite `VACUUM`, PostgreSQL `VACUUM FULL` of the tables with encrypted
   * columns. Writers wait while it runs. @default false
   */
  readonly compact?: boolean;
}

function add(counts: Record<string, number>, keyId: string, n: number): void {
  counts[keyId] = (counts[keyId] ?? 0) + n;
}

function sqlKeyIdOf(column: RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`case when substr(${column}, 1, 3) = ${sql.lit('v1.')} then ${sql.lit('v1')} when substr(${column}, 1, 3) = ${sql.lit('v2.')} and substr(${column}, 12, 1) = ${sql.lit('.')} then substr(${column}, 4, 8) else ${sql.lit('unreadable')} end`;
}

/** The rows of `column` that hold a value, with an optional extra condition. */
function holdsValue(column: SealedColumn, ref: RawBuilder<unknown>): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [sql`${ref} is not null`];
  if (column.where !== undefined) parts.push(sql`${sql.ref(column.where.column)} = ${column.where.equals}`);
  for (const prefix of column.clearPrefixes ?? []) parts.push(sql`substr(${ref}, 1, ${sql.lit(prefix.length)}) <> ${sql.lit(prefix)}`);
  return sql.join(parts, sql` and `);
}

function keysetAfter(key: readonly string[], after: readonly string[] | undefined, index = 0): RawBuilder<unknown> {
  if (after === undefined) return sql`1 = 1`;
  const ref = sql.ref(key[index] ?? '');
  const value = after[index] ?? '';
  if (index === key.length - 1) return sql`${ref} > ${value}`;
  return sql`(${ref} > ${value} or (${ref} = ${value} and ${keysetAfter(key, after, index + 1)}))`;
}

function keyOf(column: SealedColumn, row: Record<string, unknown>): RowKey {
  return Object.fromEntries(column.key.map((name) => [name, String(row[name])]));
}

function matchesKey(column: SealedColumn, key: RowKey): RawBuilder<unknown> {
  return sql.join(
    column.key.map((name) => sql`${sql.ref(name)} = ${key[name] ?? ''}`),
    sql` and `,
  );
}

async function selectBatch(
  db: Kysely<Database>,
  column: SealedColumn,
  after: readonly string[] | undefined,
  limit: number,
  skipPrefix: string | undefined,
): Promise<Record<string, unknown>[]> {
  const ref = sql.ref(column.column);
  const conditions = [holdsValue(column, ref), keysetAfter(column.key, after)];
  if (skipPrefix !== undefined && column.jsonFields === undefined)
    conditions.push(sql`substr(${ref}, 1, ${sql.lit(skipPrefix.length)}) <> ${skipPrefix}`);
  const keyRefs = sql.join(column.key.map((name) => sql.ref(name)));
  const result = await sql<
    Record<string, unknown>
  >`select ${keyRefs}, ${ref} as sealed from ${sql.table(column.table)} where ${sql.join(conditions, sql` and `)} order by ${keyRefs} limit ${sql.lit(limit)}`.execute(
    db,
  );
  return result.rows;
}

/**
 * Counts the stored values of every encrypted column by the key id they name, so an operator can
 * tell when no value needs a previous key any more.
 */
export async function encryptionStatus(db: Kysely<Database>, cipher?: FieldCipher): Promise<EncryptionStatus> {
  const columns: SealedColumnStatus[] = [];
  const totals: Record<string, number> = {};
  for (const column of SEALED_COLUMNS) {
    if (column.jsonFields === undefined) {
      const ref = sql.ref(column.column);
      const rows = await sql<{
        key_id: string;
        n: number | string;
      }>`select ${sqlKeyIdOf(ref)} as key_id, count(*) as n from ${sql.table(column.table)} where ${holdsValue(column, ref)} group by 1`.execute(
        db,
      );
      const byKeyId: Record<string, number> = {};
      for (const row of rows.rows) {
        add(byKeyId, row.key_id, Number(row.n));
        add(totals, row.key_id, Number(row.n));
      }
      columns.push({ label: column.label, byKeyId });
      continue;
    }
    const byField = new Map(column.jsonFields.map((field) => [field.field, {} as Record<string, number>]));
    let after: string[] | undefined;
    for (;;) {
      const rows = await selectBatch(db, column, after, 1000, undefined);
      for (const row of rows) {
        const data = JSON.parse(String(row['sealed'])) as Record<string, unknown>;
        for (const field of column.jsonFields) {
          const value = data[field.field];
          if (typeof value !== 'string') continue;
          const keyId = sealedKeyIdOf(value) ?? 'unreadable';
          add(byField.get(field.field) ?? {}, keyId, 1);
          add(totals, keyId, 1);
        }
      }
      const last = rows.at(-1);
      if (last === undefined || rows.length < 1000) break;
      after = column.key.map((name) => String(last[name]));
    }
    for (const field of column.jsonFields) columns.push({ label: field.label, byKeyId: byField.get(field.field) ?? {} });
  }
  const recorded = (await db.selectFrom('settings').select('value').where('name', '=', KEY_IDS_SETTING).executeTakeFirst())?.value;
  const notCurrent = Object.entries(totals).reduce((sum, [keyId, n]) => (keyId === cipher?.keyId ? sum : sum + n), 0);
  return { currentKeyId: cipher?.keyId, columns, byKeyId: totals, notCurrent, keyIdsInUse: parseKeyIds(recorded) };
}

function checkBatchSize(batchSize: number): number {
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
    throw new ReferralServerError('invalid_argument', `The batch size must be a whole number from 1 to 10000, not ${batchSize}.`);
  }
  return batchSize;
}

/**
 * Re-encrypts every encrypted value that is not under the current key with it, column by column,
 * in batches of bounded size, each in its own transaction. Safe beside running servers (a value
 * is replaced only if it still holds what was read), resumable after a crash (every value is under
 * the current or a previous key at every moment) and idempotent (a second run finds nothing). When
 * nothing is left under another key, the database records that only the current key is in use.
 */
export async function rotateEncryption(db: Kysely<Database>, cipher: FieldCipher, options: RotationOptions = {}): Promise<RotationSummary> {
  const batchSize = checkBatchSize(options.batchSize ?? 500);
  // Refuses keys that do not open this database at all, and records the current key as in use
  // before any value is written with it.
  await checkEncryptionKeys(db, cipher, { requireAllInUse: false });
  const file = sqliteFileOf(db);
  // Overwrite the space old ciphertext leaves behind instead of leaving it in free pages.
  file?.pragma('secure_delete = ON');

  const prefix = v2Prefix(cipher.keyId);
  const columns: RotatedColumn[] = [];
  const unreadableKeyIds = new Set<string>();
  for (const column of SEALED_COLUMNS) {
    const counts = { label: column.label, rewrapped: 0, changedMeanwhile: 0, unreadable: 0 };
    const rewrap = (sealed: string, context: string): string | undefined => {
      if (sealed.startsWith(prefix)) return undefined;
      try {
        const { plaintext } = cipher.decryptWithKeyId(sealed, context);
        return cipher.encrypt(plaintext, context);
      } catch {
        counts.unreadable += 1;
        unreadableKeyIds.add(sealedKeyIdOf(sealed) ?? 'unreadable');
        return undefined;
      }
    };
    let after: string[] | undefined;
    for (;;) {
      const rows = await db.transaction().execute(async (trx) => {
        const batch = await selectBatch(trx, column, after, batchSize, prefix);
        for (const row of batch) {
          const key = keyOf(column, row);
          const stored = String(row['sealed']);
          let next: string | undefined;
          if (column.jsonFields === undefined) {
            next = rewrap(stored, column.context?.(key) ?? '');
          } else {
            const data = JSON.parse(stored) as Record<string, unknown>;
            let changed = false;
            for (const field of column.jsonFields) {
              const value = data[field.field];
              const rewrapped = typeof value === 'string' ? rewrap(value, field.context(key)) : undefined;
              if (rewrapped !== undefined) {
                data[field.field] = rewrapped;
                changed = true;
              }
            }
            next = changed ? JSON.stringify(data) : undefined;
          }
          if (next === undefined) continue;
          const ref = sql.ref(column.column);
          const result =
            await sql`update ${sql.table(column.table)} set ${ref} = ${next} where ${matchesKey(column, key)} and ${ref} = ${stored}`.execute(
              trx,
            );
          if (Number(result.numAffectedRows ?? 0n) === 1) counts.rewrapped += 1;
          else counts.changedMeanwhile += 1;
        }
        return batch;
      });
      options.onBatch?.({ ...counts });
      const last = rows.at(-1);
      if (last === undefined || rows.length < batchSize) break;
      after = column.key.map((name) => String(last[name]));
    }
    columns.push(counts);
  }

  const recorded = (await db.selectFrom('settings').select('value').where('name', '=', KEY_IDS_SETTING).executeTakeFirst())?.value;
  const status = await encryptionStatus(db, cipher);
  let finished = false;
  if (status.notCurrent === 0) {
    const only = JSON.stringify([cipher.keyId]);
    finished = recorded === only || (await swapSetting(db, KEY_IDS_SETTING, recorded, only));
  }
  if (options.compact === true) {
    if (file !== undefined) file.exec('vacuum');
    else for (const table of new Set(SEALED_COLUMNS.map((column) => column.table))) await sql`vacuum full ${sql.table(table)}`.execute(db);
  }
  if (file !== undefined) file.pragma('wal_checkpoint(TRUNCATE)');
  const total = (name: 'rewrapped' | 'changedMeanwhile' | 'unreadable') => columns.reduce((sum, c) => sum + c[name], 0);
  return {
    keyId: cipher.keyId,
    columns,
    rewrapped: total('rewrapped'),
    changedMeanwhile: total('changedMeanwhile'),
    unreadable: total('unreadable'),
    unreadableKeyIds: [...unreadableKeyIds].sort(),
    status: finished ? { ...status, keyIdsInUse: [cipher.keyId] } : status,
    finished,
  };
}
