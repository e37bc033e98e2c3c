import type { z } from 'zod';
import { CSV_BOM, guardFormula, parseCsv, stringifyCsv, unguardFormula } from './csv.js';
import { CsvImportError, type CsvProblem } from './errors.js';
import {
  DialogueSchema,
  OrganisationSchema,
  ParticipantSchema,
  ProgressUpdateSchema,
  RecommendationSchema,
  type Dialogue,
  type Organisation,
  type Participant,
  type ProgressUpdate,
  type Recommendation,
} from './model.js';
import { brokenUpdateRule, dueDateMessage, lastUpdateDate, todayOf, updateDateMessage, type DateCheckOptions } from './date-rules.js';
import { publicView } from './public-view.js';
import { canonicalJson, revisionOf } from './recommendations.js';
import { upsert } from './roster.js';
import { compact, copy } from './validate.js';

type Cells = Record<string, string | undefined>;

interface TableSpec<T extends { id: string }> {
  collection: 'organisations' | 'participants' | 'recommendations';
  columns: readonly string[];
  required: readonly string[];
  schema: z.ZodType<T>;
  /** Columns an import accepts besides `columns` (an older export's). */
  accepts?: readonly string[];
  toCells(item: T): string[];
  fromCells(cells: Cells, dialogue: Dialogue): Record<string, unknown>;
}

/** Column order of the organisations CSV. */
export const ORGANISATION_COLUMNS = ['id', 'name', 'sector', 'contact_email'] as const;
/** Column order of the participants CSV. */
export const PARTICIPANT_COLUMNS = ['id', 'name', 'email', 'organisation_id', 'role', 'language', 'title'] as const;
/**
 * Column order of the recommendations CSV. `supporter_ids`, `supporter_names` and `themes` are
 * `;`-separated; `owner_organisation_name`, `supporter_names`, `last_update_date` and `last_update`
 * are there to be read and are ignored on import; `revision` is the recommendation's revision when the
 * file was exported. An import also accepts `updates` (a JSON list of progress updates, as files from
 * earlier versions had).
 */
export const RECOMMENDATION_COLUMNS = [
  'id',
  'reference',
  'text',
  'working_group_id',
  'owner_organisation_id',
  'owner_organisation_name',
  'supporter_ids',
  'supporter_names',
  'themes',
  'priority',
  'response',
  'status',
  'progress',
  'due_date',
  'reporting_interval_days',
  'parent_id',
  'weight',
  'visibility',
  'adopted_on',
  'last_update_date',
  'last_update',
  'revision',
] as const;

/** Recommendation columns written for people to read, ignored on import. */
const READ_ONLY_COLUMNS: readonly string[] = ['owner_organisation_name', 'supporter_names', 'last_update_date', 'last_update'];

const text = (v: string | number | undefined): string => (v === undefined ? '' : String(v));
const list = (v: string | undefined): string[] | undefined =>
  v === undefined
    ? undefined
    : v
        .split(';')
        .map((s) => s.trim())
        .filter((s) => s !== '');
const num = (v: string | undefined): unknown => (v !== undefined && /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(v.trim()) ? Number(v) : v);

const organisations: TableSpec<Organisation> = {
  collection: 'organisations',
  columns: ORGANISATION_COLUMNS,
  required: ['id', 'name', 'sector', 'contact_email'],
  schema: OrganisationSchema,
  toCells: (o) => [o.id, o.name, o.sector, o.contact_email],
  fromCells: (c) => ({ id: c['id'], name: c['name'], sector: c['sector'], contact_email: c['contact_email'] }),
};

const participants: TableSpec<Participant> = {
  collection: 'participants',
  columns: PARTICIPANT_COLUMNS,
  required: ['id', 'name', 'email', 'organisation_id', 'role'],
  schema: ParticipantSchema,
  toCells: (p) => [p.id, p.name, p.email, p.organisation_id, p.role, p.language, text(p.title)],
  fromCells: (c) => ({
    id: c['id'],
    name: c['name'],
    email: c['email'],
    organisation_id: c['organisation_id'],
    role: c['role'],
    language: c['language'] ?? 'en',
    title: c['title'],
  }),
};

