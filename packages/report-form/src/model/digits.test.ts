import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeDigits } from './digits.js';

const EXTENDED = '۰۱۲۳۴۵۶۷۸۹';
const ARABIC = '٠١٢٣٤٥٦٧٨٩';

describe('normalizeDigits', () => {
  it('reads Urdu and Arabic digits as ASCII digits', () => {
    expect(normalizeDigits('۰۳۰۰-۱۲۳۴۵۶۷')).toBe('0300-1234567');
    expect(normalizeDigits('٤٢')).toBe('42');
  });

  it('maps any number written in either script to the same number, and changes nothing else', () => {
    fc.assert(
      fc.property(fc.nat(), fc.constantFrom(EXTENDED, ARABIC), (n, digits) => {
        const written = String(n).replace(/[0-9]/g, (d) => digits[Number(d)]!);
        expect(normalizeDigits(written)).toBe(String(n));
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        fc.pre(!/[\u0660-\u0669\u06F0-\u06F9]/u.test(text));
        expect(normalizeDigits(text)).toBe(text);
      }),
    );
  });
});
