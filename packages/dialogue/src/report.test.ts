import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exportDialogueJson } from './export-json.js';
import { DialogueSchema } from './model.js';
import { addRecommendation, adoptRecommendation, assignRecommendation, recordProgress } from './recommendations.js';
import { buildFollowUpReport } from './report.js';
import { escapeHtml, renderReportHtml } from './report-html.js';
import { escapeMarkdown, renderReportMarkdown } from './report-markdown.js';
import { sampleDialogue } from '../test/sample-dialogue.js';

/** The clock of every dated change in these tests: a fixed day, never the real one. */
const TODAY = { today: '2026-12-31' };

function tracked(text = 'Publish data', narrative = 'Begun') {
  let d = addRecommendation(sampleDialogue(), { text, working_group_id: 'WG1' });
  d = addRecommendation(d, { text: 'Hidden', working_group_id: 'WG2', visibility: 'internal' });
  d = adoptRecommendation(d, 'ND-WG1-R01', { date: '2026-03-01' }, TODAY);
  d = assignRecommendation(d, 'ND-WG1-R01', { owner_organisation_id: 'org1', reporting_interval_days: 30 });
  d = recordProgress(d, 'ND-WG1-R01', { date: '2026-03-05', status: 'not_started', narrative, author: 'Org 1' }, TODAY);
  d = recordProgress(d, 'ND-WG1-R01', { date: '2026-03-06', narrative: 'SECRET internal note', author: 'Org 1', public: false }, TODAY);
  return d;
}

describe('follow-up report', () => {
  it('breaks status down by working group, owner and sector, and lists due and overdue', () => {
    const r = buildFollowUpReport(tracked(), { today: '2026-04-10' });
    expect(r.totals.total).toBe(1);
    expect(r.by_working_group.map((x) => [x.label, x.total, x.by_status.not_started])).toEqual([['WG1 Enforcement', 1, 1]]);
    expect(r.by_owner.map((x) => x.label)).toEqual(['Org 1']);
    expect(r.by_sector.map((x) => x.label)).toEqual(['law enforcement']);
    expect(r.overdue.map((x) => x.reference)).toEqual(['ND-WG1-R01']);
    expect(r.recommendations[0]?.updates.map((u) => u.narrative)).toEqual(['Adopted by the dialogue.', 'Begun']);
    const internal = buildFollowUpReport(tracked(), { today: '2026-03-25', includeInternal: true });
    expect(internal.totals.total).toBe(2);
    expect(internal.due.map((x) => x.reference)).toEqual(['ND-WG1-R01']);
  });

  it('leaves internal updates and recommendations out of public Markdown, HTML and JSON', () => {
    const d = tracked();
    for (const out of [
      renderReportMarkdown(buildFollowUpReport(d, { today: '2026-04-10' })),
      renderReportHtml(buildFollowUpReport(d, { today: '2026-04-10' })),
      exportDialogueJson(d, { today: '2026-04-10' }),
    ]) {
      expect(out).toContain('Publish data');
      expect(out).not.toContain('SECRET');
      expect(out).not.toContain('Hidden');
      expect(out).not.toContain('@example.org');
    }
    expect(renderReportHtml(buildFollowUpReport(d, { includeInternal: true, today: '2026-04-10' }))).toContain('SECRET');
    expect(DialogueSchema.parse(JSON.parse(exportDialogueJson(d, { includeInternal: true })))).toEqual(d);
  });

  it('escapes every user text in HTML and Markdown (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }),
        (text, narrative) => {
          const d = tracked(text, narrative);
          const html = renderReportHtml(buildFollowUpReport(d, { today: '2026-04-10' }));
          const tags = html.match(/<[a-z!/][^>]*>/gi) ?? [];
          const allowed =
            /^<\/?(!doctype html|html|head|meta|title|style|body|header|main|h[1-4]|p|span|table|thead|tbody|tr|th|td|ul|ol|li|a|strong|em|article|dl|dt|dd|progress|time)\b/i;
          for (const tag of tags) expect(tag).toMatch(allowed);
          expect(html).toContain(escapeHtml(text));
          expect(html).not.toMatch(/<script|\son\w+=/i);
          const md = renderReportMarkdown(buildFollowUpReport(d, { today: '2026-04-10' }));
          expect(md).toContain(escapeMarkdown(narrative));
          expect(md.match(/^### /gm)?.length).toBe(4);
          expect(md).not.toMatch(/<(?!https?:)[a-z]/i);
        },
      ),
      { numRuns: 200 },
    );
  });
});
