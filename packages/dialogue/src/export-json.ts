import type { Dialogue } from './model.js';
import { publicView } from './public-view.js';
import { buildFollowUpReport, type ReportOptions } from './report.js';

/**
 * The dialogue as JSON. With `includeInternal`, the whole stored dialogue (a backup that loads back).
 * Otherwise a public export without personal data: the dialogue's title, venue and dates, its
 * organisations (name and sector), working groups (no members), public recommendations with public
 * updates only and the status and progress those set, and the report's summaries.
 */
export function exportDialogueJson(dialogue: Dialogue, options: ReportOptions = {}): string {
  if (options.includeInternal === true) return `${JSON.stringify(dialogue, null, 2)}\n`;
  const report = buildFollowUpReport(dialogue, options);
  const view = {
    id: dialogue.id,
    title: dialogue.title,
    venue: dialogue.venue,
    timezone: dialogue.timezone,
    as_of: report.today,
    organisations: dialogue.organisations.map((o) => ({ id: o.id, name: o.name, sector: o.sector })),
    working_groups: dialogue.working_groups.map((g) => ({
      id: g.id,
      code: g.code,
      theme: g.theme,
      sectors: g.sectors,
      ...(g.closing_report === undefined ? {} : { closing_report: g.closing_report }),
    })),
    recommendations: dialogue.recommendations.filter((r) => r.visibility === 'public').map(publicView),
    summary: {
      totals: report.totals,
      by_working_group: report.by_working_group,
      by_owner: report.by_owner,
      by_sector: report.by_sector,
      due: report.due.map((i) => i.reference),
      overdue: report.overdue.map((i) => i.reference),
    },
  };
  return `${JSON.stringify(view, null, 2)}\n`;
}
