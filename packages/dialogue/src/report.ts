import { todayIn } from './dates.js';
import {
  RECOMMENDATION_STATUSES,
  type Dialogue,
  type Priority,
  type ProgressUpdate,
  type Recommendation,
  type RecommendationStatus,
  type OwnerResponse,
  type Sector,
} from './model.js';
import { rolledUpProgress } from './recommendations.js';
import { trackingOf, type TrackingState } from './tracking.js';

/** Options of {@link buildFollowUpReport}. */
export interface ReportOptions {
  /** `YYYY-MM-DD`. @default today in the dialogue's time zone */
  today?: string;
  /**
   * Include internal recommendations and internal progress updates (a report for the organiser, not the public).
   * @default false
   */
  includeInternal?: boolean;
  /**
   * Days ahead within which a reporting date makes a recommendation due.
   * @default 14
   */
  dueWithinDays?: number;
}

/** Counts of recommendations by status and their mean (rolled-up) progress, for one group of a breakdown. */
export interface StatusRow {
  key: string;
  label: string;
  total: number;
  by_status: Record<RecommendationStatus, number>;
  /** Mean progress, 0–100, rounded to one decimal. */
  average_progress: number;
}

/** One recommendation as the report shows it. */
export interface ReportItem {
  id: string;
  reference: string;
  text: string;
  working_group_id: string;
  working_group: string;
  owner_organisation_id: string | undefined;
  owner: string | undefined;
  sector: Sector | undefined;
  status: RecommendationStatus;
  response: OwnerResponse;
  priority: Priority;
  /** Rolled up over children, rounded to one decimal. */
  progress: number;
  due_date: string | undefined;
  next_reporting_date: string | undefined;
  tracking: TrackingState;
  parent_reference: string | undefined;
  themes: string[];
  /** Its timeline, oldest first; public updates only unless internal ones were asked for. */
  updates: ProgressUpdate[];
}

/** Everything a follow-up report shows, ready to render. */
export interface FollowUpReport {
  title: string;
  venue: string;
  timezone: string;
  today: string;
  include_internal: boolean;
  due_within_days: number;
  totals: StatusRow;
  by_working_group: StatusRow[];
  by_owner: StatusRow[];
  by_sector: StatusRow[];
  due: ReportItem[];
  overdue: ReportItem[];
  recommendations: ReportItem[];
}

const round1 = (n: number) => Math.round(n * 10) / 10;

function row(key: string, label: string, items: readonly ReportItem[]): StatusRow {
  const by_status = Object.fromEntries(RECOMMENDATION_STATUSES.map((s) => [s, 0])) as Record<RecommendationStatus, number>;
  for (const i of items) by_status[i.status] += 1;
  const average = items.length === 0 ? 0 : items.reduce((sum, i) => sum + i.progress, 0) / items.length;
  return { key, label, total: items.length, by_status, average_progress: round1(average) };
}

function breakdown(
  items: readonly ReportItem[],
  keyOf: (i: ReportItem) => string,
  labels: readonly (readonly [string, string])[],
): StatusRow[] {
  const rows: StatusRow[] = [];
  for (const [key, label] of labels) {
    const members = items.filter((i) => keyOf(i) === key);
    if (members.length > 0) rows.push(row(key, label, members));
  }
  return rows;
}

/**
 * Gathers the follow-up report: status by working group, by owner organisation and by owner sector;
 * the due and overdue lists; each recommendation with its timeline. Public recommendations and public
 * updates only unless `includeInternal`.
 *
 * @example
 * const report = buildFollowUpReport(dialogue, { today: '2026-10-01' });
 * await writeFile('follow-up.html', renderReportHtml(report));
 * await writeFile('follow-up.md', renderReportMarkdown(report));
 */
export function buildFollowUpReport(dialogue: Dialogue, options: ReportOptions = {}): FollowUpReport {
  const today = options.today ?? todayIn(dialogue.timezone);
  const includeInternal = options.includeInternal ?? false;
  const dueWithinDays = options.dueWithinDays ?? 14;
  const groupName = new Map(dialogue.working_groups.map((g) => [g.id, `${g.code} ${g.theme}`] as const));
  const orgs = new Map(dialogue.organisations.map((o) => [o.id, o] as const));
  const refs = new Map(dialogue.recommendations.map((r) => [r.id, r.reference] as const));
  const visible = dialogue.recommendations.filter((r) => includeInternal || r.visibility === 'public');
  const items: ReportItem[] = visible.map((r: Recommendation) => {
    const tracking = trackingOf(r, today, { dueWithinDays });
    const owner = r.owner_organisation_id === undefined ? undefined : orgs.get(r.owner_organisation_id);
    return {
      id: r.id,
      reference: r.reference,
      text: r.text,
      working_group_id: r.working_group_id,
      working_group: groupName.get(r.working_group_id) ?? r.working_group_id,
      owner_organisation_id: owner?.id,
      owner: owner?.name,
      sector: owner?.sector,
      status: r.status,
      response: r.response,
      priority: r.priority,
      progress: round1(rolledUpProgress(dialogue, r.id)),
      due_date: r.due_date,
      next_reporting_date: tracking.next_reporting_date,
      tracking: tracking.state,
      parent_reference: r.parent_id === undefined ? undefined : refs.get(r.parent_id),
      themes: [...r.themes],
      updates: r.updates.filter((u) => includeInternal || u.public),
    };
  });
  const UNASSIGNED = '';
  const sectors = [...new Set(dialogue.organisations.map((o) => o.sector))];
  return {
    title: dialogue.title,
    venue: dialogue.venue,
    timezone: dialogue.timezone,
    today,
    include_internal: includeInternal,
    due_within_days: dueWithinDays,
    totals: row('all', 'All recommendations', items),
    by_working_group: breakdown(
      items,
      (i) => i.working_group_id,
      dialogue.working_groups.map((g) => [g.id, groupName.get(g.id) ?? g.id] as const),
    ),
    by_owner: breakdown(items, (i) => i.owner_organisation_id ?? UNASSIGNED, [
      ...dialogue.organisations.map((o) => [o.id, o.name] as const),
      [UNASSIGNED, 'No owner yet'] as const,
    ]),
    by_sector: breakdown(items, (i) => i.sector ?? UNASSIGNED, [
      ...sectors.map((s) => [s, s.replaceAll('_', ' ')] as const),
      [UNASSIGNED, 'No owner yet'] as const,
    ]),
    due: items.filter((i) => i.tracking === 'due'),
    overdue: items.filter((i) => i.tracking === 'overdue'),
    recommendations: items,
  };
}