function recommendationsSpec(orgNames: ReadonlyMap<string, string> = new Map()): TableSpec<Recommendation> {
  const referencePrefix = 'ND';
  const name = (id: string | undefined) => (id === undefined ? '' : (orgNames.get(id) ?? ''));
  const generated = new Set<string>();
  const generate = (dialogue: Dialogue, groupId: string | undefined): string | undefined => {
    const code = dialogue.working_groups.find((g) => g.id === groupId)?.code;
    if (code === undefined) return undefined;
    const taken = new Set(dialogue.recommendations.map((r) => r.reference));
    for (let n = 1; ; n++) {
      const ref = `${referencePrefix}-${code}-R${String(n).padStart(2, '0')}`;
      if (!taken.has(ref) && !generated.has(ref)) {
        generated.add(ref);
        return ref;
      }
    }
  };
  return {
    collection: 'recommendations',
    columns: RECOMMENDATION_COLUMNS,
    accepts: ['updates'],
    required: ['text', 'working_group_id'],
    schema: RecommendationSchema,
    toCells: (r) => [
      r.id,
      r.reference,
      r.text,
      r.working_group_id,
      text(r.owner_organisation_id),
      name(r.owner_organisation_id),
      r.supporter_ids.join('; '),
      r.supporter_ids.map(name).join('; '),
      r.themes.join('; '),
      r.priority,
      r.response,
      r.status,
      String(r.progress),
      text(r.due_date),
      text(r.reporting_interval_days),
      text(r.parent_id),
      text(r.weight),
      r.visibility,
      text(r.adopted_on),
      text(r.updates.at(-1)?.date),
      text(r.updates.at(-1)?.narrative),
      String(revisionOf(r)),
    ],
    fromCells: (c, dialogue) => {
      const group = c['working_group_id'];
      const groupId =
        group === undefined || dialogue.working_groups.some((g) => g.id === group)
          ? group
          : (dialogue.working_groups.find((g) => g.code === group)?.id ?? group);
      const reference = c['reference'] ?? generate(dialogue, groupId);
      return {
        id: c['id'] ?? reference?.toLowerCase(),
        reference,
        text: c['text'],
        working_group_id: groupId,
        owner_organisation_id: c['owner_organisation_id'],
        supporter_ids: list(c['supporter_ids']) ?? [],
        themes: list(c['themes']) ?? [],
        priority: c['priority'] ?? 'medium',
        response: c['response'] ?? 'pending',
        status: c['status'] ?? 'draft',
        progress: num(c['progress']) ?? 0,
        due_date: c['due_date'],
        reporting_interval_days: num(c['reporting_interval_days']),
        parent_id: c['parent_id'],
        weight: num(c['weight']),
        visibility: c['visibility'] ?? 'public',
        adopted_on: c['adopted_on'],
        updates: c['updates'] ?? [],
        revision: num(c['revision']),
      };
    },
  };
}

function exportTable<T extends { id: string }>(spec: TableSpec<T>, items: readonly T[]): string {
  return CSV_BOM + stringifyCsv([[...spec.columns], ...items.map((i) => spec.toCells(i))].map((r) => r.map(guardFormula)));
}

/** The rows of a CSV file that passed every check of their own, with their spreadsheet row numbers. */
interface ReadTable<T> {
  header: string[];
  items: T[];
  itemRows: number[];
  itemCells: Cells[];
}

