import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exportDialogueJson } from './export-json.js';
import { COUNTING_RULES } from './counting-rules.js';
import { exportRecommendationsCsv, mergeRecommendationsCsv } from './csv-tables.js';
import { addDays } from './dates.js';
import { DialogueSchema, RECOMMENDATION_STATUSES, type Recommendation } from './model.js';
import { asOf, publicView } from './public-view.js';
import { planReminders } from './reminder-plan.js';
import { overdueRecommendations, trackingOf } from './tracking.js';
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
            /^<\/?(!doctype html|html|head|meta|title|style|body|header|main|h[1-4]|p|span|table|thead|tbody|tr|th|td|ul|ol|li|a|strong|em|article|dl|dt|dd|progress|time|figure|figcaption|svg|desc|defs|pattern|rect|text|line)\b/i;
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

describe('headline numbers', () => {
  it('leave withdrawn and superseded out, count a parent once from its parts, and track only leaves', () => {
    let d = sampleDialogue();
    const add = (text: string, extra: Partial<Parameters<typeof addRecommendation>[1]> = {}) => {
      d = addRecommendation(d, { text, working_group_id: 'WG1', owner_organisation_id: 'org1', reporting_interval_days: 30, ...extra });
      const ref = d.recommendations.at(-1)!.reference;
      d = adoptRecommendation(d, ref, { date: '2026-03-01' }, TODAY);
      return ref;
    };
    const parent = add('Rehabilitation centres');
    const a = add('Punjab', { parent_id: 'nd-wg1-r01' });
    const b = add('Sindh', { parent_id: 'nd-wg1-r01' });
    const solo = add('Data');
    const typo = add('Typo');
    for (const [ref, progress] of [
      [a, 60],
      [b, 20],
      [solo, 40],
    ] as const) {
      d = recordProgress(d, ref, { date: '2026-03-20', status: 'not_started', narrative: 'n', author: 'Org 1' }, TODAY);
      d = recordProgress(d, ref, { date: '2026-03-25', status: 'in_progress', progress, narrative: 'n', author: 'Org 1' }, TODAY);
    }
    d = recordProgress(d, typo, { date: '2026-03-02', status: 'withdrawn', narrative: 'duplicate', author: 'Organiser' }, TODAY);
    const r = buildFollowUpReport(d, { today: '2026-04-10' });
    // Parent (40, from 60 and 20) and Data (40): 2 in force, average 40; the typo is not counted.
    expect(r.totals).toMatchObject({ total: 2, not_counted: 1, average_progress: 40 });
    expect(r.totals.by_status).toMatchObject({ adopted: 1, in_progress: 1, withdrawn: 1 });
    expect(r.by_working_group.map((g) => [g.key, g.total, g.average_progress])).toEqual([['wg1', 2, 40]]);
    // The parent has not reported itself since adoption, but its parts have: it is not overdue, and not reminded.
    expect(r.overdue).toEqual([]);
    expect(r.recommendations.find((i) => i.reference === parent)).toMatchObject({ parts: 2, counted: true, tracking: 'untracked' });
    expect(overdueRecommendations(d, { today: '2026-04-26' }).map((x) => x.reference)).toEqual([a, b, solo]);
    expect(planReminders(d, { today: '2026-04-26' }).flatMap((p) => p.items.map((i) => i.recommendation.reference))).toEqual([a, b, solo]);
    const md = renderReportMarkdown(r);
    expect(md).toContain('2 recommendations in force (1 withdrawn or superseded, not counted), average progress 40%; 0 overdue');
    expect(md).toContain('## How the figures are counted');
    for (const rule of COUNTING_RULES) {
      expect(md).toContain(rule);
      expect(renderReportHtml(r)).toContain(escapeHtml(rule));
    }
  });

  it('follow the counting rules for any tree of recommendations (property)', () => {
    const statuses = fc.constantFrom(...RECOMMENDATION_STATUSES);
    const spec = fc.record({
      parent: fc.option(fc.nat(), { nil: undefined }),
      status: statuses,
      progress: fc.integer({ min: 0, max: 100 }),
      weight: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
      group: fc.constantFrom('wg1', 'wg2'),
      interval: fc.integer({ min: 1, max: 60 }),
    });
    fc.assert(
      fc.property(fc.array(spec, { minLength: 1, maxLength: 10 }), fc.integer({ min: 0, max: 120 }), (specs, offset) => {
        const recs: Recommendation[] = specs.map((s, i) => ({
          id: `r${i}`,
          reference: `ND-R${i}`,
          text: `Recommendation ${i}`,
          working_group_id: s.group,
          owner_organisation_id: 'org1',
          supporter_ids: [],
          themes: [],
          priority: 'medium',
          response: 'accepted',
          status: s.status,
          progress: s.progress,
          reporting_interval_days: s.interval,
          visibility: 'public',
          updates: [],
          adopted_on: '2026-03-01',
          ...(i > 0 && s.parent !== undefined ? { parent_id: `r${s.parent % i}` } : {}),
          ...(s.weight === undefined ? {} : { weight: s.weight }),
        }));
        const d = { ...sampleDialogue(), recommendations: recs };
        const today = addDays('2026-03-01', offset);
        const report = buildFollowUpReport(d, { today });

        // The oracle, written from DESIGN.md independently of the code under test.
        const inForce = (r: Recommendation) => r.status !== 'withdrawn' && r.status !== 'superseded';
        const byId = new Map(recs.map((r) => [r.id, r] as const));
        const parts = (r: Recommendation) => recs.filter((c) => c.parent_id === r.id && inForce(c));
        const rolled = (r: Recommendation): number => {
          const ps = parts(r);
          if (ps.length === 0) return r.progress;
          const w = (c: Recommendation) => c.weight ?? 1;
          return ps.reduce((sum, c) => sum + w(c) * rolled(c), 0) / ps.reduce((sum, c) => sum + w(c), 0);
        };
        const counted = recs.filter((r) => inForce(r) && (r.parent_id === undefined || !inForce(byId.get(r.parent_id)!)));
        const mean = (rs: Recommendation[]) =>
          rs.length === 0 ? 0 : Math.round((rs.reduce((s, r) => s + rolled(r), 0) / rs.length) * 10) / 10;

        expect(report.totals.total).toBe(counted.length);
        expect(report.totals.average_progress).toBeCloseTo(mean(counted), 6);
        for (const g of report.by_working_group) {
          const inGroup = counted.filter((r) => r.working_group_id === g.key);
          expect([g.total, g.average_progress]).toEqual([inGroup.length, mean(inGroup)]);
        }
        expect(report.by_working_group.reduce((n, g) => n + g.total, 0)).toBe(counted.length);
        // Due and overdue: exactly the leaves that trackingOf says are due or overdue.
        const leaves = recs.filter((r) => parts(r).length === 0);
        for (const state of ['due', 'overdue'] as const) {
          const expected = leaves.filter((r) => trackingOf(r, today).state === state).map((r) => r.reference);
          expect((state === 'due' ? report.due : report.overdue).map((i) => i.reference).sort()).toEqual(expected.sort());
        }
        const reminded = planReminders(d, { today }).flatMap((p) => p.items.map((i) => i.recommendation.id));
        for (const id of reminded) expect(parts(byId.get(id)!)).toEqual([]);
        expect(renderReportMarkdown(report)).toContain(`${counted.length} recommendations in force`);
      }),
      { numRuns: 300 },
    );
  });
});

