import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localize, PAKISTAN_EMERGENCY_NUMBERS, telHref } from './emergency-numbers.js';

describe('telHref', () => {
  it('dials the preset numbers', () => {
    expect(PAKISTAN_EMERGENCY_NUMBERS.map((entry) => telHref(entry.number))).toEqual(['tel:15', 'tel:111247786']);
    expect(telHref('+92 (51) 111-247-786')).toBe('tel:+9251111247786');
    expect(telHref('none')).toBeUndefined();
  });

  it('yields only digits and a leading + whatever the text, keeping every digit in order', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const href = telHref(text);
        const digits = text.replace(/[^0-9]/g, '');
        if (digits === '') expect(href).toBeUndefined();
        else {
          expect(href).toMatch(/^tel:\+?[0-9]+$/);
          expect(href!.replace(/^tel:\+?/, '')).toBe(digits);
        }
      }),
    );
  });
});

describe('localize', () => {
  it('falls back to English, then to any language given', () => {
    expect(localize({ en: 'Police', ur: 'پولیس' }, 'ur')).toBe('پولیس');
    expect(localize({ en: 'Police', ur: 'پولیس' }, 'pa')).toBe('Police');
    expect(localize({ ur: 'پولیس' }, 'en')).toBe('پولیس');
  });
});