function readTable<T extends { id: string }>(dialogue: Dialogue, csv: string, spec: TableSpec<T>): ReadTable<T> {
  const { records, rows, problems } = parseCsv(csv);
  const found: CsvProblem[] = [...problems];
  const header = records[0]?.map((h) => unguardFormula(h).trim().toLowerCase());
  if (header === undefined) throw new CsvImportError([...found, { row: 1, column: '(header)', message: 'the file has no header row' }]);
  const headerRow = rows[0] ?? 1;
  const known = [...spec.columns, ...(spec.accepts ?? [])];
  header.forEach((h, i) => {
    if (!known.includes(h)) {
      found.push({ row: headerRow, column: h || `field ${i + 1}`, message: `unknown column; expected ${known.join(', ')}` });
    } else if (header.indexOf(h) !== i) {
      found.push({ row: headerRow, column: h, message: 'column appears twice' });
    }
  });
  for (const r of spec.required) {
    if (!header.includes(r)) found.push({ row: headerRow, column: r, message: 'required column is missing' });
  }
  const items: T[] = [];
  const itemRows: number[] = [];
  const itemCells: Cells[] = [];
  const seen = new Map<string, number>();
  records.slice(1).forEach((record, k) => {
    const row = rows[k + 1] ?? k + 2;
    if (record.length !== header.length) {
      found.push({ row, column: '(line)', message: `has ${record.length} fields, the header has ${header.length}` });
      return;
    }
    const cells: Cells = {};
    header.forEach((h, i) => {
      const v = unguardFormula(record[i] ?? '');
      cells[h] = v === '' ? undefined : v;
    });
    let raw: Record<string, unknown>;
    try {
      raw = spec.fromCells(cells, dialogue);
    } catch {
      found.push({ row, column: '(line)', message: 'could not read this line' });
      return;
    }
    if (spec.collection === 'recommendations' && typeof raw['updates'] === 'string') {
      try {
        raw['updates'] = JSON.parse(raw['updates']) as unknown;
      } catch {
        found.push({ row, column: 'updates', message: 'not a JSON list of progress updates' });
        return;
      }
      const u = ProgressUpdateSchema.array().safeParse(raw['updates']);
      if (!u.success) {
        for (const issue of u.error.issues) {
          found.push({ row, column: 'updates', message: `${issue.path.join('.')}: ${issue.message}` });
        }
        return;
      }
    }
    const parsed = spec.schema.safeParse(compact(raw));
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        found.push({ row, column: String(issue.path[0] ?? '(line)'), message: issue.message });
      }
      return;
    }
    const previous = seen.get(parsed.data.id);
    if (previous !== undefined) {
      found.push({ row, column: 'id', message: `id "${parsed.data.id}" is also on row ${previous}` });
      return;
    }
    seen.set(parsed.data.id, row);
    items.push(parsed.data);
    itemRows.push(row);
    itemCells.push(cells);
  });
  if (found.length > 0) throw new CsvImportError(found);
  return { header, items, itemRows, itemCells };
}

/** Validates the dialogue a table import produced, naming the CSV row of each problem it can place. */
function checkImported<T extends { id: string }>(
  next: Dialogue,
  spec: TableSpec<T>,
  items: readonly T[],
  itemRows: readonly number[],
): Dialogue {
  const check = DialogueSchema.safeParse(next);
  if (check.success) return check.data;
  const found: CsvProblem[] = [];
  const rowOfIndex = new Map<number, number>();
  const list = next[spec.collection] as unknown as T[];
  items.forEach((item, k) => {
    rowOfIndex.set(
      list.findIndex((x) => x.id === item.id),
      itemRows[k] ?? 0,
    );
  });
  for (const issue of check.error.issues) {
    const [collection, index, column] = issue.path;
    const row = collection === spec.collection && typeof index === 'number' ? rowOfIndex.get(index) : undefined;
    found.push({
      row: row ?? 0,
      column: row === undefined ? issue.path.join('.') : String(column ?? '(line)'),
      message: issue.message,
    });
  }
  throw new CsvImportError(found);
}

