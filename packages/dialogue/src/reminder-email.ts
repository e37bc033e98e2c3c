import type { SendMailOptions } from 'nodemailer';
import type { Dialogue } from './model.js';
import { escapeHtml } from './report-html.js';
import type { PlannedReminder } from './reminder-plan.js';

/** A built reminder email. */
export interface ReminderEmail {
  /** Pass to `transport.sendMail()`; addresses are objects, so no typed name can become a header. */
  message: SendMailOptions;
  /** The same for every copy of one reminder (a resend after a crash included). */
  messageId: string;
}

// Headers take one line: any control character a person typed becomes a space.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this pattern removes or finds.
const oneLine = (text: string) => text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this pattern removes or finds.
const plain = (text: string) => text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');

function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1) || 'tahaffuz.dialogue';
}

/**
 * The reminder to one owner organisation's contact mailbox: its overdue and due recommendations, each
 * with status, progress and reporting date, as plain text and HTML (English), from the organiser.
 */
export function buildReminderEmail(dialogue: Dialogue, reminder: PlannedReminder, options: { now?: Date } = {}): ReminderEmail {
  const items = [...reminder.items].sort(
    (a, b) =>
      (a.tracking.state === 'overdue' ? 0 : 1) - (b.tracking.state === 'overdue' ? 0 : 1) ||
      a.tracking.next_reporting_date.localeCompare(b.tracking.next_reporting_date) ||
      a.recommendation.reference.localeCompare(b.recommendation.reference),
  );
  const overdue = items.filter((i) => i.tracking.state === 'overdue').length;
  const title = oneLine(dialogue.title);
  const subject = `${overdue > 0 ? 'Overdue' : 'Due'}: progress report on ${items.length} recommendation${items.length === 1 ? '' : 's'} of ${title}`;
  const line = (i: (typeof items)[number]) =>
    `${i.recommendation.reference} (${i.tracking.state === 'overdue' ? 'OVERDUE' : 'due'} ${i.tracking.next_reporting_date}; ${i.recommendation.status.replaceAll('_', ' ')}, ${i.recommendation.progress}%)\n  ${plain(i.recommendation.text)}`;
  const text = [
    `Dear colleagues at ${plain(reminder.organisation.name)},`,
    '',
    `Your organisation owns these recommendations of the ${plain(dialogue.title)}. Their next progress report is due:`,
    '',
    ...items.map(line),
    '',
    `Please send a short update (what happened, progress in percent, a link to evidence if there is one) by reply to ${dialogue.organiser.email}.`,
    '',
    plain(dialogue.organiser.name),
    '',
  ].join('\n');
  const html = `<!doctype html><html lang="en"><body>
<p>Dear colleagues at <span dir="auto">${escapeHtml(reminder.organisation.name)}</span>,</p>
<p>Your organisation owns these recommendations of the <span dir="auto">${escapeHtml(dialogue.title)}</span>. Their next progress report is due:</p>
<ul>${items
    .map(
      (i) =>
        `<li><strong>${escapeHtml(i.recommendation.reference)}</strong> — ${
          i.tracking.state === 'overdue' ? '<strong>overdue</strong> since' : 'due'
        } ${escapeHtml(i.tracking.next_reporting_date)}; ${escapeHtml(i.recommendation.status.replaceAll('_', ' '))}, ${
          i.recommendation.progress
        }%<br><span dir="auto">${escapeHtml(i.recommendation.text)}</span></li>`,
    )
    .join('')}</ul>
<p>Please send a short update (what happened, progress in percent, a link to evidence if there is one) by reply to ${escapeHtml(
    dialogue.organiser.email,
  )}.</p>
<p dir="auto">${escapeHtml(dialogue.organiser.name)}</p>
</body></html>`;
  const messageId = `<reminder-${reminder.contentHash}@${domainOf(dialogue.organiser.email)}>`;
  return {
    messageId,
    message: {
      from: { name: oneLine(dialogue.organiser.name), address: dialogue.organiser.email },
      to: { name: oneLine(reminder.organisation.name), address: reminder.organisation.contact_email },
      subject,
      text,
      html,
      messageId,
      date: options.now ?? new Date(),
      headers: { 'Auto-Submitted': 'auto-generated' },
    },
  };
}
