import { RECOMMENDATION_STATUSES } from './model.js';
import { escapeHtml } from './report-html-escape.js';
import type { FollowUpReport, ReportItem, StatusRow } from './report.js';
import { overdueChart, progressChart, statusChart } from './report-charts.js';
import { headline } from './report-markdown.js';

export { escapeHtml } from './report-html-escape.js';

const e = escapeHtml;
const label = (s: string) => s.replaceAll('_', ' ');
const safeUrl = (url: string) => (/^https?:\/\//i.test(url) ? e(url) : '#');

const STYLE = `
body{font:16px/1.5 system-ui,"Noto Nastaliq Urdu",sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1a1a1a;overflow-wrap:anywhere}
h1{font-size:1.6rem}h2{margin-top:2rem;border-bottom:1px solid #ccc}h3{font-size:1.05rem}
table{border-collapse:collapse;margin:.5rem 0 1.5rem;width:100%}th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:start}
td.n{text-align:end}.overdue{color:#a40000}.due{color:#8a5a00}.muted{color:#555}
article{border-top:1px solid #eee;padding-top:.5rem}article.part{margin-inline-start:1.5rem;border-inline-start:3px solid #ccc;padding-inline-start:.75rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem}dt{font-weight:600}
progress{width:8rem;max-width:40%}ol.timeline li{margin:.25rem 0}
figure{margin:1rem 0 1.5rem}figcaption{font-size:.9rem;color:#555}svg.chart{display:block;max-width:36rem;height:auto}
@media (max-width:40rem){
body{margin:1rem auto;padding:0 .75rem}
table.status,table.status tbody,table.status tr,table.status th,table.status td{display:block;width:auto}
table.status thead tr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
table.status tr{border:1px solid #ccc;margin-bottom:.5rem}table.status th,table.status td{border:0;text-align:start}
table.status td::before{content:attr(data-label) ": ";font-weight:600}
dl{grid-template-columns:1fr}dd{margin:0 0 .4rem}article.part{margin-inline-start:.5rem}
}
@media print{
@page{size:A4;margin:15mm}
body{max-width:none;margin:0;padding:0;font-size:10.5pt}
h2{break-after:avoid}h3,h4{break-after:avoid}table,figure,tr,li{break-inside:avoid}article{break-inside:avoid-page}
h2.recommendations{break-before:page}a{color:inherit;text-decoration:none}svg.chart{max-width:15cm}
}
`;

function statusTable(title: string, rows: readonly StatusRow[]): string {
  if (rows.length === 0) return `<h3>By ${e(title)}</h3><p>No recommendations.</p>`;
  const used = RECOMMENDATION_STATUSES.filter((s) => rows.some((r) => r.by_status[s] > 0));
  const head = `<tr><th scope="col">${e(title)}</th><th scope="col">counted</th>${used
    .map((s) => `<th scope="col">${label(s)}</th>`)
    .join('')}<th scope="col">average progress</th></tr>`;
  const body = rows
    .map(
      (r) =>
        `<tr><th scope="row" dir="auto">${e(r.label)}</th><td class="n" data-label="counted">${r.total}</td>${used
          .map((s) => `<td class="n" data-label="${label(s)}">${r.by_status[s]}</td>`)
          .join('')}<td class="n" data-label="average progress">${r.average_progress}%</td></tr>`,
    )
    .join('');
  return `<h3>By ${e(title)}</h3><table class="status"><thead>${head}</thead><tbody>${body}</tbody></table>`;
}

function list(title: string, cls: string, items: readonly ReportItem[]): string {
  const body =
    items.length === 0
      ? '<p>None.</p>'
      : `<ul>${items
          .map(
            (i) =>
              `<li class="${cls}"><a href="#${e(i.id)}"><strong>${e(i.reference)}</strong></a> <span dir="auto">${e(
                i.text,
              )}</span> — owner: <span dir="auto">${e(i.owner ?? 'none yet')}</span>; next report: ${e(i.next_reporting_date ?? '—')}</li>`,
          )
          .join('')}</ul>`;
  return `<h2>${e(title)}</h2>${body}`;
}

function article(i: ReportItem): string {
  const facts: [string, string][] = [
    ['Working group', e(i.working_group)],
    ['Owner', e(i.owner ?? 'none yet')],
    ['Status', e(label(i.status))],
    ["Owner's response", e(i.response)],
    ['Progress', `<progress max="100" value="${i.progress}">${i.progress}%</progress> ${i.progress}%`],
    ['Priority', e(i.priority)],
  ];
  if (i.due_date !== undefined) facts.push(['Due', e(i.due_date)]);
  if (i.next_reporting_date !== undefined) {
    facts.push(['Next report', `<span class="${e(i.tracking)}">${e(i.next_reporting_date)} (${e(label(i.tracking))})</span>`]);
  }
  if (i.parent_reference !== undefined) facts.push(['Part of', e(i.parent_reference)]);
  if (i.themes.length > 0) facts.push(['Themes', i.themes.map(e).join(', ')]);
  const updates =
    i.updates.length === 0
      ? '<p class="muted">No updates yet.</p>'
      : `<ol class="timeline">${i.updates
          .map((u) => {
            const change = u.status_to === undefined ? '' : ` ${e(label(u.status_from ?? ''))} → ${e(label(u.status_to))}.`;
            const progress = u.progress === undefined ? '' : ` Progress ${u.progress}%.`;
            const evidence =
              u.evidence_url === undefined ? '' : ` <a href="${safeUrl(u.evidence_url)}" rel="noopener noreferrer">evidence</a>`;
            const internal = u.public ? '' : ' <em>(internal)</em>';
            return `<li><time datetime="${e(u.date)}">${e(u.date)}</time> — <span dir="auto">${e(u.author)}</span>:${change}${progress} <span dir="auto">${e(
              u.narrative,
            )}</span>${evidence}${internal}</li>`;
          })
          .join('')}</ol>`;
  return `<article id="${e(i.id)}"${i.depth > 0 ? ' class="part"' : ''}><h3>${e(i.reference)}: <span dir="auto">${e(i.text)}</span></h3><dl>${facts
    .map(([k, v]) => `<dt>${e(k)}</dt><dd dir="auto">${v}</dd>`)
    .join('')}</dl><h4>Timeline</h4>${updates}</article>`;
}

/** The days the dialogue met, as a range when there are several. */
function meetings(report: FollowUpReport): string {
  const first = report.dates[0];
  const last = report.dates.at(-1);
  if (first === undefined || last === undefined) return '';
  return `<time datetime="${e(first)}">${e(first)}</time>${last === first ? '' : ` – <time datetime="${e(last)}">${e(last)}</time>`} · `;
}

function participants(report: FollowUpReport): string {
  if (report.organisations.length === 0) return '';
  return `<p>Participating organisations (${report.organisations.length}): ${report.organisations
    .map((o) => `<span dir="auto">${e(o.name)}</span>`)
    .join(', ')}.</p>`;
}

function chart(svg: string, alternative: string): string {
  if (svg === '') return '';
  return `<figure>${svg}<figcaption>The same figures are in ${alternative}.</figcaption></figure>`;
}

/**
 * Renders the follow-up report as one self-contained HTML page (inline styles, no scripts, nothing
 * loaded from elsewhere) that states how its figures are counted: the dialogue's dates, venue,
 * organiser and participating organisations; summary charts as inline SVG with text alternatives
 * (status per working group, progress per owner organisation, overdue over time); the status tables;
 * the recommendations in reference order with their parts under them. Print styles lay it out on A4;
 * on a phone it needs no horizontal scrolling. Every text a person typed is escaped.
 */
export function renderReportHtml(report: FollowUpReport): string {
  const scope = report.include_internal
    ? 'Internal report: includes internal recommendations and updates.'
    : 'Public report: public updates only; status, progress and reporting dates are as of the last public update.';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Follow-up report: ${e(report.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>Follow-up report: <span dir="auto">${e(report.title)}</span></h1>
<p class="muted">${meetings(report)}<span dir="auto">${e(report.venue)}</span> · organised by <span dir="auto">${e(report.organiser)}</span> · as of ${e(report.today)} (${e(report.timezone)}) · ${scope}</p>
${participants(report)}
<p>${e(headline(report))}</p></header>
<main>
<h2>Summary</h2>
${chart(statusChart('chart-status', report.by_working_group), 'the table "By working group" below')}
${chart(progressChart('chart-progress', report.by_owner), 'the table "By owner organisation" below')}
${chart(overdueChart('chart-overdue', report.overdue_over_time), 'the description of the chart')}
<h2>How the figures are counted</h2>
<ul>${report.counting_rules.map((rule) => `<li>${e(rule)}</li>`).join('')}</ul>
<h2>Status</h2>
${statusTable('working group', report.by_working_group)}
${statusTable('owner organisation', report.by_owner)}
${statusTable('sector', report.by_sector)}
${list('Overdue', 'overdue', report.overdue)}
${list(`Due within ${report.due_within_days} days`, 'due', report.due)}
<h2 class="recommendations">Recommendations</h2>
${report.recommendations.map(article).join('\n')}
</main>
</body>
</html>
`;
}