describe('public figures', () => {
  it('come from public updates only, in the reports, the JSON and the CSV, and a public CSV imports back without loss', () => {
    let d = tracked();
    d = recordProgress(
      d,
      'ND-WG1-R01',
      { date: '2026-03-10', status: 'in_progress', progress: 30, narrative: 'Public step', author: 'Org 1' },
      TODAY,
    );
    d = recordProgress(
      d,
      'ND-WG1-R01',
      { date: '2026-04-20', status: 'stalled', progress: 35, narrative: 'SECRET stall', author: 'Org 1', public: false },
      TODAY,
    );
    const today = '2026-04-25';
    const pub = buildFollowUpReport(d, { today });
    expect(pub.recommendations[0]).toMatchObject({
      status: 'in_progress',
      progress: 30,
      next_reporting_date: '2026-04-09',
      tracking: 'overdue',
    });
    expect(pub.totals).toMatchObject({ average_progress: 30, by_status: expect.objectContaining({ in_progress: 1, stalled: 0 }) });
    const internal = buildFollowUpReport(d, { today, includeInternal: true });
    expect(internal.recommendations[0]).toMatchObject({
      status: 'stalled',
      progress: 35,
      next_reporting_date: '2026-05-20',
      tracking: 'on_track',
    });
    const md = renderReportMarkdown(pub);
    for (const out of [md, renderReportHtml(pub), exportRecommendationsCsv(d)]) expect(out).not.toMatch(/stalled|SECRET|35/);
    expect(exportDialogueJson(d, { today })).not.toMatch(/SECRET|"stalled": 1|: 35/);
    expect(md).toContain('Public report: public updates only; status, progress and reporting dates are as of the last public update.');
    expect(JSON.parse(exportDialogueJson(d, { today })).recommendations[0]).toMatchObject({ status: 'in_progress', progress: 30 });
    const back = mergeRecommendationsCsv(d, exportRecommendationsCsv(d), TODAY);
    expect(back.unchanged.map((u) => u.reference)).toEqual(['ND-WG1-R01']);
    expect(back.dialogue.recommendations).toEqual(d.recommendations);
  });
});

