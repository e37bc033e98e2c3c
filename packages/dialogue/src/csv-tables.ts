import type { z } from 'zod';
import { guardFormula, parseCsv, stringifyCsv, unguardFormula } from './csv.js';
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
  type Recommendation,
} from './model.js';
import { upsert } from './roster.js';
import { compact, copy } from './validate.js';

type Cells = Record<string, string | undefined>;

interface TableSpec<T extends { id: string }> {
  collection: 'organisations' | 'participants' | 'recommendations';
  columns: readonly string[];
  required: readonly string[];
  schema: z.ZodType<T>;
  toCells(item: T): string[];
  fromCells(cells: Cells, dialogue: Dialogue): Record<string, unknown>;
}

/** Column order of the organisations CSV. */
export const ORGANISATION_COLUMNS = ['id', 'name', 'sector', 'contact_email'] as const;
/** Column order of the participants CSV. */
export const PARTICIPANT_COLUMNS = ['id', 'name', 'email', 'organisation_id', 'role', 'language', 'title'] as const;
/** Column order of the recommendations CSV. `supporter_ids` and `themes` are `;`-separated; `updates` is JSON. */
export const RECOMMENDATION_COLUMNS = [
  'id',
  'reference',
  'text',
  'working_group_id',
  'owner_organisation_id',
  'supporter_ids',
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
  'updates',
] as const;

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

function recommendationsSpec(includeInternal: boolean, referencePrefix = 'ND'): TableSpec<Recommendation> {
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
    required: ['text', 'working_group_id'],
    schema: RecommendationSchema,
    toCells: (r) => [
      r.id,
      r.reference,
      r.text,
      r.working_group_id,
      text(r.owner_organisation_id),
      r.supporter_ids.join('; '),
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
      JSON.stringify(includeInternal ? r.updates : r.updates.filter((u) => u.public)),
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
      };
    },
  };
}

function exportTable<T extends { id: string }>(spec: TableSpec<T>, items: readonly T[]): string {
  return stringifyCsv([[...spec.columns], ...items.map((i) => spec.toCells(i))].map((r) => r.map(guardFormula)));
}

function importTable<T extends { id: string }>(dialogue: Dialogue, csv: string, spec: TableSpec<T>): Dialogue {
  const { records, rows, problems } = parseCsv(csv);
  const found: CsvProblem[] = [...problems];
  const header = records[0]?.map((h) => unguardFormula(h).trim().toLowerCase());
  if (header === undefined) throw new CsvImportError([...found, { row: 1, column: '(header)', message: 'the file has no header row' }]);
  const headerRow = rows[0] ?? 1;
  header.forEach((h, i) => {
    if (!spec.columns.includes(h)) {
      found.push({ row: headerRow, column: h || `field ${i + 1}`, message: `unknown column; expected ${spec.columns.join(', ')}` });
    } else if (header.indexOf(h) !== i) {
      found.push({ row: headerRow, column: h, message: 'column appears twice' });
    }
  });
  for (const r of spec.required) {
    if (!header.includes(r)) found.push({ row: headerRow, column: r, message: 'required column is missing' });
  }
  const items: T[] = [];
  const itemRows: number[] = [];
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
  });
  if (found.length > 0) throw new CsvImportError(found);

  const next = copy(dialogue);
  (next[spec.collection] as unknown as T[]) = upsert(next[spec.collection] as unknown as T[], items);
  const check = DialogueSchema.safeParse(next);
  if (!check.success) {
    const rowOfIndex = new Map<number, number>();
    const list = next[spec.collection] as unknown as T[];
    for (const [k, item] of items.entries()) {
      rowOfIndex.set(
        list.findIndex((x) => x.id === item.id),
        itemRows[k] ?? 0,
      );
    }
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
  return check.data;
}

/** Organisations as CSV (header `id,name,sector,contact_email`), formula cells guarded. */
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

/** Participants as CSV (header `id,name,email,organisation_id,role,language,title`), formula cells guarded. */
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

/** Recommendations as CSV, one per row, their progress updates as JSON in the `updates` column. */
export function exportRecommendationsCsv(dialogue: Dialogue, options: RecommendationsCsvOptions = {}): string {
  const includeInternal = options.includeInternal ?? false;
  const items = includeInternal ? dialogue.recommendations : dialogue.recommendations.filter((r) => r.visibility === 'public');
  return exportTable(recommendationsSpec(includeInternal), items);
}

/**
 * Imports recommendations from CSV: only `text` and `working_group_id` (id or code, e.g. `WG2`) are
 * required; the rest defaults as for a new recommendation (`draft`, `pending`, `medium`, `public`),
 * `reference` to the next free `ND-<group code>-Rnn` and `id` to the reference in lower case. Known ids are replaced, so a CSV export imports back
 * unchanged. Statuses are taken as written (a restore, not a transition).
 */
export function importRecommendationsCsv(dialogue: Dialogue, csv: string): Dialogue {
  return importTable(dialogue, csv, recommendationsSpec(true));
}
