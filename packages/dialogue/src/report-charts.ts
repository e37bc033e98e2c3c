import { RECOMMENDATION_STATUSES, type RecommendationStatus } from './model.js';
import type { OverduePoint, StatusRow } from './report.js';
import { escapeHtml as e } from './report-html-escape.js';

/**
 * Summary charts of the follow-up report as inline SVG: no script, no colour needed to read them
 * (every bar carries its number, the legend follows the bars' order and fills differ in lightness
 * and pattern), and each has a title and a description in words for screen readers.
 */

const label = (s: string) => s.replaceAll('_', ' ');
const short = (s: string, n = 18) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** Fill per status: lightness steps, and patterns (hatch, dots) for the states that are not moving forward. */
const FILL: Record<RecommendationStatus, string> = {
  draft: '#f2f2f2',
  adopted: '#d9d9d9',
  not_started: '#bdbdbd',
  in_progress: '#a9c1e6',
  stalled: 'hatch',
  completed: '#2f5d9e',
  verified: '#17365f',
  withdrawn: 'dots',
  superseded: 'dots',
};
const DARK = new Set<RecommendationStatus>(['completed', 'verified']);

/** The fill of a status in chart `id`: a colour, or one of the chart's own patterns (ids are unique per page). */
const fill = (id: string, status: RecommendationStatus) =>
  FILL[status] === 'hatch' || FILL[status] === 'dots' ? `url(#${id}-${FILL[status]})` : FILL[status];

const patterns = (id: string) =>
  `<defs><pattern id="${id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/><rect width="2" height="6" fill="#8a5a00"/></pattern><pattern id="${id}-dots" width="5" height="5" patternUnits="userSpaceOnUse"><rect width="5" height="5" fill="#fff"/><rect x="1" y="1" width="2" height="2" fill="#555"/></pattern></defs>`;

function svg(id: string, title: string, desc: string, width: number, height: number, body: string): string {
  return `<svg role="img" aria-labelledby="${id}-t ${id}-d" viewBox="0 0 ${width} ${height}" width="100%" preserveAspectRatio="xMinYMin meet" class="chart"><title id="${id}-t">${e(title)}</title><desc id="${id}-d">${e(desc)}</desc>${body}</svg>`;
}

/** Status per working group as stacked horizontal bars, one segment per status, each with its count. */
export function statusChart(id: string, rows: readonly StatusRow[]): string {
  const used = RECOMMENDATION_STATUSES.filter((s) => rows.some((r) => r.by_status[s] > 0));
  if (used.length === 0) return '';
  const widest = Math.max(1, ...rows.map((r) => used.reduce((n, s) => n + r.by_status[s], 0)));
  const left = 160;
  const barWidth = 310;
  const rowHeight = 32;
  const legendTop = rows.length * rowHeight + 12;
  const legendRows = Math.ceil(used.length / 2);
  const height = legendTop + legendRows * 24 + 4;
  const bars = rows
    .map((r, i) => {
      const y = i * rowHeight;
      let x = left;
      const segments = used
        .filter((s) => r.by_status[s] > 0)
        .map((s) => {
          const w = (r.by_status[s] / widest) * barWidth;
          const seg = `<rect x="${x.toFixed(1)}" y="${y + 4}" width="${Math.max(w - 1, 1).toFixed(1)}" height="${rowHeight - 8}" fill="${fill(id, s)}" stroke="#333" stroke-width="0.5"/><text x="${(x + w / 2).toFixed(1)}" y="${y + rowHeight / 2 + 6}" text-anchor="middle" font-size="15" font-weight="600" fill="${DARK.has(s) ? '#fff' : '#000'}" stroke="${DARK.has(s) ? 'none' : '#fff'}" stroke-width="${DARK.has(s) ? 0 : 3}" paint-order="stroke">${r.by_status[s]}</text>`;
          x += w;
          return seg;
        })
        .join('');
      return `<text x="0" y="${y + rowHeight / 2 + 6}" font-size="15">${e(short(r.label))}</text>${segments}`;
    })
    .join('');
  const legend = used
    .map((s, i) => {
      const x = (i % 2) * 230;
      const y = legendTop + Math.floor(i / 2) * 24;
      return `<rect x="${x}" y="${y}" width="16" height="16" fill="${fill(id, s)}" stroke="#333" stroke-width="0.5"/><text x="${x + 22}" y="${y + 13}" font-size="15">${i + 1}. ${label(s)}</text>`;
    })
    .join('');
  const desc = rows
    .map(
      (r) =>
        `${r.label}: ${used
          .filter((s) => r.by_status[s] > 0)
          .map((s) => `${r.by_status[s]} ${label(s)}`)
          .join(', ')}`,
    )
    .join('; ');
  return svg(
    id,
    'Status of the recommendations per working group',
    `${desc}. Segments left to right follow the legend's order.`,
    480,
    height,
    `${patterns(id)}${bars}${legend}`,
  );
}

