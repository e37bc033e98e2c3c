import type { SMTPPoolOptions, Transporter } from 'nodemailer';
import { createPooledTransport } from './invitations/pooled-transport.js';
import { DialogueError } from './errors.js';
import { classifySmtpFailure } from './invitations/smtp-failure.js';
import { isPlainMailbox } from './invitations/ics-text.js';
import type { SaveDialogue } from './invitations/send-invitations.js';
import type { Dialogue, ReminderRecord } from './model.js';
import { buildReminderEmail } from './reminder-email.js';
import { planReminders, reminderItemKey, type ReminderPlanOptions } from './reminder-plan.js';

/** Options of {@link sendReminders}. */
export interface SendRemindersOptions extends ReminderPlanOptions {
  /** A nodemailer transport to send through; it is not closed. Give this or `smtpUrl`. */
  transport?: Transporter;
  /** `smtp://user:pass@host:port`: one pooled transport is opened and closed by the run. */
  smtpUrl?: string;
  /** Extra nodemailer pool settings for `smtpUrl`. */
  smtpOptions?: Omit<SMTPPoolOptions, 'pool'>;
  /** @default 5 */
  ratePerSecond?: number;
  /** Attempts per reminder for transient failures. @default 4 */
  attempts?: number;
  /** Delay before the first retry, doubled for each next one. @default 500 */
  backoffMs?: number;
  /** @default () => new Date() */
  now?: () => Date;
}

/** A reminder that did not go, by organisation id. */
export interface ReminderProblem {
  organisation_id: string;
  /** SMTP reply code, error code or `BAD_ADDRESS`. */
  code: string;
}

/** What a run of {@link sendReminders} did. */
export interface ReminderSummary {
  planned: number;
  sent: number;
  rejected: ReminderProblem[];
  failed: ReminderProblem[];
  /** Sent again after a crash left the outcome unknown: the organisation may have two copies. */
  possiblyDuplicated: string[];
}

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/**
 * Sends each owner organisation's contact mailbox one reminder per reporting period with its due and
 * overdue recommendations, keeping the reminder send log (`dialogue.reminders`) with the same
 * discipline as invitations: the entry is saved as `sending` before the message goes and as `sent`,
 * `rejected` or `failed` after; a re-run sends only what is missing; an entry left `sending` by a crash
 * is sent again and reported as possibly sent twice. Transient failures are retried with backoff;
 * permanent ones are recorded and the others still go. Changes `dialogue` in place and saves it
 * through `save` (e.g. `saveToStore(store)`).
 *
 * @example
 * const summary = await sendReminders(dialogue, saveToStore(store), { smtpUrl: 'smtp://mail.example.org:587' });
 */
export async function sendReminders(dialogue: Dialogue, save: SaveDialogue, options: SendRemindersOptions = {}): Promise<ReminderSummary> {
  if (options.transport === undefined && options.smtpUrl === undefined) {
    throw new DialogueError('sendReminders needs a transport or an smtpUrl', { code: 'NO_TRANSPORT' });
  }
  const now = options.now ?? (() => new Date());
  const attempts = Math.max(1, options.attempts ?? 4);
  const backoffMs = options.backoffMs ?? 500;
  const plan = planReminders(dialogue, options);
  const summary: ReminderSummary = { planned: plan.length, sent: 0, rejected: [], failed: [], possiblyDuplicated: [] };
  if (plan.length === 0) return summary;
  const own = options.transport === undefined;
  const transport: Transporter =
    options.transport ??
    createPooledTransport({
      smtpUrl: options.smtpUrl,
      smtpOptions: options.smtpOptions,
      maxConnections: 1,
      ratePerSecond: options.ratePerSecond ?? 5,
    });
  try {
    for (const item of plan) {
      let record = dialogue.reminders.find((r) => r.organisation_id === item.organisation.id && r.content_hash === item.contentHash);
      if (record === undefined) {
        record = {
          organisation_id: item.organisation.id,
          period: item.period,
          recommendation_ids: item.items.map((i) => i.recommendation.id),
          items: item.items.map(reminderItemKey),
          content_hash: item.contentHash,
          state: 'pending',
          attempts: 0,
        } satisfies ReminderRecord;
        dialogue.reminders.push(record);
      }
      const entry = record;
      if (!isPlainMailbox(item.organisation.contact_email)) {
        entry.state = 'rejected';
        entry.last_error_code = 'BAD_ADDRESS';
        summary.rejected.push({ organisation_id: item.organisation.id, code: 'BAD_ADDRESS' });
        await save(dialogue);
        continue;
      }
      const { message, messageId } = buildReminderEmail(dialogue, item, { now: now() });
      let possiblyTwice = item.reason === 'unknown_outcome';
      for (let attempt = 1; ; attempt++) {
        entry.state = 'sending';
        entry.message_id = messageId;
        entry.attempts += 1;
        await save(dialogue);
        let error: unknown;
        let ok = false;
        try {
          const info = (await transport.sendMail(message)) as { accepted?: unknown[] };
          ok = (info.accepted?.length ?? 0) > 0;
          if (!ok) error = Object.assign(new Error('recipient not accepted'), { code: 'EENVELOPE', responseCode: 550 });
        } catch (e) {
          error = e;
        }
        if (ok) {
          entry.state = 'sent';
          entry.sent_at = now().toISOString();
          delete entry.last_error_code;
          if (possiblyTwice) {
            entry.possibly_duplicated = true;
            summary.possiblyDuplicated.push(item.organisation.id);
          }
          summary.sent += 1;
          await save(dialogue);
          break;
        }
        const failure = classifySmtpFailure(error);
        entry.last_error_code = failure.code;
        if (failure.kind === 'fatal') {
          entry.state = 'failed';
          await save(dialogue);
          throw new DialogueError(
            `the SMTP server refused the connection settings (${failure.code}); check the SMTP URL, user and password`,
            {
              code: 'SMTP_SETTINGS',
              cause: error,
            },
          );
        }
        if (failure.kind === 'permanent') {
          entry.state = 'rejected';
          summary.rejected.push({ organisation_id: item.organisation.id, code: failure.code });
          await save(dialogue);
          break;
        }
        if (failure.outcomeUnknown) possiblyTwice = true;
        entry.state = possiblyTwice ? 'sending' : 'failed';
        if (attempt >= attempts) {
          summary.failed.push({ organisation_id: item.organisation.id, code: failure.code });
          await save(dialogue);
          break;
        }
        await save(dialogue);
        await sleep(backoffMs * 2 ** (attempt - 1));
      }
    }
  } finally {
    if (own) transport.close();
  }
  return summary;
}