function importTable<T extends { id: string }>(dialogue: Dialogue, csv: string, spec: TableSpec<T>): Dialogue {
  const { items, itemRows } = readTable(dialogue, csv, spec);
  const next = copy(dialogue);
  (next[spec.collection] as unknown as T[]) = upsert(next[spec.collection] as unknown as T[], items);
  return checkImported(next, spec, items, itemRows);
}

/** Organisations as CSV (header `id,name,sector,contact_email`), formula cells guarded, with the BOM Excel needs to read UTF-8. */
export function exportOrganisationsCsv(dialogue: Dialogue): string {
  return exportTable(organisations, dialogue.organisations);
}

/**
 * Imports organisations from CSV (UTF-8, with or without BOM): new ids are added, known ids replaced.
 * Every bad line is reported by row and column in one `CsvImportError`, and then nothing is imported.
 */
export function importOrganisationsCsv(dialogue: Dialogue, csv: string): Dialogue {
  return importTable(dialogue, csv, organisations);
}

/** Participants as CSV (header `id,name,email,organisation_id,role,language,title`), formula cells guarded, with a BOM. */
export function exportParticipantsCsv(dialogue: Dialogue): string {
  return exportTable(participants, dialogue.participants);
}

/**
 * Imports participants from CSV like {@link importOrganisationsCsv}; `language` defaults to `en`.
 *
 * @example
 * dialogue = importParticipantsCsv(dialogue, await readFile('participants.csv', 'utf8'));
 */
export function importParticipantsCsv(dialogue: Dialogue, csv: string): Dialogue {
  return importTable(dialogue, csv, participants);
}

/** Options of {@link exportRecommendationsCsv}. */
export interface RecommendationsCsvOptions {
  /**
   * Include internal recommendations and internal progress updates.
   * @default false
   */
  includeInternal?: boolean;
}

/**
 * Recommendations as CSV with a BOM, one per row, for people and spreadsheets: organisation names next
 * to their ids, the date and narrative of the latest update (no JSON in any cell), and the revision in
 * `revision`. Importing it back changes nothing; the progress updates stay as recorded. Without `includeInternal`, public recommendations as the
 * public sees them: public updates only, and the status and progress those set (`publicView`).
 */
export function exportRecommendationsCsv(dialogue: Dialogue, options: RecommendationsCsvOptions = {}): string {
  const includeInternal = options.includeInternal ?? false;
  const items = includeInternal
    ? dialogue.recommendations
    : dialogue.recommendations.filter((r) => r.visibility === 'public').map(publicView);
  return exportTable(recommendationsSpec(new Map(dialogue.organisations.map((o) => [o.id, o.name] as const))), items);
}

/** Options of {@link importRecommendationsCsv} and {@link mergeRecommendationsCsv}; `today` is the clock of the date rules. */
export interface RecommendationsImportOptions extends DateCheckOptions {
  /**
   * Apply rows exported before a later change of their recommendation, and rows without a revision,
   * instead of refusing them. Their cells replace the stored fields; progress updates are still merged.
   * @default false
   */
  overwrite?: boolean;
}

/** One row of a recommendations import, by id and reference (never its text). */
export interface RecommendationImportRow {
  id: string;
  reference: string;
  /** The spreadsheet row it came from. */
  row: number;
}

/** A recommendation an import changed, and what changed in it. */
export interface RecommendationImportChange extends RecommendationImportRow {
  /** The fields whose value changed, in column order. */
  fields: string[];
  /** Progress updates the file carried that the store did not have. */
  updates_added: number;
  /** Progress updates the file carried with the same id and other content. */
  updates_changed: number;
  /** The row was older than the store's state (or had no revision) and `overwrite` applied it anyway. */
  overwritten: boolean;
}

/** What {@link mergeRecommendationsCsv} did. */
export interface RecommendationsImport {
  dialogue: Dialogue;
  added: RecommendationImportRow[];
  changed: RecommendationImportChange[];
  unchanged: RecommendationImportRow[];
}

