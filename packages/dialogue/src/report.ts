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
import { COUNTING_RULES, countedRecommendations, isInForce, partsByParent, rolledUpAmong } from './counting-rules.js';
import { addDays } from './dates.js';
import { asOf, publicView } from './public-view.js';
import { trackingIn, type TrackingState } from './tracking.js';

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

/**
 * Counts of recommendations by status and their mean (rolled-up) progress, for one group of a
 * breakdown, by the counting rules (`COUNTING_RULES`): parts count through their parent.
 */
export interface StatusRow {
  key: string;
  label: string;
  /** Recommendations in force (not withdrawn or superseded) that are not a part of another in force. */
  total: number;
  /** Withdrawn and superseded recommendations: in `by_status`, not in `total` or the average. */
  not_counted: number;
  /** The counted recommendations by status, and the withdrawn and superseded ones. */
  by_status: Record<RecommendationStatus, number>;
  /** Mean rolled-up progress of the counted recommendations, 0–100, rounded to one decimal. */
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
  /** Rolled up over its parts in force, rounded to one decimal. */
  progress: number;
  /** How many parts in force it has; due and overdue apply only to those with none. */
  parts: number;
  /** Counted in totals and averages: in force and not a part of another recommendation in force. */
  counted: boolean;
  /** Not a part of another recommendation in force: it has a row of its own in the status tables. */
  top_level: boolean;
  due_date: string | undefined;
  next_reporting_date: string | undefined;
  tracking: TrackingState;
  parent_reference: string | undefined;
  themes: string[];
  /** Its timeline, oldest first; public updates only unless internal ones were asked for. */
  updates: ProgressUpdate[];
  /** How deep it sits under other recommendations shown: 0 for one without a parent, 1 for a part, … */
  depth: number;
}

/** How many recommendations were overdue at the end of a day. */
export interface OverduePoint {
  date: string;
  overdue: number;
}

