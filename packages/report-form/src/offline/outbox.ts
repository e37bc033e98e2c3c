import type { ReportCreate, ReportReceipt } from '@tahaffuz/referral-contract';
import { committed, KEY_STORE, openDatabase, OUTBOX_STORE, request } from './idb.js';
import { DEFAULT_RETRY_SCHEDULE, expiryOf, retryDelay, type RetrySchedule } from './retry-schedule.js';
import { generateQueueKey, open, seal } from './sealed-box.js';
import type { SendReport } from './send-report.js';

/**
 * One queued report as IndexedDB holds it. Only the id (a random UUID), times and attempt count
 * are readable; the report and the API it is for are inside `data`, encrypted.
 */
export interface QueuedRecord {
  readonly id: string;
  readonly created_at: number;
  readonly attempts: number;
  readonly next_attempt_at: number;
  readonly iv: Uint8Array;
  readonly data: ArrayBuffer;
}

interface QueuedPayload {
  readonly api_base: string;
  readonly report: ReportCreate;
}

/** What happened to one queued report during a flush. */
export type FlushOutcome =
  | { readonly id: string; readonly kind: 'sent'; readonly receipt: ReportReceipt }
  | { readonly id: string; readonly kind: 'retry'; readonly nextAttemptAt: number }
  | { readonly id: string; readonly kind: 'expired' }
  | { readonly id: string; readonly kind: 'rejected'; readonly status: number | undefined; readonly requestId: string | undefined }
  /** The record could not be decrypted (its key is gone or it was altered); it was deleted. */
  | { readonly id: string; readonly kind: 'unreadable' };

const KEY_NAME = 'queue-key';
const LOCK_NAME = 'tahaffuz-report-form-outbox';

/**
 * The offline queue: reports that could not be sent, encrypted with a non-extractable AES-GCM key
 * kept in the same IndexedDB database, retried with capped backoff until they are sent or expire.
 */
export class Outbox {
  readonly #db: IDBDatabase;
  readonly #key: CryptoKey;
  readonly #schedule: RetrySchedule;

  private constructor(db: IDBDatabase, key: CryptoKey, schedule: RetrySchedule) {
    this.#db = db;
    this.#key = key;
    this.#schedule = schedule;
  }

  /** Opens the queue, creating its database and key on first use. */
  static async open(schedule: RetrySchedule = DEFAULT_RETRY_SCHEDULE): Promise<Outbox> {
    const db = await openDatabase();
    // The key is generated before the transaction (which must not wait on anything else); when
    // another tab stored one first, that one is kept and this one is dropped.
    const candidate = await generateQueueKey();
    const tx = db.transaction(KEY_STORE, 'readwrite');
    const store = tx.objectStore(KEY_STORE);
    const existing = (await request(store.get(KEY_NAME))) as CryptoKey | undefined;
    if (existing === undefined) store.put(candidate, KEY_NAME);
    await committed(tx);
    return new Outbox(db, existing ?? candidate, schedule);
  }

  /** Encrypts a report and stores it; resolves once the record is committed. */
  async add(apiBase: string, report: ReportCreate, now: number = Date.now()): Promise<QueuedRecord> {
    const payload: QueuedPayload = { api_base: apiBase, report };
    const sealed = await seal(this.#key, report.id, payload);
    const record: QueuedRecord = {
      id: report.id,
      created_at: now,
      attempts: 1,
      next_attempt_at: now + retryDelay(1, this.#schedule),
      iv: sealed.iv,
      data: sealed.data,
    };
    const tx = this.#db.transaction(OUTBOX_STORE, 'readwrite');
    tx.objectStore(OUTBOX_STORE).put(record);
    await committed(tx);
    return record;
  }

  /** Every queued record, oldest first. */
  async records(): Promise<QueuedRecord[]> {
    const tx = this.#db.transaction(OUTBOX_STORE, 'readonly');
    const all = (await request(tx.objectStore(OUTBOX_STORE).getAll())) as QueuedRecord[];
    return all.sort((a, b) => a.created_at - b.created_at);
  }

  /** Deletes queued reports (all when no ids are given). */
  async remove(ids?: readonly string[]): Promise<void> {
    const tx = this.#db.transaction(OUTBOX_STORE, 'readwrite');
    const store = tx.objectStore(OUTBOX_STORE);
    if (ids === undefined) store.clear();
    else for (const id of ids) store.delete(id);
    await committed(tx);
  }

  /** When the queue next wants to try (ms since the epoch), or `undefined` when it is empty. */
  async nextAttemptAt(): Promise<number | undefined> {
    const records = await this.records();
    if (records.length === 0) return undefined;
    return Math.min(...records.map((record) => Math.min(record.next_attempt_at, expiryOf(record.created_at, this.#schedule))));
  }

  /**
   * Sends the reports that are due (all of them when `force`, as on `online` and page load) for
   * `apiBase`, deletes the sent, refused, unreadable and expired ones, and reschedules the rest.
   * Tabs take turns through a Web Lock, so two tabs do not send the same report at once.
   */
  async flush(apiBase: string, send: SendReport, options: { force?: boolean; now?: () => number } = {}): Promise<FlushOutcome[]> {
    const run = () => this.#flush(apiBase, send, options.force ?? false, options.now ?? Date.now);
    const locks = (globalThis.navigator as Navigator | undefined)?.locks;
    if (locks === undefined) return run();
    const outcome = await locks.request(LOCK_NAME, { ifAvailable: true }, (lock) => (lock === null ? [] : run()));
    return outcome;
  }

  async #flush(apiBase: string, send: SendReport, force: boolean, now: () => number): Promise<FlushOutcome[]> {
    const outcomes: FlushOutcome[] = [];
    for (const record of await this.records()) {
      if (now() >= expiryOf(record.created_at, this.#schedule)) {
        await this.remove([record.id]);
        outcomes.push({ id: record.id, kind: 'expired' });
        continue;
      }
      if (!force && now() < record.next_attempt_at) continue;
      let payload: QueuedPayload;
      try {
        payload = (await open(this.#key, record.id, record)) as QueuedPayload;
      } catch {
        await this.remove([record.id]);
        outcomes.push({ id: record.id, kind: 'unreadable' });
        continue;
      }
      if (payload.api_base !== apiBase) continue;
      const result = await send(payload.report);
      if (result.kind === 'retry') {
        const attempts = record.attempts + 1;
        const nextAttemptAt = now() + retryDelay(attempts, this.#schedule);
        const tx = this.#db.transaction(OUTBOX_STORE, 'readwrite');
        tx.objectStore(OUTBOX_STORE).put({ ...record, attempts, next_attempt_at: nextAttemptAt });
        await committed(tx);
        outcomes.push({ id: record.id, kind: 'retry', nextAttemptAt });
        // The API is unreachable: the other reports would fail the same way.
        break;
      }
      await this.remove([record.id]);
      outcomes.push(
        result.kind === 'sent'
          ? { id: record.id, kind: 'sent', receipt: result.receipt }
          : { id: record.id, kind: 'rejected', status: result.status, requestId: result.requestId },
      );
    }
    return outcomes;
  }

  /** Closes the database connection. */
  close(): void {
    this.#db.close();
  }
}
