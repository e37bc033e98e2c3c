import type { SMTPPoolOptions, Transporter } from 'nodemailer';
import { createPooledTransport } from './pooled-transport.js';
import { DialogueError } from '../errors.js';
import type { Dialogue, InvitationRecord } from '../model.js';
import { createGroupCommit } from './group-commit.js';
import { isPlainMailbox } from './ics-text.js';
import { invitationKey, planInvitations, type PlannedInvitation } from './invitation-plan.js';
import { buildInviteEmail, messageIdFor } from './invite-email.js';
import { classifySmtpFailure } from './smtp-failure.js';

/** A participant's message that did not go, by ids (look names up in the dialogue). */
export interface InvitationProblem {
  readonly session_id: string;
  readonly participant_id: string;
  readonly method: 'REQUEST' | 'CANCEL';
  /** SMTP reply code (`550`), error code (`ECONNECTION`) or `BAD_ADDRESS`. */
  readonly code: string;
}

/** A message sent again with the same UID and SEQUENCE because an earlier attempt's outcome was unknown. */
export interface PossiblyDuplicated {
  readonly session_id: string;
  readonly participant_id: string;
  readonly sequence: number;
}

/** What a run of {@link sendInvitations} did. */
export interface SendSummary {
  /** Messages the server accepted in this run. */
  readonly sent: number;
  /** Messages the plan held at the start. */
  readonly planned: number;
  /** Refused for good (5xx, rejected recipient, bad address); not retried unless asked. */
  readonly rejected: readonly InvitationProblem[];
  /** Still failing after the retries (transient problems); the next run tries them again. */
  readonly failed: readonly InvitationProblem[];
  /** Sent again after an unknown outcome: the participant may have two copies of this version. */
  readonly possiblyDuplicated: readonly PossiblyDuplicated[];
  /** Planned but not attempted because the run stopped early (the server stayed unreachable). */
  readonly notAttempted: number;
}

/** Progress of a run, after each message. */
export interface SendProgress {
  readonly done: number;
  readonly total: number;
  readonly sent: number;
  readonly rejected: number;
  readonly failed: number;
}

/** Options of {@link sendInvitations}. */
export interface SendInvitationsOptions {
  /**
   * A nodemailer transport to send through; it is not closed. Give this or `smtpUrl`. A pooled
   * transport should have `maxRequeues: 0`, or it resends silently after a lost connection.
   */
  readonly transport?: Transporter;
  /** `smtp://user:pass@host:port` or `smtps://…`: one pooled transport is opened and closed by the run. */
  readonly smtpUrl?: string;
  /** Extra nodemailer pool settings for `smtpUrl` (TLS options, say). */
  readonly smtpOptions?: Omit<SMTPPoolOptions, 'pool'>;
  /** Messages per second at most: the rate limit of the pool this run opens for `smtpUrl` (a transport passed in keeps its own). @default 10 */
  readonly ratePerSecond?: number;
  /** SMTP connections used at once. @default 4 */
  readonly maxConnections?: number;
  /**
   * How many messages may be marked `sending` in the saved send log ahead of their outcome. One save
   * marks a batch of up to this many (and records the outcomes of the messages before them), so
   * 1,000 messages take about 2,000 / `sendLogWindow` saves instead of one or two per message. A crash
   * leaves at most this many entries at `sending`: the next run sends each of them again (same UID,
   * SEQUENCE and Message-ID) and reports it in `possiblyDuplicated`. `1` saves before every message.
   * @default 4 * maxConnections
   */
  readonly sendLogWindow?: number;
  /** Attempts per message for transient failures. @default 4 */
  readonly attempts?: number;
  /** Delay before the first retry; doubled for each next one (with jitter). @default 500 */
  readonly backoffMs?: number;
  /** After this many messages in a row failed transiently, stop the run (the server is down). @default 5 */
  readonly stopAfterConsecutiveFailures?: number;
  /** Send again the versions a server rejected for good. @default false */
  readonly retryRejected?: boolean;
  /** Called after each message. */
  readonly onProgress?: (progress: SendProgress) => void;
  /** The clock for DTSTAMP and `sent_at`. @default () => new Date() */
  readonly now?: () => Date;
}