/** Everything a follow-up report shows, ready to render. */
export interface FollowUpReport {
  title: string;
  venue: string;
  timezone: string;
  /** Who organised the dialogue (the organiser's name). */
  organiser: string;
  /** The days the dialogue met (its scheduled sessions), `YYYY-MM-DD`, in order. */
  dates: string[];
  /** The organisations that took part, by name and sector (no contact details). */
  organisations: { id: string; name: string; sector: Sector }[];
  /** Overdue recommendations (without parts) at the start of each month since the first adoption, and today. */
  overdue_over_time: OverduePoint[];
  today: string;
  include_internal: boolean;
  due_within_days: number;
  /** How the figures are counted, in words; the rendered reports state them. */
  counting_rules: readonly string[];
  totals: StatusRow;
  by_working_group: StatusRow[];
  by_owner: StatusRow[];
  by_sector: StatusRow[];
  due: ReportItem[];
  overdue: ReportItem[];
  /** In reference order, each recommendation's parts right after it (`depth` says how deep). */
  recommendations: ReportItem[];
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const byReference = (a: { reference: string }, b: { reference: string }) =>
  a.reference.localeCompare(b.reference, 'en', { numeric: true, sensitivity: 'base' });

/** Recommendations in reference order, each one's children right after it, with their depth. */
function treeOrder(recommendations: readonly Recommendation[]): { r: Recommendation; depth: number }[] {
  const ids = new Set(recommendations.map((r) => r.id));
  const children = new Map<string, Recommendation[]>();
  for (const r of recommendations) {
    if (r.parent_id !== undefined && ids.has(r.parent_id)) children.set(r.parent_id, [...(children.get(r.parent_id) ?? []), r]);
  }
  const out: { r: Recommendation; depth: number }[] = [];
  const visit = (r: Recommendation, depth: number) => {
    out.push({ r, depth });
    for (const c of [...(children.get(r.id) ?? [])].sort(byReference)) visit(c, depth + 1);
  };
  for (const r of recommendations.filter((x) => x.parent_id === undefined || !ids.has(x.parent_id)).sort(byReference)) visit(r, 0);
  return out;
}

/** Overdue counts at the start of each month from the first adoption to `today`, and on `today` (at most 36 months back). */
function overdueOverTime(recommendations: readonly Recommendation[], today: string, dueWithinDays: number): OverduePoint[] {
  const first = recommendations
    .map((r) => r.adopted_on)
    .filter((d): d is string => d !== undefined && d <= today)
    .sort()[0];
  if (first === undefined) return [];
  // The 1st of the month after `d`'s month: day 28 plus 4 days is always in the next month.
  const nextMonth = (d: string) => `${addDays(`${d.slice(0, 7)}-28`, 4).slice(0, 7)}-01`;
  const days: string[] = [];
  for (let month = first.endsWith('-01') ? first : nextMonth(first); month < today; month = nextMonth(month)) days.push(month);
  days.push(today);
  return days.slice(-37).map((date) => {
    const then = recommendations.map((r) => asOf(r, date)).filter((r): r is Recommendation => r !== undefined);
    return { date, overdue: then.filter((r) => trackingIn(then, r, date, { dueWithinDays }).state === 'overdue').length };
  });
}

/** A report item with its unrounded progress, which averages use (rounding happens once, at the end). */
type Counted = ReportItem & { exact_progress: number };
const shown = ({ exact_progress: _, ...item }: Counted): ReportItem => item;

function row(key: string, label: string, items: readonly Counted[]): StatusRow {
  const by_status = Object.fromEntries(RECOMMENDATION_STATUSES.map((s) => [s, 0])) as Record<RecommendationStatus, number>;
  const members = items.filter((i) => i.top_level);
  for (const i of members) by_status[i.status] += 1;
  const counted = members.filter((i) => i.counted);
  const average = counted.length === 0 ? 0 : counted.reduce((sum, i) => sum + i.exact_progress, 0) / counted.length;
  return { key, label, total: counted.length, not_counted: members.length - counted.length, by_status, average_progress: round1(average) };
}

function breakdown(items: readonly Counted[], keyOf: (i: Counted) => string, labels: readonly (readonly [string, string])[]): StatusRow[] {
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
 * updates only unless `includeInternal`, and then every figure — status, progress, reporting dates,
 * due and overdue — comes from the public updates (`publicView`). The figures follow `COUNTING_RULES` (also in
 * `counting_rules`): withdrawn and superseded recommendations are out of totals and averages, a
 * recommendation with parts counts once with their weighted mean progress, due and overdue apply to
 * recommendations without parts.
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
  // A public report's every figure comes from public updates only (status, progress, reporting dates).
  const visible = includeInternal
    ? dialogue.recommendations
    : dialogue.recommendations.filter((r) => r.visibility === 'public').map(publicView);
  const counted = new Set(countedRecommendations(visible).map((r) => r.id));
  const inForce = new Set(visible.filter(isInForce).map((r) => r.id));
  const parts = partsByParent(visible);
  const items: Counted[] = treeOrder(visible).map(({ r, depth }) => {
    const tracking = trackingIn(visible, r, today, { dueWithinDays });
    const exact = rolledUpAmong(visible, r);
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
      progress: round1(exact),
      exact_progress: exact,
      parts: parts.get(r.id)?.length ?? 0,
      counted: counted.has(r.id),
      top_level: r.parent_id === undefined || !inForce.has(r.parent_id),
      due_date: r.due_date,
      next_reporting_date: tracking.next_reporting_date,
      tracking: tracking.state,
      parent_reference: r.parent_id === undefined ? undefined : refs.get(r.parent_id),
      themes: [...r.themes],
      updates: [...r.updates],
      depth,
    };
  });
  const UNASSIGNED = '';
  const sectors = [...new Set(dialogue.organisations.map((o) => o.sector))];
  return {
    title: dialogue.title,
    venue: dialogue.venue,
    timezone: dialogue.timezone,
    organiser: dialogue.organiser.name,
    dates: [...new Set(dialogue.sessions.filter((x) => x.status === 'scheduled').map((x) => x.start.slice(0, 10)))].sort(),
    organisations: dialogue.organisations.map((o) => ({ id: o.id, name: o.name, sector: o.sector })),
    overdue_over_time: overdueOverTime(visible, today, dueWithinDays),
    today,
    include_internal: includeInternal,
    due_within_days: dueWithinDays,
    counting_rules: COUNTING_RULES,
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
    due: items.filter((i) => i.tracking === 'due').map(shown),
    overdue: items.filter((i) => i.tracking === 'overdue').map(shown),
    recommendations: items.map(shown),
  };
}
