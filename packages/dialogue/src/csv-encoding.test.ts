import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { decodeCsv } from './csv-encoding.js';
import { exportOrganisationsCsv, exportParticipantsCsv, exportRecommendationsCsv, importParticipantsCsv } from './csv-tables.js';
import { CsvImportError } from './errors.js';
import { sampleDialogue } from '../test/sample-dialogue.js';

// Byte fixtures of what Excel writes for one sheet; test/fixtures/excel/make-fixtures.sh made them.
const fixture = (name: string) => readFile(new URL(`../test/fixtures/excel/${name}`, import.meta.url));

function refusal(fn: () => unknown): CsvImportError {
  try {
    fn();
  } catch (error) {
    if (error instanceof CsvImportError) return error;
    throw error;
  }
  throw new Error('the file was accepted');
}

describe('CSV files as Excel saves them', () => {
  it('reads "CSV UTF-8" (BOM, CRLF) unchanged', async () => {
    const { text, warnings } = decodeCsv(await fixture('participants-csv-utf-8.csv'));
    expect(warnings).toEqual([]);
    const d = importParticipantsCsv(sampleDialogue(), text);
    expect(d.participants.slice(-3).map((p) => [p.id, p.name, p.title])).toEqual([
      ['n1', 'Delegate One', 'Chair – Child Protection'],
      ['n2', 'مندوب دو', undefined],
      ['n3', 'Delegate Three', 'Adviser, Policy'],
    ]);
  });

  it('refuses "CSV (Comma delimited)" that is not UTF-8, naming the rows and how to save it as CSV UTF-8', () => {
    const e1252 = refusal(() => decodeCsv(bytes1252));
    expect(e1252.problems).toEqual([
      {
        row: 2,
        column: '(encoding)',
        message: expect.stringMatching(/^not UTF-8 text \(byte 0x96\); in Excel, open the file and use File > Save As/),
      },
    ]);
    expect(e1252.message).toContain('"CSV UTF-8 (Comma delimited) (*.csv)"');
    expect(e1252.message).toContain('--encoding windows-1252');
    const e1256 = refusal(() => decodeCsv(bytes1256));
    expect(e1256.problems.map((p) => p.row)).toEqual([2, 3]);
  });

  it('decodes Windows-1252 and Windows-1256 only when asked, and warns about cells of only "?"', () => {
    const western = decodeCsv(bytes1252, { encoding: 'windows-1252' });
    expect(western.text).toContain('Chair – Child Protection');
    expect(western.warnings).toEqual([{ row: 3, column: 'name', message: expect.stringContaining('only question marks') }]);
    const urdu = decodeCsv(bytes1256, { encoding: 'windows-1256' });
    expect(urdu.warnings).toEqual([]);
    const d = importParticipantsCsv(sampleDialogue(), urdu.text);
    expect(d.participants.slice(-3).map((p) => p.name)).toEqual(['Delegate One', 'مندوب دو', 'Delegate Three']);
    expect(d.participants.at(-3)?.title).toBe('Chair – Child Protection');
  });

  it('names the spreadsheet row of a bad byte inside a quoted cell that spans lines', () => {
    const bytes = Buffer.concat([
      Buffer.from('id,name,sector,contact_email\r\nx1,"two\r\nlines",media,x1@example.org\r\nx2,"more\r\nand ', 'utf8'),
      Buffer.from([0x96]),
      Buffer.from('",media,x2@example.org\r\n', 'utf8'),
    ]);
    expect(refusal(() => decodeCsv(bytes)).problems.map((p) => p.row)).toEqual([3]);
  });

  it('writes the BOM on every CSV export', () => {
    const d = sampleDialogue();
    for (const csv of [exportOrganisationsCsv(d), exportParticipantsCsv(d), exportRecommendationsCsv(d)]) {
      expect(csv.charCodeAt(0)).toBe(0xfeff);
      expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    }
  });
});

const bytes1252 = await fixture('participants-csv-comma-delimited-windows-1252.csv');
const bytes1256 = await fixture('participants-csv-comma-delimited-windows-1256.csv');