/**
 * Saves the dialogue (its `invitations` send log changed in place). Called once per batch of messages
 * before they go (marking them `sending`, with the outcomes of the messages before), before each
 * retry, and at the end of the run.
 */
export type SaveDialogue = (dialogue: Dialogue) => Promise<unknown> | unknown;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A message whose `sending` mark is in a save (done or under way), with what its entry held before. */
interface Marked {
  readonly item: PlannedInvitation;
  readonly record: InvitationRecord;
  /** The entry before the mark (`undefined`: there was none), to put back if the message never goes. */
  readonly before: InvitationRecord | undefined;
}

function problem(item: PlannedInvitation, code: string): InvitationProblem {
  return { session_id: item.session.id, participant_id: item.participant.id, method: item.method, code };
}

/**
 * Sends what {@link planInvitations} says is due, through one pooled, rate-limited SMTP transport,
 * keeping the send log in the dialogue: every entry is saved as `sending` before its message goes and
 * as `sent`, `rejected` or `failed` after, so a re-run sends only what is missing or changed. The marks
 * are saved in batches (`sendLogWindow` messages at most, the outcomes of earlier messages folded into
 * the same save), so a crash leaves at most `sendLogWindow` entries at `sending`; the next run sends
 * each again with the same UID, SEQUENCE and Message-ID and reports it in `possiblyDuplicated`.
 * Transient failures (4xx, dropped connections) are retried with exponential backoff; permanent ones
 * are recorded for their participant and the batch goes on. Throws (after recording what it did)
 * only when saving fails or the settings are wrong (auth, TLS).
 *
 * @example
 * const summary = await sendInvitations(dialogue, saveToStore(store), { smtpUrl: 'smtp://127.0.0.1:2525' });
 * console.log(summary.sent, summary.rejected.length);
 */
