import {
  DEFAULT_SUPPRESSION_THRESHOLD,
  type HotspotQuery,
  type HotspotRow,
  type HotspotStats,
  type ReportCategory,
} from '@tahaffuz/referral-contract';
import { isoAt } from '../clock.js';
import type { OperationHandler } from '../http/create-app.js';
import { HttpProblem } from '../http/http-problem.js';

/** The [start, end) of a fixed calendar bucket in UTC: 2026-11, 2026-Q4 or 2026. */
export function periodRange(bucket: HotspotQuery['bucket'], period: string): [string, string] {
  const year = Number(period.slice(0, 4));
  let startMonth = 0;
  let months = 12;
  if (bucket === 'month') {
    startMonth = Number(period.slice(5, 7)) - 1;
    months = 1;
  } else if (bucket === 'quarter') {
    startMonth = (Number(period.slice(6, 7)) - 1) * 3;
    months = 3;
  }
  return [isoAt(Date.UTC(year, startMonth, 1)), isoAt(Date.UTC(year, startMonth + months, 1))];
}

/*
 * Counts per admin area and category over one fixed calendar bucket; a count below the threshold
 * is suppressed (null), so a small group cannot be singled out and, because buckets are fixed,
 * counts cannot be differenced across overlapping ranges. Only closed buckets are counted: while a
 * bucket runs its counts move with each report, and a provider who knows of one report (its own
 * referral, a call it took) saw `forced_marriage` in `PK-SD-KHI` go from 5 to 6 and learnt the rest
 * of that row was not it. Once the bucket has ended its counts no longer change
 * (docs/decisions/0020-hardening.md).
 */
function hotspots(threshold: number): OperationHandler {
  return async ({ ctx, key, query: raw, now }) => {
    const query = raw as HotspotQuery;
    const [start, end] = periodRange(query.bucket, query.period);
    if (Date.parse(end) > now) {
      throw new HttpProblem('validation', {
        detail: 'Counts are published for closed periods only; ask again once this period has ended.',
        invalidParams: [{ name: 'period', reason: `this ${query.bucket} has not ended yet (it ends at ${end})` }],
      });
    }
    const items: Array<{ area: string; categories: ReportCategory[] }> = [];
    if (query.kind === 'reports') {
      const rows = await ctx.db
        .selectFrom('reports')
        .select(['admin_area', 'categories'])
        .where('mode', '=', key.mode)
        .where('received_at', '>=', start)
        .where('received_at', '<', end)
        .execute();
      for (const row of rows) items.push({ area: row.admin_area ?? '', categories: JSON.parse(row.categories) as ReportCategory[] });
    } else {
      const rows = await ctx.db
        .selectFrom('cases')
        .innerJoin('case_reports', 'case_reports.case_id', 'cases.id')
        .innerJoin('reports', 'reports.id', 'case_reports.report_id')
        .select(['cases.id as case_id', 'reports.admin_area', 'reports.categories'])
        .where('cases.mode', '=', key.mode)
        .where('cases.created_at', '>=', start)
        .where('cases.created_at', '<', end)
        .orderBy('cases.id')
        .orderBy('reports.received_at')
        .execute();
      const seen = new Set<string>();
      for (const row of rows) {
        if (seen.has(row.case_id)) continue; // a case counts once, where its first report places it
        seen.add(row.case_id);
        items.push({ area: row.admin_area ?? '', categories: JSON.parse(row.categories) as ReportCategory[] });
      }
    }
    const counts = new Map<string, number>();
    for (const item of items) {
      if (query.admin_area !== undefined && item.area !== query.admin_area && !item.area.startsWith(`${query.admin_area}-`)) continue;
      for (const category of item.categories) {
        if (query.category !== undefined && category !== query.category) continue;
        const k = `${item.area}\u0000${category}`;
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
    }
    const rows: HotspotRow[] = [...counts.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, count]) => {
        const [admin_area = '', category = 'other'] = k.split('\u0000');
        return count < threshold
          ? { admin_area, category: category as ReportCategory, count: null, suppressed: true as const }
          : { admin_area, category: category as ReportCategory, count, suppressed: false as const };
      });
    const body: HotspotStats = { bucket: query.bucket, period: query.period, kind: query.kind, threshold, generated_at: isoAt(now), rows };
    return Response.json(body);
  };
}

/** The statistics operations, with the suppression threshold. */
export function statsHandlers(threshold: number = DEFAULT_SUPPRESSION_THRESHOLD): Readonly<Record<string, OperationHandler>> {
  return { 'stats.hotspots': hotspots(threshold) };
}