/** Average progress per owner organisation as horizontal bars on a 0–100 % scale, each with its value. */
export function progressChart(id: string, rows: readonly StatusRow[]): string {
  const shown = rows.filter((r) => r.total > 0);
  if (shown.length === 0) return '';
  const left = 160;
  const barWidth = 250;
  const rowHeight = 30;
  const axis = shown.length * rowHeight;
  const bars = shown
    .map((r, i) => {
      const y = i * rowHeight;
      const w = (r.average_progress / 100) * barWidth;
      return `<text x="0" y="${y + 20}" font-size="15">${e(short(r.label))}</text><rect x="${left}" y="${y + 5}" width="${barWidth}" height="${rowHeight - 10}" fill="#f2f2f2" stroke="#999" stroke-width="0.5"/><rect x="${left}" y="${y + 5}" width="${w.toFixed(1)}" height="${rowHeight - 10}" fill="#2f5d9e"/><text x="${left + barWidth + 8}" y="${y + 20}" font-size="15" font-weight="600">${r.average_progress}%</text>`;
    })
    .join('');
  const ticks = [0, 50, 100]
    .map((t) => `<text x="${left + (t / 100) * barWidth}" y="${axis + 16}" font-size="13" text-anchor="middle">${t}%</text>`)
    .join('');
  const desc = shown.map((r) => `${r.label}: ${r.average_progress}% over ${r.total}`).join('; ');
  return svg(id, 'Average progress per owner organisation', desc, 480, axis + 24, `${bars}${ticks}`);
}

/** Overdue recommendations over time as vertical bars, one per month start and one for today, each with its count. */
export function overdueChart(id: string, points: readonly OverduePoint[]): string {
  if (points.length === 0) return '';
  const top = Math.max(1, ...points.map((p) => p.overdue));
  const plot = 150;
  const step = Math.min(60, 460 / points.length);
  const width = Math.max(320, Math.ceil(step * points.length) + 20);
  const bars = points
    .map((p, i) => {
      const h = (p.overdue / top) * (plot - 20);
      const x = 10 + i * step;
      const last = i === points.length - 1;
      return `<rect x="${(x + step * 0.15).toFixed(1)}" y="${(plot - h).toFixed(1)}" width="${(step * 0.7).toFixed(1)}" height="${Math.max(h, 0.5).toFixed(1)}" fill="${last ? `url(#${id}-hatch)` : '#a40000'}" stroke="#333" stroke-width="0.5"/><text x="${(x + step / 2).toFixed(1)}" y="${(plot - h - 4).toFixed(1)}" font-size="13" text-anchor="middle" font-weight="600">${p.overdue}</text><text x="${(x + step / 2).toFixed(1)}" y="${plot + 16}" font-size="12" text-anchor="middle">${last ? 'today' : p.date.slice(0, 7)}</text>`;
    })
    .join('');
  const desc = points.map((p, i) => `${i === points.length - 1 ? `today (${p.date})` : p.date}: ${p.overdue}`).join('; ');
  return svg(
    id,
    'Overdue recommendations over time',
    `Overdue at the start of each month and today. ${desc}.`,
    width,
    plot + 24,
    `${patterns(id)}<line x1="0" y1="${plot}" x2="${width}" y2="${plot}" stroke="#333"/>${bars}`,
  );
}