export async function sendInvitations(dialogue: Dialogue, save: SaveDialogue, options: SendInvitationsOptions = {}): Promise<SendSummary> {
  const ratePerSecond = options.ratePerSecond ?? 10;
  const maxConnections = Math.max(1, options.maxConnections ?? 4);
  const window = Math.max(1, Math.floor(options.sendLogWindow ?? 4 * maxConnections));
  // A new batch is marked once half the window is free, so that a save marks several messages.
  const refillAt = Math.ceil(window / 2);
  const attempts = Math.max(1, options.attempts ?? 4);
  const backoffMs = options.backoffMs ?? 500;
  const stopAfter = options.stopAfterConsecutiveFailures ?? 5;
  const now = options.now ?? (() => new Date());
  if (options.transport === undefined && options.smtpUrl === undefined) {
    throw new DialogueError('sendInvitations needs a transport or an smtpUrl', { code: 'NO_TRANSPORT' });
  }

  const plan = planInvitations(dialogue, { retryRejected: options.retryRejected ?? false });
  const index = new Map(dialogue.invitations.map((r) => [invitationKey(r.session_id, r.participant_id), r] as const));
  // Once a save fails, nothing more is saved: the log on disk must not move past what it holds.
  let changed = false;
  const commit = createGroupCommit(
    async () => {
      changed = false;
      await save(dialogue);
    },
    { stopAfterFailure: true },
  );
  const ownTransport = options.transport === undefined;
  const transport: Transporter =
    options.transport ??
    createPooledTransport({ smtpUrl: options.smtpUrl, smtpOptions: options.smtpOptions, maxConnections, ratePerSecond });

  let sent = 0;
  let done = 0;
  let consecutiveFailures = 0;
  let stopped = false;
  let fatal: { error: unknown } | undefined;
  const rejected: InvitationProblem[] = [];
  const failed: InvitationProblem[] = [];
  const duplicated: PossiblyDuplicated[] = [];
  /** Plan items handed to the marker so far (marked, or recorded as a bad address). */
  let next = 0;
  /** Marked messages whose outcome is not recorded yet: never more than `window`. */
  let unsettled = 0;
  /** Marked, their save completed, waiting for a connection. */
  const ready: Marked[] = [];
  /** Marked and given back unsent (the run stopped): not attempted. */
  let givenBack = 0;
  let marking: Promise<void> | undefined;
  let waiting: (() => void)[] = [];
  const wake = (): void => {
    const w = waiting;
    waiting = [];
    for (const resolve of w) resolve();
  };

  const report = (): void => options.onProgress?.({ done, total: plan.length, sent, rejected: rejected.length, failed: failed.length });

  const mark = (item: PlannedInvitation, record: InvitationRecord): void => {
    record.method = item.method;
    record.sequence_sent = item.sequence;
    record.content_hash = item.contentHash;
    record.state = 'sending';
    record.message_id = messageIdFor(item.session, item.participant, item.method, item.sequence, dialogue.organiser.email);
    record.attempts += 1;
    if (item.method === 'REQUEST' && item.reason !== 'retry' && item.reason !== 'unknown_outcome') record.partstat = 'NEEDS-ACTION';
  };

  /** Puts an entry back as it was before its mark (its message never went). */
  const unmark = (m: Marked): void => {
    const key = invitationKey(m.item.session.id, m.item.participant.id);
    if (m.before === undefined) {
      const at = dialogue.invitations.indexOf(m.record);
      if (at !== -1) dialogue.invitations.splice(at, 1);
      index.delete(key);
      return;
    }
    for (const k of Object.keys(m.record)) delete (m.record as Partial<InvitationRecord>)[k as keyof InvitationRecord];
    Object.assign(m.record, m.before);
  };

  /**
   * Marks the next messages of the plan `sending` (as many as the window has room for) and saves them
   * with every outcome recorded since the last save; once saved they are ready to go.
   */
  const refill = (): void => {
    if (marking !== undefined || fatal !== undefined || stopped || next >= plan.length) return;
    const room = window - unsettled;
    if (room < refillAt) return;
    const batch: Marked[] = [];
    while (batch.length < room && next < plan.length) {
      const item = plan[next++];
      if (item === undefined) break;
      const key = invitationKey(item.session.id, item.participant.id);
      const existing = index.get(key);
      const before = existing === undefined ? undefined : { ...existing };
      const record: InvitationRecord = existing ?? {
        session_id: item.session.id,
        participant_id: item.participant.id,
        sequence_sent: item.sequence,
        method: item.method,
        content_hash: item.contentHash,
        state: 'pending',
        attempts: 0,
        partstat: 'NEEDS-ACTION',
      };
      if (existing === undefined) {
        dialogue.invitations.push(record);
        index.set(key, record);
      }
      if (!isPlainMailbox(item.participant.email)) {
        // Refused before any attempt: recorded in this save, never marked.
        Object.assign(record, { method: item.method, sequence_sent: item.sequence, content_hash: item.contentHash, state: 'rejected' });
        record.last_error_code = 'BAD_ADDRESS';
        rejected.push(problem(item, 'BAD_ADDRESS'));
        changed = true;
        done++;
        report();
        continue;
      }
      mark(item, record);
      batch.push({ item, record, before });
    }
    unsettled += batch.length;
    marking = commit.commit().then(
      () => {
        ready.push(...batch);
      },
      (error: unknown) => {
        fatal ??= { error };
      },
    );
    void marking.finally(() => {
      marking = undefined;
      wake();
      refill();
    });
  };

  /** The outcome of a marked message is known (in memory); it leaves the window. */
  const settle = (): void => {
    unsettled--;
    changed = true;
    refill();
  };

  const sendOne = async ({ item, record }: Marked): Promise<void> => {
    const { message, messageId } = buildInviteEmail(dialogue, item.session, item.participant, {
      method: item.method,
      sequence: item.sequence,
      now: now(),
    });
    record.message_id = messageId;

    let possiblyTwice = item.reason === 'unknown_outcome';
    for (let attempt = 1; ; attempt++) {
      if (attempt > 1) {
        // A retry is marked `sending` again and saved before it goes.
        mark(item, record);
        record.message_id = messageId;
        await commit.commit();
      }

      let outcome: { ok: true } | { ok: false; error: unknown };
      try {
        const info = (await transport.sendMail(message)) as { accepted?: unknown[] };
        outcome =
          (info.accepted?.length ?? 0) > 0
            ? { ok: true }
            : { ok: false, error: Object.assign(new Error('recipient not accepted'), { code: 'EENVELOPE', responseCode: 550 }) };
      } catch (error) {
        outcome = { ok: false, error };
      }
      // Saving is never inside that try: a failed save is the caller's problem, never an SMTP failure.
      if (outcome.ok) {
        record.state = 'sent';
        record.sent_at = now().toISOString();
        delete record.last_error_code;
        if (possiblyTwice) {
          record.possibly_duplicated = true;
          duplicated.push({ session_id: item.session.id, participant_id: item.participant.id, sequence: item.sequence });
        } else {
          delete record.possibly_duplicated;
        }
        sent++;
        consecutiveFailures = 0;
        settle();
        return;
      }
      const failure = classifySmtpFailure(outcome.error);
      record.last_error_code = failure.code;
      if (failure.kind === 'fatal') {
        record.state = 'failed';
        settle();
        throw new DialogueError(
          `the SMTP server refused the connection settings (${failure.code}); check the SMTP URL, user and password`,
          {
            code: 'SMTP_SETTINGS',
            cause: outcome.error,
          },
        );
      }
      if (failure.kind === 'permanent') {
        record.state = 'rejected';
        rejected.push(problem(item, failure.code));
        consecutiveFailures = 0;
        settle();
        return;
      }
      // Transient. A lost connection may have delivered the message; left at `sending`, a retry or
      // the next run resends it and reports it as possibly sent twice.
      if (failure.outcomeUnknown) possiblyTwice = true;
      record.state = possiblyTwice ? 'sending' : 'failed';
      if (attempt >= attempts) {
        failed.push(problem(item, failure.code));
        consecutiveFailures++;
        settle();
        return;
      }
      await sleep(backoffMs * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5));
    }
  };

  /** The next marked message to send, or `undefined` when there is none left (or the run stops). */
  const take = async (): Promise<Marked | undefined> => {
    for (;;) {
      if (fatal !== undefined || stopped) return undefined;
      const m = ready.shift();
      if (m !== undefined) return m;
      if (next >= plan.length && marking === undefined) return undefined;
      refill();
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
  };

  const worker = async (): Promise<void> => {
    for (;;) {
      if (consecutiveFailures >= stopAfter) {
        stopped = true;
        wake();
        return;
      }
      const m = await take();
      if (m === undefined) return;
      try {
        await sendOne(m);
      } catch (error) {
        fatal ??= { error };
        wake();
        return;
      }
      done++;
      report();
    }
  };

  try {
    refill();
    await Promise.all(Array.from({ length: Math.max(1, Math.min(maxConnections, plan.length)) }, () => worker()));
    await marking;
  } finally {
    if (ownTransport) transport.close();
  }
  // Marked but never sent (the run stopped early): put back as they were, so the next run does not
  // take them for unknown outcomes.
  for (const m of ready.splice(0)) {
    unmark(m);
    unsettled--;
    changed = true;
    givenBack++;
  }
  // The outcomes since the last save. After a failed save this rejects with that save's error.
  const last = !changed
    ? undefined
    : await commit.commit().then(
        () => undefined,
        (error: unknown) => ({ error }),
      );
  if (fatal !== undefined) throw fatal.error;
  if (last !== undefined) throw last.error;
  const notAttempted = Math.max(0, plan.length - next) + givenBack;
  return { sent, planned: plan.length, rejected, failed, possiblyDuplicated: duplicated, notAttempted };
}

/** The part of a `DialogueStore` that {@link saveToStore} needs. */
export interface VersionedStore {
  save(dialogue: Dialogue, expectedVersion: number): Promise<Dialogue>;
}

/**
 * A {@link SaveDialogue} that writes to a versioned store (`JsonFileStore`, `MemoryDialogueStore`) and
 * carries the new version back into the dialogue being sent, so that the next save is not refused as
 * stale. Another writer saving the same dialogue meanwhile makes the run stop with `StaleWriteError`.
 *
 * @example
 * await sendInvitations(dialogue, saveToStore(store), { smtpUrl });
 */
export function saveToStore(store: VersionedStore): SaveDialogue {
  return async (dialogue) => {
    const stored = await store.save(dialogue, dialogue.version);
    dialogue.version = stored.version;
    dialogue.updated_at = stored.updated_at;
  };
}
