import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { guardFormula, parseCsv, stringifyCsv, unguardFormula } from './csv.js';

describe('parseCsv', () => {
  it('reads quotes, embedded separators, CRLF and embedded line breaks', () => {
    const { records, rows, problems } = parseCsv('\uFEFFa,b,c\r\n"x, y","say ""hi""","line1\r\nline2"\r\n\r\nlast,,\n');
    expect(problems).toEqual([]);
    expect(records).toEqual([
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', 'line1\r\nline2'],
      ['last', '', ''],
    ]);
    expect(rows).toEqual([1, 2, 4]);
  });

  it('reports malformed quoting by row and field and drops only that record', () => {
    const { records, problems } = parseCsv('a,b\nok,"fine"\nbad,x"y\n"open,z\n');
    expect(records).toEqual([
      ['a', 'b'],
      ['ok', 'fine'],
    ]);
    expect(problems).toEqual([
      { row: 3, column: 'field 2', message: expect.stringContaining('quote inside an unquoted field') },
      { row: 4, column: 'field 1', message: expect.stringContaining('not closed') },
    ]);
    expect(parseCsv('"a"b,c').problems[0]?.message).toContain('after the closing quote');
  });

  it('round-trips any records through stringify and parse (property)', () => {
    const record = fc.array(fc.string({ unit: 'binary' }), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(fc.array(record, { maxLength: 8 }), (records) => {
        // A lone empty field is a blank line; the writer quotes it so it survives.
        const out = parseCsv(stringifyCsv(records));
        expect(out.problems).toEqual([]);
        expect(out.records).toEqual(records);
      }),
      { numRuns: 300 },
    );
  });
});

describe('formula guard', () => {
  it('guards cells a spreadsheet would run', () => {
    for (const v of ['=1+1', '+92', '-5', '@SUM(A1)', '\tx', '\rx']) expect(guardFormula(v)).toBe(`'${v}`);
    expect(guardFormula("'=x")).toBe("''=x");
    expect(guardFormula('plain')).toBe('plain');
    expect(guardFormula("it's")).toBe("it's");
  });

  it('unguard(guard(x)) === x for any text, and guarded text never starts a formula (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (v) => {
        const g = guardFormula(v);
        expect(unguardFormula(g)).toBe(v);
        expect(/^[=+\-@\t\r]/.test(g)).toBe(false);
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.constantFrom('=', '+', '-', '@', '\t', '\r', "'"), fc.string(), (a, b) => {
        const v = `${a}${b}`;
        expect(unguardFormula(guardFormula(v))).toBe(v);
      }),
    );
  });
});
