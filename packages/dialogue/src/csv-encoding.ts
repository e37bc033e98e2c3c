import { parseCsv, unguardFormula } from './csv.js';
import { CsvImportError, DialogueError, type CsvProblem } from './errors.js';

/** Encodings a CSV file is read in: UTF-8 (Excel's "CSV UTF-8"), and the two Excel writes as "CSV (Comma delimited)" on Western and on Arabic or Urdu Windows. */
export const CSV_ENCODINGS = ['utf-8', 'windows-1252', 'windows-1256'] as const;
/** An encoding of {@link CSV_ENCODINGS}. */
export type CsvEncoding = (typeof CSV_ENCODINGS)[number];

/** Options of {@link decodeCsv}. */
export interface DecodeCsvOptions {
  /**
   * The encoding the file was saved in. Anything but UTF-8 only when asked: a file that is not UTF-8
   * is refused rather than guessed at.
   * @default 'utf-8'
   */
  encoding?: CsvEncoding;
}

/** A CSV file's text, and what looks damaged in it (cells made only of `?`). */
export interface DecodedCsv {
  text: string;
  /** Cells that are only question marks, by row and column: their characters were lost when the file was saved. */
  warnings: CsvProblem[];
}

/** The message every refusal of a file that is not UTF-8 ends with: what to do about it. */
export const SAVE_AS_CSV_UTF8 =
  'in Excel, open the file and use File > Save As with the type "CSV UTF-8 (Comma delimited) (*.csv)", then import that file; ' +
  'or, to read this file as it is, give the encoding it was saved in (--encoding windows-1252 for Western European, windows-1256 for Arabic and Urdu)';

// Windows-1252 differs from ISO-8859-1 in 0x80-0x9F (the five unassigned bytes map to C1 controls,
// as the WHATWG Encoding Standard says). Node 20's TextDecoder reads "windows-1252" as ISO-8859-1.
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f, 0x90, 0x2018, 0x2019,
  0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    const chunk = bytes.subarray(i, i + 8192);
    out += String.fromCharCode(...Array.from(chunk, (b) => (b >= 0x80 && b <= 0x9f ? (CP1252_HIGH[b - 0x80] ?? b) : b)));
  }
  return out;
}

/** Byte ranges of the physical lines (ended by LF, CRLF or CR), as the CSV parser counts them. */
function lineRanges(bytes: Uint8Array): [number, number][] {
  const ranges: [number, number][] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x0a || (b === 0x0d && bytes[i + 1] !== 0x0a)) {
      ranges.push([start, i]);
      start = i + 1;
    }
  }
  if (start < bytes.length) ranges.push([start, bytes.length]);
  return ranges;
}

/** For each physical line of `text`, the spreadsheet row it belongs to (a quoted line break continues a row). */
function rowOfLines(text: string): number[] {
  const rows: number[] = [1];
  let row = 1;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) {
      if (!quoted) row += 1;
      rows.push(row);
    }
  }
  return rows;
}

const ONLY_QUESTION_MARKS = /^[?\s]*\?[?\s]*$/;

/** Cells made only of `?` (and spaces), by row and header column: what Excel writes for characters the encoding cannot hold. */
export function questionMarkCells(text: string): CsvProblem[] {
  const { records, rows } = parseCsv(text);
  const header = records[0]?.map((h) => unguardFormula(h).trim().toLowerCase()) ?? [];
  const found: CsvProblem[] = [];
  records.forEach((record, k) => {
    record.forEach((cell, i) => {
      if (ONLY_QUESTION_MARKS.test(cell)) {
        found.push({
          row: rows[k] ?? k + 1,
          column: header[i] || `field ${i + 1}`,
          message:
            'only question marks: the characters of this cell were lost when the file was saved in an encoding that cannot hold them (Urdu in "CSV (Comma delimited)" on a Western Windows, for example); save it as "CSV UTF-8" and import again',
        });
      }
    });
  });
  return found;
}

/**
 * Reads the bytes of a CSV file. UTF-8 (with or without Excel's BOM) unless `encoding` names
 * Windows-1252 or Windows-1256; a file that is not valid UTF-8 is refused with a `CsvImportError`
 * naming each row with bytes that are not, and saying how to save the file as "CSV UTF-8" — never read
 * with `�` in place of what it held. Cells made only of `?` come back as warnings.
 *
 * @example
 * const { text, warnings } = decodeCsv(await readFile('participants.csv'));
 * for (const w of warnings) console.warn(`row ${w.row}, column ${w.column}: ${w.message}`);
 * dialogue = importParticipantsCsv(dialogue, text);
 */
export function decodeCsv(bytes: Uint8Array, options: DecodeCsvOptions = {}): DecodedCsv {
  const encoding = options.encoding ?? 'utf-8';
  let text: string;
  if (encoding === 'windows-1252') text = decodeWindows1252(bytes);
  else if (encoding === 'windows-1256') {
    try {
      text = new TextDecoder('windows-1256').decode(bytes);
    } catch (error) {
      throw new DialogueError('this Node.js build cannot decode windows-1256 (it lacks full ICU); save the file as "CSV UTF-8" instead', {
        code: 'ENCODING_UNSUPPORTED',
        cause: error,
      });
    }
  } else {
    const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
    try {
      text = strict.decode(bytes);
    } catch {
      const rows = rowOfLines(new TextDecoder('utf-8').decode(bytes));
      const problems: CsvProblem[] = [];
      const seen = new Set<number>();
      lineRanges(bytes).forEach(([start, end], line) => {
        const part = bytes.subarray(start, end);
        try {
          strict.decode(part);
        } catch {
          const row = rows[line] ?? line + 1;
          if (seen.has(row)) return;
          seen.add(row);
          const bad = firstInvalidByte(part);
          problems.push({
            row,
            column: '(encoding)',
            message: `not UTF-8 text${bad === undefined ? '' : ` (byte 0x${bad.toString(16).toUpperCase().padStart(2, '0')})`}; ${SAVE_AS_CSV_UTF8}`,
          });
        }
      });
      throw new CsvImportError(problems);
    }
  }
  return { text, warnings: questionMarkCells(text) };
}

/** The first byte of `part` that starts no well-formed UTF-8 sequence (lead and continuation bytes only). */
function firstInvalidByte(part: Uint8Array): number | undefined {
  let i = 0;
  while (i < part.length) {
    const b = part[i] ?? 0;
    const more = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (more < 0) return b;
    for (let k = 1; k <= more; k++) {
      const c = part[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return b;
    }
    i += more + 1;
  }
  return undefined;
}