describe('the HTML follow-up report', () => {
  function parented() {
    let d = tracked();
    d = addRecommendation(d, { text: 'Part B & more', working_group_id: 'WG1', parent_id: 'nd-wg1-r01', reference: 'ND-WG1-R10' });
    d = addRecommendation(d, { text: 'Part A', working_group_id: 'WG1', parent_id: 'nd-wg1-r01', reference: 'ND-WG1-R02' });
    d = addRecommendation(d, { text: 'Another', working_group_id: 'WG1', reference: 'ND-WG1-R03' });
    return d;
  }

  it('shows the dialogue, summary charts with text alternatives, and parts under their parent in reference order', () => {
    const report = buildFollowUpReport(parented(), { today: '2026-06-15' });
    expect(report.recommendations.map((i) => [i.reference, i.depth])).toEqual([
      ['ND-WG1-R01', 0],
      ['ND-WG1-R02', 1],
      ['ND-WG1-R10', 1],
      ['ND-WG1-R03', 0],
    ]);
    // Adopted 2026-03-01 with a 30-day interval and last reported 2026-03-05: overdue from 2026-04-05 on.
    expect(report.overdue_over_time).toEqual([
      { date: '2026-03-01', overdue: 0 },
      { date: '2026-04-01', overdue: 0 },
      { date: '2026-05-01', overdue: 1 },
      { date: '2026-06-01', overdue: 1 },
      { date: '2026-06-15', overdue: 1 },
    ]);
    const html = renderReportHtml(report);
    expect(html).toContain('<time datetime="2026-03-12">2026-03-12</time> · <span dir="auto">Hall A</span> · organised by');
    expect(html).toContain('Participating organisations (4): <span dir="auto">Org 1</span>, <span dir="auto">Org 2</span>');
    const charts =
      html.match(/<svg role="img" aria-labelledby="([\w-]+)-t \1-d"[^>]*><title id="\1-t">[^<]+<\/title><desc id="\1-d">[^<]+<\/desc>/g) ??
      [];
    expect(charts).toHaveLength(3);
    expect(html).toContain('<desc id="chart-status-d">WG1 Enforcement: 1 draft, 1 not started');
    expect(html).not.toMatch(/<script|\son\w+=|javascript:/i);
    expect(html).toMatch(/<article id="nd-wg1-r02" class="part">/);
    expect(html).toContain('@page{size:A4;margin:15mm}');
    expect(html).toContain('@media (max-width:40rem)');
    expect(html).toContain('<td class="n" data-label="average progress">');
  });

  it('leaves no HTML entity in the Markdown', () => {
    const md = renderReportMarkdown(buildFollowUpReport(parented(), { today: '2026-06-15' }));
    expect(md).toContain('Part B \\& more');
    expect(md).not.toMatch(/&(?:[a-z]+|#\d+|#x[0-9a-f]+);/i);
  });
});

describe('publicView', () => {
  it('replays the public updates: status and progress as they set them, recorded values when no update set any', () => {
    let d = tracked();
    d = recordProgress(
      d,
      'ND-WG1-R01',
      { date: '2026-03-10', status: 'in_progress', progress: 20, narrative: 'x', author: 'y', public: false },
      TODAY,
    );
    const r = d.recommendations[0]!;
    // Adopted and not started in public; in progress at 20 % only internally.
    expect(publicView(r)).toMatchObject({ status: 'not_started', progress: 0 });
    expect(publicView(r).updates.every((u) => u.public)).toBe(true);
    const entered = { ...r, status: 'in_progress' as const, progress: 55, updates: [] };
    expect(publicView(entered)).toMatchObject({ status: 'in_progress', progress: 55 });
    expect(asOf(r, '2026-03-07')).toMatchObject({ status: 'not_started', progress: 0 });
    expect(asOf(r, '2026-03-10')).toMatchObject({ status: 'in_progress', progress: 20 });
    expect(asOf(r, '2026-02-28')).toBeUndefined();
  });
});