/** Fields an empty cell clears; an empty cell of any other column keeps the stored value. */
const CLEARABLE = new Set(['owner_organisation_id', 'due_date', 'reporting_interval_days', 'parent_id', 'weight', 'adopted_on']);
const LISTS = new Set(['supporter_ids', 'themes']);
const FIELDS = RECOMMENDATION_COLUMNS.filter((c) => c !== 'id' && c !== 'revision' && !READ_ONLY_COLUMNS.includes(c));

function mergeUpdates(
  stored: readonly ProgressUpdate[],
  incoming: readonly ProgressUpdate[],
): { updates: ProgressUpdate[]; added: ProgressUpdate[]; changed: ProgressUpdate[] } {
  const updates = stored.map((u) => ({ ...u }));
  const added: ProgressUpdate[] = [];
  const changed: ProgressUpdate[] = [];
  for (const u of incoming) {
    const at = updates.findIndex((x) => x.id === u.id);
    if (at === -1) {
      updates.push(u);
      added.push(u);
    } else if (canonicalJson(updates[at]) !== canonicalJson(u)) {
      updates[at] = u;
      changed.push(u);
    }
  }
  // Stable: updates of the same day keep the order they were recorded in.
  updates.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { updates, added, changed };
}

/**
 * Imports recommendations from CSV and says what changed. Only `text` and `working_group_id` (id or
 * code, e.g. `WG2`) are required; a new recommendation defaults as `addRecommendation` does
 * (`draft`, `pending`, `medium`, `public`), `reference` to the next free `ND-<group code>-Rnn` and `id`
 * to the reference in lower case.
 *
 * A row for a recommendation the dialogue already holds is merged into it: the columns the file has
 * replace the stored fields (an empty cell clears an optional field and keeps a required one), the
 * progress updates it carries are added or, with the same id, replaced, and **updates it does not carry
 * are kept** (a public export has no internal updates). Such a row must carry the recommendation's
 * `revision` as exported; a row exported before a later change, or without a revision, is refused with
 * a `CsvImportError` naming each row, unless `overwrite`. Statuses are taken as written (a restore, not
 * a transition). Nothing is imported when any row is refused.
 *
 * @example
 * const { dialogue: next, added, changed } = mergeRecommendationsCsv(dialogue, await readFile('recs.csv', 'utf8'));
 * for (const c of changed) console.log(`${c.reference}: ${c.fields.join(', ')}`);
 */
