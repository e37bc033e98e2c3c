import { RECOMMENDATION_STATUSES } from './model.js';
import type { FollowUpReport, ReportItem, StatusRow } from './report.js';

/**
 * Escapes text a person typed for Markdown: punctuation that would format, link, start HTML or an
 * entity (`&`) is backslash-escaped, so the Markdown holds no HTML entities; line breaks become spaces
 * inside table cells.
 */
export function escapeMarkdown(text: string, options: { inline?: boolean } = {}): string {
  const escaped = text
    .replace(/[\\`*_{}[\]<>|#~!&]/g, (c) => `\\${c}`)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters a person may have typed are what it removes
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
  return options.inline === false ? escaped.replace(/\r\n?/g, '\n') : escaped.replace(/\r\n|[\r\n]/g, ' ');
}

const label = (s: string) => s.replaceAll('_', ' ');

function statusTable(title: string, rows: readonly StatusRow[]): string {
  if (rows.length === 0) return `### ${title}\n\nNo recommendations.\n`;
  const used = RECOMMENDATION_STATUSES.filter((s) => rows.some((r) => r.by_status[s] > 0));
  const head = `| ${title} | counted | ${used.map(label).join(' | ')} | average progress |`;
  const sep = `| --- | ---: | ${used.map(() => '---:').join(' | ')} | ---: |`;
  const body = rows.map(
    (r) => `| ${escapeMarkdown(r.label)} | ${r.total} | ${used.map((s) => r.by_status[s]).join(' | ')} | ${r.average_progress}% |`,
  );
  return `### By ${title}\n\n${[head, sep, ...body].join('\n')}\n`;
}

function list(title: string, items: readonly ReportItem[], empty: string): string {
  const lines = items.map(
    (i) =>
      `- **${escapeMarkdown(i.reference)}** ${escapeMarkdown(i.text)} — owner: ${escapeMarkdown(i.owner ?? 'none yet')}; next report: ${
        i.next_reporting_date ?? '—'
      }`,
  );
  return `## ${title}\n\n${lines.length === 0 ? empty : lines.join('\n')}\n`;
}

function timeline(i: ReportItem): string {
  const facts = [
    `Working group: ${escapeMarkdown(i.working_group)}`,
    `Owner: ${escapeMarkdown(i.owner ?? 'none yet')}`,
    `Status: ${label(i.status)}`,
    `Owner's response: ${i.response}`,
    `Progress: ${i.progress}%`,
    `Priority: ${i.priority}`,
    ...(i.due_date === undefined ? [] : [`Due: ${i.due_date}`]),
    ...(i.next_reporting_date === undefined ? [] : [`Next report: ${i.next_reporting_date} (${label(i.tracking)})`]),
    ...(i.parent_reference === undefined ? [] : [`Part of: ${escapeMarkdown(i.parent_reference)}`]),
    ...(i.themes.length === 0 ? [] : [`Themes: ${i.themes.map((t) => escapeMarkdown(t)).join(', ')}`]),
  ];
  const updates = i.updates.map((u) => {
    const change = u.status_to === undefined ? '' : ` ${label(u.status_from ?? '')} → ${label(u.status_to)}.`;
    const progress = u.progress === undefined ? '' : ` Progress ${u.progress}%.`;
    const evidence = u.evidence_url === undefined ? '' : ` [evidence](<${encodeURI(u.evidence_url).replaceAll('>', '%3E')}>)`;
    const internal = u.public ? '' : ' _(internal)_';
    return `  - ${u.date} — ${escapeMarkdown(u.author)}:${change}${progress} ${escapeMarkdown(u.narrative)}${evidence}${internal}`;
  });
  return [
    `### ${escapeMarkdown(i.reference)}: ${escapeMarkdown(i.text)}`,
    '',
    facts.map((f) => `- ${f}`).join('\n'),
    '- Timeline:',
    updates.length === 0 ? '  - no updates yet' : updates.join('\n'),
    '',
  ].join('\n');
}

function meetingDates(report: FollowUpReport): string {
  const first = report.dates[0];
  const last = report.dates.at(-1);
  if (first === undefined || last === undefined) return '';
  return `${first}${last === first ? '' : ` – ${last}`} · `;
}

/** The headline sentence: recommendations counted, their average progress, overdue and due ones. */
export function headline(report: FollowUpReport): string {
  const left = report.totals.not_counted === 0 ? '' : ` (${report.totals.not_counted} withdrawn or superseded, not counted)`;
  return `${report.totals.total} recommendations in force${left}, average progress ${report.totals.average_progress}%; ${report.overdue.length} overdue, ${report.due.length} due within ${report.due_within_days} days.`;
}

/** Renders the follow-up report as Markdown, stating how its figures are counted; every text a person typed is escaped. */
export function renderReportMarkdown(report: FollowUpReport): string {
  const scope = report.include_internal
    ? 'Internal report: includes internal recommendations and updates.'
    : 'Public report: public updates only; status, progress and reporting dates are as of the last public update.';
  return [
    `# Follow-up report: ${escapeMarkdown(report.title)}`,
    '',
    `${meetingDates(report)}${escapeMarkdown(report.venue)} · organised by ${escapeMarkdown(report.organiser)} · as of ${report.today} (${escapeMarkdown(report.timezone)}) · ${scope}`,
    '',
    ...(report.organisations.length === 0
      ? []
      : [
          `Participating organisations (${report.organisations.length}): ${report.organisations.map((o) => escapeMarkdown(o.name)).join(', ')}.`,
          '',
        ]),
    headline(report),
    '',
    '## How the figures are counted',
    '',
    ...report.counting_rules.map((rule) => `- ${rule}`),
    '',
    '## Status',
    '',
    statusTable('working group', report.by_working_group),
    statusTable('owner organisation', report.by_owner),
    statusTable('sector', report.by_sector),
    list('Overdue', report.overdue, 'None.'),
    list(`Due within ${report.due_within_days} days`, report.due, 'None.'),
    '## Recommendations',
    '',
    ...report.recommendations.map(timeline),
  ].join('\n');
}
