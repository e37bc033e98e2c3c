import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EN_STRINGS } from './en.js';
import { directionOf, formatString, mergeStrings } from './form-strings.js';
import { UR_STRINGS } from './ur.js';

/** Every string of a table, by dotted path. */
function flatten(value: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    if (typeof inner === 'string') out.set(`${prefix}${key}`, inner);
    else for (const [k, v] of flatten(inner, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/\{([A-Za-z]+)\}/g)].map((m) => m[1]).sort();

describe('the built-in strings', () => {
  const en = flatten(EN_STRINGS);
  const ur = flatten(UR_STRINGS);

  it('Urdu translates every English string, none empty, with the same placeholders', () => {
    expect([...ur.keys()].sort()).toEqual([...en.keys()].sort());
    for (const [key, text] of ur) {
      expect(text.trim(), key).not.toBe('');
      expect(placeholders(text), key).toEqual(placeholders(en.get(key)!));
    }
  });

  it('Urdu strings are in Urdu script (each has Arabic-script letters)', () => {
    for (const [key, text] of ur) expect(/[\u0600-\u06FF]/u.test(text), key).toBe(true);
  });
});

describe('formatString', () => {
  it('fills placeholders and leaves unknown ones as they are', () => {
    expect(formatString('Step {step} of {total}', { step: 2, total: 7 })).toBe('Step 2 of 7');
    expect(formatString('{missing} and {step}', { step: 1 })).toBe('{missing} and 1');
  });

  it('inserts values verbatim and never expands placeholders inside them', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (before, value, after) => {
        fc.pre(!/\{[A-Za-z]+\}/u.test(before + after));
        expect(formatString(`${before}{reference}${after}`, { reference: value, days: 'X' })).toBe(`${before}${value}${after}`);
      }),
    );
  });

  it('does not read inherited properties as values', () => {
    expect(formatString('{constructor} {toString}', {})).toBe('{constructor} {toString}');
  });
});

describe('mergeStrings', () => {
  it('replaces single strings and parts of groups', () => {
    const merged = mergeStrings(EN_STRINGS, { submit: 'Report it', categories: { other: 'Anything else' } });
    expect(merged.submit).toBe('Report it');
    expect(merged.categories.other).toBe('Anything else');
    expect(merged.categories.bonded_labour).toBe(EN_STRINGS.categories.bonded_labour);
    expect(EN_STRINGS.submit).toBe('Send report');
  });
});

describe('directionOf', () => {
  it('knows right-to-left languages and scripts', () => {
    for (const lang of ['ur', 'ur-PK', 'UR', 'ar', 'fa', 'ps', 'sd', 'pa-Arab', 'skr-Arab']) expect(directionOf(lang), lang).toBe('rtl');
    for (const lang of ['en', 'en-PK', 'pa', 'pa-Guru', 'sd-Deva', '', 'x']) expect(directionOf(lang), lang).toBe('ltr');
  });
});