export function mergeRecommendationsCsv(
  dialogue: Dialogue,
  csv: string,
  options: RecommendationsImportOptions = {},
): RecommendationsImport {
  const spec = recommendationsSpec();
  const { header, items, itemRows, itemCells } = readTable(dialogue, csv, spec);
  const overwrite = options.overwrite ?? false;
  const today = todayOf(dialogue, options);
  /** The date rules for what a row brings: its new or changed updates, and its due date when it changed. */
  const checkDates = (
    row: number,
    r: Recommendation,
    brought: readonly ProgressUpdate[],
    after: string | undefined,
    dueChanged: boolean,
  ): boolean => {
    const before = found.length;
    for (const u of brought) {
      const rule = brokenUpdateRule(r, u.date, today, after);
      if (rule !== undefined) {
        found.push({
          row,
          column: 'updates',
          message: `${r.reference}, ${u.id}: ${updateDateMessage(r, rule, u.date, today, dialogue.timezone, after)}`,
        });
      }
    }
    const due = dueChanged ? dueDateMessage(r) : undefined;
    if (due !== undefined) found.push({ row, column: 'due_date', message: `${r.reference}: ${due}` });
    return found.length === before;
  };
  const hasRevisions = header.includes('revision');
  const found: CsvProblem[] = [];
  const next = copy(dialogue);
  const result: Omit<RecommendationsImport, 'dialogue'> = { added: [], changed: [], unchanged: [] };
  items.forEach((item, k) => {
    const row = itemRows[k] ?? 0;
    const cells = itemCells[k] ?? {};
    const index = next.recommendations.findIndex((r) => r.id === item.id);
    const stored = next.recommendations[index];
    if (stored === undefined) {
      if (!checkDates(row, item, item.updates, undefined, true)) return;
      next.recommendations.push(compact({ ...item, revision: item.revision ?? 0 }));
      result.added.push({ id: item.id, reference: item.reference, row });
      return;
    }
    const storedRevision = revisionOf(stored);
    let overwritten = false;
    if (!hasRevisions || item.revision === undefined) {
      if (!overwrite) {
        found.push({
          row,
          column: 'revision',
          message: `${stored.reference} is already recorded and this ${hasRevisions ? 'row' : 'file'} has no revision, so it cannot show that it holds the latest state; export again (report --format csv) and edit that file, or import with --overwrite (overwrite: true)`,
        });
        return;
      }
      overwritten = true;
    } else if (item.revision !== storedRevision) {
      if (!overwrite) {
        found.push({
          row,
          column: 'revision',
          message: `${stored.reference} changed since this row was exported (row revision ${item.revision}, recorded revision ${storedRevision}); export again and redo the edit, or import with --overwrite (overwrite: true) to apply this row anyway`,
        });
        return;
      }
      overwritten = true;
    }
    const merged: Record<string, unknown> = { ...stored };
    const asPublished = publicView(stored) as Record<string, unknown>;
    for (const field of FIELDS) {
      if (!header.includes(field)) continue;
      const value = (item as Record<string, unknown>)[field];
      // A public export shows the status and progress of the public updates: a cell still holding that changes nothing.
      if ((field === 'status' || field === 'progress') && value === asPublished[field]) continue;
      if (cells[field] !== undefined) merged[field] = value;
      else if (CLEARABLE.has(field)) delete merged[field];
      else if (LISTS.has(field)) merged[field] = [];
    }
    const {
      updates,
      added,
      changed: updatesChanged,
    } = header.includes('updates') ? mergeUpdates(stored.updates, item.updates) : { updates: stored.updates, added: [], changed: [] };
    merged['updates'] = updates;
    const fields = FIELDS.filter((f) => canonicalJson(merged[f]) !== canonicalJson((stored as Record<string, unknown>)[f]));
    const entry = { id: stored.id, reference: String(merged['reference']), row };
    if (fields.length === 0 && added.length === 0 && updatesChanged.length === 0) {
      result.unchanged.push(entry);
      return;
    }
    const parsed = RecommendationSchema.safeParse({ ...merged, revision: storedRevision + 1 });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) found.push({ row, column: String(issue.path[0] ?? '(line)'), message: issue.message });
      return;
    }
    const dueChanged = fields.includes('due_date') || fields.includes('adopted_on');
    // New updates come after the recorded ones; a changed one keeps its place but not a date in the future or before adoption.
    if (!checkDates(row, parsed.data, added, lastUpdateDate(stored), dueChanged)) return;
    if (!checkDates(row, parsed.data, updatesChanged, undefined, false)) return;
    next.recommendations[index] = parsed.data;
    result.changed.push({
      ...entry,
      fields,
      updates_added: added.length,
      updates_changed: updatesChanged.length,
      overwritten,
    });
  });
  if (found.length > 0) throw new CsvImportError(found);
  return { dialogue: checkImported(next, spec, items, itemRows), ...result };
}

/**
 * Imports recommendations from CSV as {@link mergeRecommendationsCsv} does and returns the changed
 * dialogue. An export imports back unchanged.
 */
export function importRecommendationsCsv(dialogue: Dialogue, csv: string, options: RecommendationsImportOptions = {}): Dialogue {
  return mergeRecommendationsCsv(dialogue, csv, options).dialogue;
}
