import nodemailer, { type SMTPPoolOptions, type Transporter } from 'nodemailer';
import { DialogueError } from '../errors.js';
import type { Dialogue, InvitationRecord } from '../model.js';
import { createGroupCommit } from './group-commit.js';
import { isPlainMailbox } from './ics-text.js';
import { invitationKey, planInvitations, type PlannedInvitation } from './invitation-plan.js';
import { buildInviteEmail } from './invite-email.js';
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
  /** SMTP connections used at once. @default 2 */
  readonly maxConnections?: number;
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

/** Saves the dialogue (its `invitations` send log changed in place). Called before and after each send. */
export type SaveDialogue = (dialogue: Dialogue) => Promise<unknown> | unknown;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function recordFor(dialogue: Dialogue, item: PlannedInvitation, index: Map<string, InvitationRecord>): InvitationRecord {
  const key = invitationKey(item.session.id, item.participant.id);
  let record = index.get(key);
  if (record === undefined) {
    record = {
      session_id: item.session.id,
      participant_id: item.participant.id,
      sequence_sent: item.sequence,
      method: item.method,
      content_hash: item.contentHash,
      state: 'pending',
      attempts: 0,
      partstat: 'NEEDS-ACTION',
    };
    dialogue.invitations.push(record);
    index.set(key, record);
  }
  return record;
}

function problem(item: PlannedInvitation, code: string): InvitationProblem {
  return { session_id: item.session.id, participant_id: item.participant.id, method: item.method, code };
}

/**
 * Sends what {@link planInvitations} says is due, through one pooled, rate-limited SMTP transport,
 * keeping the send log in the dialogue: each entry is saved as `sending` before its message goes
 * and as `sent`, `rejected` or `failed` after, so a re-run sends only what is missing or changed.
 * An entry a crash left at `sending` is sent again with the same UID, SEQUENCE and Message-ID and
 * reported in `possiblyDuplicated`. Transient failures (4xx, dropped connections) are retried with
 * exponential backoff; permanent ones are recorded for their participant and the batch goes on.
 * Throws (after recording what it did) only when saving fails or the settings are wrong (auth, TLS).
 *
 * @example
 * const summary = await sendInvitations(dialogue, saveToStore(store), { smtpUrl: 'smtp://127.0.0.1:2525' });
 * console.log(summary.sent, summary.rejected.length);
 */
export async function sendInvitations(
  dialogue: Dialogue,
  save: SaveDialogue,
  options: SendInvitationsOptions = {},
): Promise<SendSummary> {
  const ratePerSecond = options.ratePerSecond ?? 10;
  const maxConnections = options.maxConnections ?? 2;
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
  const commit = createGroupCommit(
    async () => {
      await save(dialogue);
    },
    { stopAfterFailure: true },
  );
  // The save that records an outcome need not hold up the next message: it is folded into the save
  // that marks the next message `sending`, which is awaited before that message goes.
  const outcomeSaves: Promise<void>[] = [];
  const recordOutcome = (): void => {
    const p = commit.commit();
    p.catch(() => undefined);
    outcomeSaves.push(p);
  };
  const ownTransport = options.transport === undefined;
  const transport: Transporter =
    options.transport ??
    nodemailer.createTransport({
      ...options.smtpOptions,
      url: options.smtpUrl,
      pool: true,
      // The pool would silently resend a message whose connection closed, even after DATA: a
      // duplicate nobody hears of. Every lost connection comes back here, to be logged and retried.
      maxRequeues: 0,
      maxConnections,
      rateLimit: ratePerSecond,
      rateDelta: 1000,
    } as SMTPPoolOptions & { pool: true });

  let sent = 0;
  let done = 0;
  let consecutiveFailures = 0;
  let stopped = false;
  let fatal: unknown;
  const rejected: InvitationProblem[] = [];
  const failed: InvitationProblem[] = [];
  const duplicated: PossiblyDuplicated[] = [];
  let next = 0;
  let notAttempted = 0;

  const report = (): void =>
    options.onProgress?.({ done, total: plan.length, sent, rejected: rejected.length, failed: failed.length });

  const sendOne = async (item: PlannedInvitation): Promise<void> => {
    const record = recordFor(dialogue, item, index);
    if (!isPlainMailbox(item.participant.email)) {
      Object.assign(record, { method: item.method, sequence_sent: item.sequence, content_hash: item.contentHash, state: 'rejected' });
      record.last_error_code = 'BAD_ADDRESS';
      rejected.push(problem(item, 'BAD_ADDRESS'));
      recordOutcome();
      return;
    }
    const { message, messageId } = buildInviteEmail(dialogue, item.session, item.participant, {
      method: item.method,
      sequence: item.sequence,
      now: now(),
    });

    const unknownBefore = item.reason === 'unknown_outcome';
    let possiblyTwice = unknownBefore;
    for (let attempt = 1; ; attempt++) {
      record.method = item.method;
      record.sequence_sent = item.sequence;
      record.content_hash = item.contentHash;
      record.state = 'sending';
      record.message_id = messageId;
      record.attempts += 1;
      if (item.method === 'REQUEST' && item.reason !== 'retry' && item.reason !== 'unknown_outcome') record.partstat = 'NEEDS-ACTION';
      await commit.commit();

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
      // Saving is outside the try: a failed save is the caller's problem, never an SMTP failure.
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
        recordOutcome();
        return;
      }
      const failure = classifySmtpFailure(outcome.error);
      record.last_error_code = failure.code;
      if (failure.kind === 'fatal') {
        record.state = 'failed';
        await commit.commit();
        throw new DialogueError(`the SMTP server refused the connection settings (${failure.code}); check the SMTP URL, user and password`, {
          code: 'SMTP_SETTINGS',
          cause: outcome.error,
        });
      }
      if (failure.kind === 'permanent') {
        record.state = 'rejected';
        rejected.push(problem(item, failure.code));
        consecutiveFailures = 0;
        recordOutcome();
        return;
      }
      // Transient. A lost connection may have delivered the message; left at `sending`, a retry or
      // the next run resends it and reports it as possibly sent twice.
      if (failure.outcomeUnknown) possiblyTwice = true;
      record.state = possiblyTwice ? 'sending' : 'failed';
      if (attempt >= attempts) {
        failed.push(problem(item, failure.code));
        consecutiveFailures++;
        recordOutcome();
        return;
      }
      await commit.commit();
      await sleep(backoffMs * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5));
    }
  };

  const worker = async (): Promise<void> => {
    while (!stopped && fatal === undefined) {
      if (consecutiveFailures >= stopAfter) {
        stopped = true;
        break;
      }
      const item = plan[next++];
      if (item === undefined) return;
      try {
        await sendOne(item);
      } catch (error) {
        fatal ??= error;
        return;
      }
      done++;
      report();
    }
  };

  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(maxConnections, plan.length)) }, () => worker()));
  } finally {
    if (ownTransport) transport.close();
  }
  const outcomes = await Promise.allSettled(outcomeSaves);
  if (fatal !== undefined) throw fatal;
  const saveFailure = outcomes.find((o) => o.status === 'rejected');
  if (saveFailure !== undefined) throw saveFailure.reason;
  notAttempted = Math.max(0, plan.length - next);
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
