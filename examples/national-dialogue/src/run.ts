import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  attendanceList,
  buildFollowUpReport,
  exportDialogueJson,
  exportRecommendationsCsv,
  JsonFileStore,
  renderReportHtml,
  renderReportMarkdown,
  rescheduleSession,
  saveToStore,
  sendInvitations,
  sendReminders,
  updateDialogue,
  writeInvitationsToDir,
  type Dialogue,
  type ReminderSummary,
  type SendSummary,
} from '@tahaffuz/dialogue';
import { buildFoundingDialogue } from './founding-dialogue.js';
import { followUp } from './follow-up.js';

/** Options of {@link runFoundingDialogue}. */
export interface RunOptions {
  /** Folder for the store, the .eml files and the reports. */
  dir: string;
  /** `smtp://host:port` of the mail server the invitations go to (a local one in CI). */
  smtpUrl: string;
  /** Extra nodemailer settings (TLS for a local test server). */
  smtpOptions?: Record<string, unknown>;
  /** The day the follow-up report is written for. @default '2026-10-01' */
  reportDate?: string;
}

/** What the run produced. */
export interface RunResult {
  dialogue: Dialogue;
  unassigned: string[];
  emlFiles: number;
  firstSend: SendSummary;
  afterReschedule: SendSummary;
  /** Reminders to the owners of due and overdue recommendations, on the report date. */
  reminders: ReminderSummary;
  reports: { markdown: string; html: string; csv: string; json: string; internalHtml: string };
}

/**
 * The founding dialogue end to end: build it, store it, write the invitations as .eml files, send
 * them, move one breakout to another room (only that group hears of it), record the months of
 * follow-up, remind the owners of due and overdue recommendations, and write the follow-up report as
 * Markdown, HTML, CSV and JSON.
 */
export async function runFoundingDialogue(options: RunOptions): Promise<RunResult> {
  const store = new JsonFileStore(join(options.dir, 'store'));
  const built = await buildFoundingDialogue();
  let dialogue = await store.save(built.dialogue, 0);

  const written = await writeInvitationsToDir(dialogue, join(options.dir, 'invites'), {
    all: true,
    now: new Date('2026-02-20T09:00:00Z'),
  });

  const send = {
    smtpUrl: options.smtpUrl,
    ratePerSecond: 200,
    backoffMs: 20,
    ...(options.smtpOptions === undefined ? {} : { smtpOptions: options.smtpOptions }),
  };
  const firstSend = await sendInvitations(dialogue, saveToStore(store), send);

  // Invented change: working group 3 moves to a larger room; its members get an update, nobody else.
  dialogue = await updateDialogue(store, dialogue.id, (d) =>
    rescheduleSession(d, 'breakout-wg3', { start: '2026-03-12T12:00', end: '2026-03-12T13:15', location: 'Conference room B' }),
  );
  const afterReschedule = await sendInvitations(dialogue, saveToStore(store), send);

  const today = options.reportDate ?? '2026-10-01';
  dialogue = await updateDialogue(store, dialogue.id, (d) => followUp(d, { today }));

  const reminders = await sendReminders(dialogue, saveToStore(store), { ...send, today });
  const report = buildFollowUpReport(dialogue, { today });
  const reports = {
    markdown: join(options.dir, 'follow-up-report.md'),
    html: join(options.dir, 'follow-up-report.html'),
    csv: join(options.dir, 'recommendations.csv'),
    json: join(options.dir, 'follow-up.json'),
    internalHtml: join(options.dir, 'follow-up-report-internal.html'),
  };
  await mkdir(options.dir, { recursive: true });
  await writeFile(reports.markdown, renderReportMarkdown(report));
  await writeFile(reports.html, renderReportHtml(report));
  await writeFile(reports.csv, exportRecommendationsCsv(dialogue));
  await writeFile(reports.json, exportDialogueJson(dialogue, { today }));
  await writeFile(reports.internalHtml, renderReportHtml(buildFollowUpReport(dialogue, { today, includeInternal: true })));
  await writeFile(
    join(options.dir, 'attendance.csv'),
    [
      'session_id,participant_id,partstat',
      ...attendanceList(dialogue).map((r) => [r.session_id, r.participant_id, r.partstat].join(',')),
    ].join('\n'),
  );
  return { dialogue, unassigned: built.unassigned, emlFiles: written.length, firstSend, afterReschedule, reminders, reports };
}
