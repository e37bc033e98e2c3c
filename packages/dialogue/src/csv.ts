import type { CsvProblem } from './errors.js';

/** The result of parsing CSV text: records of fields, and the problems found (empty when well formed). */
export interface CsvParseResult {
  records: string[][];
  /** The spreadsheet row number of each record (blank lines count, as in a spreadsheet). */
  rows: number[];
  problems: CsvProblem[];
}

/**
 * Parses RFC 4180 CSV: comma-separated fields, `"`-quoted fields with `""` for a quote and embedded
 * commas, CR, LF and CRLF; records end with CRLF, LF or CR. A leading UTF-8 BOM (as Excel writes it)
 * is dropped, a final line break is optional and blank lines are skipped. Malformed quoting is reported
 * per record (`row` counts lines from 1 as a spreadsheet numbers rows; a record with embedded line breaks
 * is one row) and the record is dropped.
 */
export function parseCsv(text: string): CsvParseResult {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: string[][] = [];
  const rows: number[] = [];
  const problems: CsvProblem[] = [];
  let row = 1;
  let field = '';
  let fields: string[] = [];
  let bad: string | undefined;
  let badColumn = 0;
  const fail = (message: string) => {
    if (bad !== undefined) return;
    bad = message;
    badColumn = fields.length + 1;
  };
  let quoted = false;
  let i = 0;
  const n = input.length;
  const endRecord = () => {
    fields.push(field);
    field = '';
    const blank = fields.length === 1 && fields[0] === '' && !quoted;
    if (bad !== undefined) problems.push({ row, column: `field ${badColumn}`, message: bad });
    else if (!blank) {
      records.push(fields);
      rows.push(row);
    }
    row += 1;
    fields = [];
    bad = undefined;
    quoted = false;
  };
  while (i < n) {
    const c = input[i];
    if (c === '"' && field === '') {
      // A quoted field: runs to the next quote not doubled.
      quoted = true;
      i += 1;
      let closed = false;
      while (i < n) {
        const q = input[i];
        if (q === '"') {
          if (input[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          closed = true;
          i += 1;
          break;
        }
        field += q;
        i += 1;
      }
      if (!closed) {
        fail('a quoted field is not closed (missing ")');
        break;
      }
      const after = input[i];
      if (after !== undefined && after !== ',' && after !== '\r' && after !== '\n') {
        fail('text after the closing quote of a field (write "" for a quote inside a quoted field)');
        while (i < n && input[i] !== ',' && input[i] !== '\r' && input[i] !== '\n') i += 1;
      }
      continue;
    }
    if (c === ',') {
      fields.push(field);
      field = '';
      i += 1;
      continue;
    }
    if (c === '\r' || c === '\n') {
      i += c === '\r' && input[i + 1] === '\n' ? 2 : 1;
      endRecord();
      continue;
    }
    if (c === '"') fail('a quote inside an unquoted field (quote the whole field and write "" for a quote)');
    field += c;
    i += 1;
  }
  if (field !== '' || fields.length > 0 || bad !== undefined || quoted) endRecord();
  return { records, rows, problems };
}

/** The byte order mark every CSV export starts with, so that Excel for Windows reads it as UTF-8. */
export const CSV_BOM = '\uFEFF';

// A leading BOM is quoted too, or the reader would take it for the file's byte order mark.
const NEEDS_QUOTES = /[",\r\n]|^\uFEFF/;

/** Writes records as RFC 4180 CSV with CRLF line ends, quoting only the fields that need it. */
export function stringifyCsv(records: readonly (readonly string[])[]): string {
  return records
    .map((r) => r.map((f) => (NEEDS_QUOTES.test(f) || (r.length === 1 && f === '') ? `"${f.replaceAll('"', '""')}"` : f)).join(','))
    .map((line) => `${line}\r\n`)
    .join('');
}

const FORMULA = /^'*[=+\-@\t\r]/;
const GUARDED = /^'+[=+\-@\t\r]/;

/**
 * Guards a cell a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, TAB or CR) by
 * putting `'` before it. A cell that already starts with quotes followed by such a character gets one
 * more, so that {@link unguardFormula} always gives back the original.
 */
export function guardFormula(value: string): string {
  return FORMULA.test(value) ? `'${value}` : value;
}

/** Removes the guard {@link guardFormula} added. */
export function unguardFormula(value: string): string {
  return GUARDED.test(value) ? value.slice(1) : value;
}
