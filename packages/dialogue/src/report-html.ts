import { RECOMMENDATION_STATUSES } from './model.js';
import type { FollowUpReport, ReportItem, StatusRow } from './report.js';
import { headline } from './report-markdown.js';

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return (
    text
      .replaceAll('&', '&amp;')
      .replaceAll('<', '&lt;')
      .replaceAll('>', '&gt;')
      .replaceAll('"', '&quot;')
      .replaceAll("'", '&#39;')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters a person may have typed are what it removes
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
  );
}

const e = escapeHtml;
const label = (s: string) => s.replaceAll('_', ' ');
const safeUrl = (url: string) => (/^https?:\/\//i.test(url) ? e(url) : '#');

const STYLE = `
body{font:16px/1.5 system-ui,"Noto Nastaliq Urdu",sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1a1a1a}
h1{font-size:1.6rem}h2{margin-top:2rem;border-bottom:1px solid #ccc}h3{font-size:1.05rem}
table{border-collapse:collapse;margin:.5rem 0 1.5rem;width:100%}th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:start}
td.n{text-align:end}.overdue{color:#a40000}.due{color:#8a5a00}.muted{color:#555}
article{border-top:1px solid #eee;padding-top:.5rem}dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem}dt{font-weight:600}
progress{width:8rem}ol.timeline li{margin:.25rem 0}
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
        `<tr><th scope="row" dir="auto">${e(r.label)}</th><td class="n">${r.total}</td>${used
          .map((s) => `<td class="n">${r.by_status[s]}</td>`)
          .join('')}<td class="n">${r.average_progress}%</td></tr>`,
    )
    .join('');
  return `<h3>By ${e(title)}</h3><table><thead>${head}</thead><tbody>${body}</tbody></table>`;
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
  return `<article id="${e(i.id)}"><h3>${e(i.reference)}: <span dir="auto">${e(i.text)}</span></h3><dl>${facts
    .map(([k, v]) => `<dt>${e(k)}</dt><dd dir="auto">${v}</dd>`)
    .join('')}</dl><h4>Timeline</h4>${updates}</article>`;
}

/**
 * Renders the follow-up report as one self-contained HTML page (inline styles, no scripts, nothing
 * loaded from elsewhere) that states how its figures are counted; every text a person typed is escaped.
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
<p class="muted"><span dir="auto">${e(report.venue)}</span> · as of ${e(report.today)} (${e(report.timezone)}) · ${scope}</p>
<p>${e(headline(report))}</p></header>
<main>
<h2>How the figures are counted</h2>
<ul>${report.counting_rules.map((rule) => `<li>${e(rule)}</li>`).join('')}</ul>
<h2>Status</h2>
${statusTable('working group', report.by_working_group)}
${statusTable('owner organisation', report.by_owner)}
${statusTable('sector', report.by_sector)}
${list('Overdue', 'overdue', report.overdue)}
${list(`Due within ${report.due_within_days} days`, 'due', report.due)}
<h2>Recommendations</h2>
${report.recommendations.map(article).join('\n')}
</main>
</body>
</html>
`;
}
