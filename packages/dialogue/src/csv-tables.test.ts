import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  exportOrganisationsCsv,
  exportParticipantsCsv,
  exportRecommendationsCsv,
  importOrganisationsCsv,
  importParticipantsCsv,
  importRecommendationsCsv,
  mergeRecommendationsCsv,
} from './csv-tables.js';
import { parseCsv, stringifyCsv, unguardFormula } from './csv.js';
import { CsvImportError } from './errors.js';
import { addRecommendation, adoptRecommendation, recordProgress } from './recommendations.js';
import { sampleDialogue } from '../test/sample-dialogue.js';

/** The clock of every dated change in these tests: a fixed day, never the real one. */
const TODAY = { today: '2026-12-31' };

const userText = fc.string({ unit: 'binary', minLength: 1, maxLength: 40 });

describe('participants and organisations CSV', () => {
  it('imports UTF-8 with a BOM, CRLF and quoted cells, defaulting language to en', () => {
    const csv =
      '\uFEFFid,name,email,organisation_id,role,title\r\n' +
      'n1,"Khan, Ayesha",n1@example.org,org1,speaker,"Chairperson, ""CPB"""\r\n' +
      'n2,عائشہ,n2@example.org,org2,observer,\r\n';
    const d = importParticipantsCsv(sampleDialogue(), csv);
    expect(d.participants.slice(-2)).toEqual([
      {
        id: 'n1',
        name: 'Khan, Ayesha',
        email: 'n1@example.org',
        organisation_id: 'org1',
        role: 'speaker',
        language: 'en',
        title: 'Chairperson, "CPB"',
      },
      { id: 'n2', name: 'عائشہ', email: 'n2@example.org', organisation_id: 'org2', role: 'observer', language: 'en' },
    ]);
  });

  it('reports every bad line by row and column and imports nothing', () => {
    const before = sampleDialogue();
    const csv = [
      'id,name,email,organisation_id,role,language',
      'ok1,Fine,ok1@example.org,org1,delegate,en',
      'b1,Bad email,not-an-email,org1,delegate,en',
      'b2,Bad role,b2@example.org,org1,chief,ur',
      'b3,Too few',
      'ok1,Duplicate,dup@example.org,org1,delegate,en',
      'b4,Unknown org,b4@example.org,nope,delegate,en',
    ].join('\n');
    const error = (() => {
      try {
        importParticipantsCsv(before, csv);
      } catch (e) {
        return e;
      }
    })() as CsvImportError;
    expect(error).toBeInstanceOf(CsvImportError);
    expect(error.problems.map((p) => [p.row, p.column])).toEqual([
      [3, 'email'],
      [4, 'role'],
      [5, '(line)'],
      [6, 'id'],
    ]);
    expect(error.message).not.toContain('not-an-email');
    // The unknown organisation is found once the lines themselves are fine.
    const second = (() => {
      try {
        importParticipantsCsv(
          before,
          csv
            .split('\n')
            .filter((_, i) => i === 0 || i === 1 || i === 6)
            .join('\n'),
        );
      } catch (e) {
        return e;
      }
    })() as CsvImportError;
    expect(second.problems).toEqual([{ row: 3, column: 'organisation_id', message: 'no organisation with id "nope"' }]);
    expect(before.participants).toHaveLength(8);
  });

  it('rejects unknown and missing columns', () => {
    expect(() => importOrganisationsCsv(sampleDialogue(), 'id,name,colour\nx,y,z\n')).toThrow(
      /row 1, column colour: unknown column[\s\S]*row 1, column sector: required column is missing/,
    );
  });

  it('export -> import round-trips any names, titles and emails unchanged (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ name: userText, title: fc.option(userText, { nil: undefined }), local: fc.stringMatching(/^[a-z0-9.+_-]{1,12}$/) }),
          {
            minLength: 1,
            maxLength: 5,
          },
        ),
        fc.array(userText, { minLength: 1, maxLength: 3 }),
        (people, orgNames) => {
          let d = sampleDialogue();
          d = { ...d, participants: [], working_groups: d.working_groups.map((g) => ({ ...g, member_ids: [] })) };
          d.organisations = orgNames.map((name, i) => ({ id: `o${i}`, name, sector: 'media', contact_email: `o${i}@example.org` }));
          d.participants = people.map((p, i) => ({
            id: `x${i}`,
            name: p.name,
            email: `a${p.local.replace(/^[.]+|[.]+$/g, '').replace(/\.\.+/g, '.')}@example.org`,
            organisation_id: 'o0',
            role: 'delegate',
            language: 'ur',
            ...(p.title === undefined ? {} : { title: p.title }),
          }));
          const empty = { ...d, participants: [], organisations: [] };
          const orgs = importOrganisationsCsv(empty, exportOrganisationsCsv(d));
          const back = importParticipantsCsv(orgs, exportParticipantsCsv(d));
          expect(back.organisations).toEqual(d.organisations);
          expect(back.participants).toEqual(d.participants);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('recommendations CSV', () => {
  it('imports with defaults, generated references and group codes', () => {
    const d = importRecommendationsCsv(
      sampleDialogue(),
      'text,working_group_id,themes\nPublish data,WG1,transparency; data\nMore units,wg1,\n',
    );
    expect(d.recommendations.map((r) => [r.id, r.reference, r.working_group_id, r.status, r.themes])).toEqual([
      ['nd-wg1-r01', 'ND-WG1-R01', 'wg1', 'draft', ['transparency', 'data']],
      ['nd-wg1-r02', 'ND-WG1-R02', 'wg1', 'draft', []],
    ]);
  });

  it('export -> import round-trips recommendations with =formulas and line breaks; no cell holds JSON', () => {
    fc.assert(
      fc.property(userText, userText, (text, narrative) => {
        let d = sampleDialogue();
        d = addRecommendation(d, { text, working_group_id: 'WG2', themes: ['a b'], owner_organisation_id: 'org2', weight: 1e-7 });
        d = adoptRecommendation(d, 'ND-WG2-R01', { date: '2026-03-12' }, TODAY);
        d = recordProgress(d, 'ND-WG2-R01', { date: '2026-04-01', status: 'not_started', narrative, author: '=cmd', public: true }, TODAY);
        const csv = exportRecommendationsCsv(d, { includeInternal: true });
        // Into the dialogue it came from: nothing changes.
        const same = mergeRecommendationsCsv(d, csv, TODAY);
        expect(same.unchanged).toHaveLength(1);
        expect(same.dialogue.recommendations).toEqual(d.recommendations);
        // Into an empty one: every field back (the timeline is no JSON cell; it stays in the store).
        const back = importRecommendationsCsv({ ...d, recommendations: [] }, csv, TODAY);
        expect(back.recommendations).toEqual(d.recommendations.map((r) => ({ ...r, updates: [] })));
        const { records } = parseCsv(csv);
        expect(records[0]).not.toContain('updates');
        const cell = (name: string) => unguardFormula(records[1]![records[0]!.indexOf(name)]!);
        expect([cell('text'), cell('last_update'), cell('owner_organisation_name')]).toEqual([text, narrative, 'Org 2']);
        // A file with the `updates` column of earlier versions brings the timeline too.
        const full = importRecommendationsCsv(
          { ...d, recommendations: [] },
          withUpdates(csv, 'ND-WG2-R01', d.recommendations[0]!.updates),
          TODAY,
        );
        expect(full.recommendations).toEqual(d.recommendations);
      }),
      { numRuns: 100 },
    );
  });
});

/** Changes one cell of a CSV export, as a person would in a spreadsheet. */
function editCell(csv: string, reference: string, column: string, value: string): string {
  const { records } = parseCsv(csv);
  const header = records[0]!;
  const col = header.indexOf(column);
  const refCol = header.indexOf('reference');
  return stringifyCsv(records.map((r) => (r[refCol] === reference ? r.map((v, i) => (i === col ? value : v)) : r)));
}

/** Adds the `updates` column of earlier exports (a JSON list) to a CSV export, with `updates` for one row. */
function withUpdates(csv: string, reference: string, updates: readonly object[]): string {
  const { records } = parseCsv(csv);
  const refCol = records[0]!.indexOf('reference');
  return stringifyCsv(records.map((r, i) => [...r, i === 0 ? 'updates' : r[refCol] === reference ? JSON.stringify(updates) : '[]']));
}

function followedUp() {
  let d = addRecommendation(sampleDialogue(), { text: 'Publish data', working_group_id: 'WG1' });
  d = addRecommendation(d, { text: 'Train units', working_group_id: 'WG1' });
  d = adoptRecommendation(d, 'ND-WG1-R01', { date: '2026-03-12' }, TODAY);
  d = recordProgress(d, 'ND-WG1-R01', { date: '2026-04-01', status: 'not_started', narrative: 'Planned', author: 'Org 1' }, TODAY);
  d = recordProgress(d, 'ND-WG1-R01', { date: '2026-04-02', narrative: 'internal note', author: 'Org 1', public: false }, TODAY);
  return d;
}

describe('recommendations CSV import merges', () => {
  it('keeps the progress updates a file does not carry (a public export has no internal ones)', () => {
    const d = followedUp();
    const csv = editCell(exportRecommendationsCsv(d), 'ND-WG1-R01', 'priority', 'high');
    const { dialogue: back, changed, unchanged, added } = mergeRecommendationsCsv(d, csv);
    const r = back.recommendations.find((x) => x.reference === 'ND-WG1-R01')!;
    expect(r.priority).toBe('high');
    expect(r.updates.map((u) => u.narrative)).toEqual(['Adopted by the dialogue.', 'Planned', 'internal note']);
    expect(r.revision).toBe(d.recommendations[0]!.revision! + 1);
    expect(changed).toEqual([
      {
        id: 'nd-wg1-r01',
        reference: 'ND-WG1-R01',
        row: 2,
        fields: ['priority'],
        updates_added: 0,
        updates_changed: 0,
        overwritten: false,
      },
    ]);
    expect(unchanged.map((u) => u.reference)).toEqual(['ND-WG1-R02']);
    expect(added).toEqual([]);
  });

  it('refuses, naming the rows, a row exported before a later change, unless overwrite', () => {
    const old = exportRecommendationsCsv(followedUp(), { includeInternal: true });
    const d = recordProgress(
      followedUp(),
      'ND-WG1-R01',
      {
        date: '2026-05-01',
        status: 'in_progress',
        progress: 20,
        narrative: 'Newer',
        author: 'Org 1',
      },
      TODAY,
    );
    const stale = editCell(old, 'ND-WG1-R02', 'priority', 'low');
    let error: unknown;
    try {
      importRecommendationsCsv(d, stale);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CsvImportError);
    expect((error as CsvImportError).problems).toEqual([
      {
        row: 2,
        column: 'revision',
        message: expect.stringMatching(/^ND-WG1-R01 changed since this row was exported \(row revision 3, recorded revision 4\)/),
      },
    ]);
    const { dialogue: forced, changed } = mergeRecommendationsCsv(d, stale, { overwrite: true });
    const r = forced.recommendations[0]!;
    // The file's fields win; the newer update it lacks is kept.
    expect(r.status).toBe('not_started');
    expect(r.updates.map((u) => u.narrative)).toContain('Newer');
    expect(changed.map((c) => [c.reference, c.overwritten])).toEqual([
      ['ND-WG1-R01', true],
      ['ND-WG1-R02', false],
    ]);
  });

  it('refuses a file without revisions for recommendations already recorded, unless overwrite', () => {
    const d = followedUp();
    const csv = 'id,text,working_group_id,priority\nnd-wg1-r02,Train units,WG1,high\nnew-one,A new one,WG1,low\n';
    expect(() => importRecommendationsCsv(d, csv)).toThrow(
      /row 2, column revision: ND-WG1-R02 is already recorded and this file has no revision/,
    );
    const { dialogue: forced, changed, added } = mergeRecommendationsCsv(d, csv, { overwrite: true });
    expect(forced.recommendations.find((r) => r.id === 'nd-wg1-r02')?.priority).toBe('high');
    expect(changed.map((c) => [c.reference, c.fields])).toEqual([['ND-WG1-R02', ['priority']]]);
    expect(added.map((a) => a.id)).toEqual(['new-one']);
    // Columns the file lacks keep their recorded values.
    expect(forced.recommendations.find((r) => r.id === 'nd-wg1-r01')).toEqual(d.recommendations[0]);
  });

  it('exports a revision per row that counts every change', () => {
    const d = followedUp();
    expect(d.recommendations.map((r) => r.revision)).toEqual([3, 0]);
    const { records } = parseCsv(exportRecommendationsCsv(d));
    expect(records.map((r) => r[records[0]!.indexOf('revision')])).toEqual(['revision', '3', '0']);
  });
});

describe('recommendations CSV import checks dates', () => {
  it('refuses imported updates dated in the future, before adoption or before the last update, and a due date before adoption', () => {
    const d = followedUp();
    const r = d.recommendations[0]!;
    const add = (updates: object[]) =>
      withUpdates(exportRecommendationsCsv(d, { includeInternal: true }), 'ND-WG1-R01', [...r.updates, ...updates]);
    const update = (id: string, date: string) => ({ id, date, narrative: 'n', public: true, author: 'Org 1' });
    const problems = (csv: string) => {
      try {
        importRecommendationsCsv(d, csv, TODAY);
      } catch (error) {
        return (error as CsvImportError).problems.map((p) => `${p.row} ${p.column}: ${p.message}`);
      }
      return [];
    };
    expect(problems(add([update('x1', '2072-01-01')]))).toEqual([
      '2 updates: ND-WG1-R01, x1: the update date 2072-01-01 is refused (today is 2026-12-31 in Asia/Karachi): an update may not be dated in the future',
    ]);
    expect(problems(add([update('x2', '2026-03-01')]))[0]).toContain('an update may not be dated before the recommendation was adopted');
    expect(problems(add([update('x3', '2026-03-20')]))[0]).toContain('(its last update is dated 2026-04-02)');
    const due = editCell(exportRecommendationsCsv(d, { includeInternal: true }), 'ND-WG1-R01', 'due_date', '2020-01-01');
    expect(problems(due)).toEqual([
      '2 due_date: ND-WG1-R01: the due date 2020-01-01 is refused (it was adopted on 2026-03-12): a due date may not be before the recommendation was adopted',
    ]);
    expect(importRecommendationsCsv(d, add([update('x4', '2026-12-31')]), TODAY).recommendations[0]!.updates.at(-1)?.id).toBe('x4');
  });
});
