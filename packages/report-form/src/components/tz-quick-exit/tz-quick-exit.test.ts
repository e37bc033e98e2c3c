import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_EXIT_URL, isEscape, safeExitUrl } from './tz-quick-exit.js';

const key = (init: { key: string; keyCode?: number }) => ({ key: init.key, keyCode: init.keyCode ?? 0 }) as KeyboardEvent;

describe('isEscape', () => {
  it('knows Escape by its key name, in every layout, and by keyCode 27 where the name is missing', () => {
    expect(isEscape(key({ key: 'Escape', keyCode: 27 }))).toBe(true);
    expect(isEscape(key({ key: 'Esc' }))).toBe(true); // old Edge
    expect(isEscape(key({ key: 'Unidentified', keyCode: 27 }))).toBe(true);
  });

  it('is not fooled by characters: no letter of any layout is Escape', () => {
    for (const character of ['e', 'E', 'ع', 'ے', 'ض', '`', 'Dead', 'Enter', 'Tab']) {
      expect(isEscape(key({ key: character, keyCode: character.charCodeAt(0) === 27 ? 0 : 65 }))).toBe(false);
    }
  });
});

describe('safeExitUrl', () => {
  const base = 'https://partner.example.org/report/';

  it('resolves relative and absolute http(s) URLs', () => {
    expect(safeExitUrl('/weather', base)).toBe('https://partner.example.org/weather');
    expect(safeExitUrl('https://www.bbc.com/weather', base)).toBe('https://www.bbc.com/weather');
  });

  it('never returns a URL that runs script or leaves http(s)', () => {
    for (const bad of [
      'javascript:alert(1)',
      ' JavaScript:alert(1)',
      'data:text/html,<p>x',
      'vbscript:x',
      'file:///etc/passwd',
      'http://[',
    ]) {
      expect(safeExitUrl(bad, base)).toBe(DEFAULT_EXIT_URL);
    }
    fc.assert(
      fc.property(fc.string(), (url) => {
        expect(new URL(safeExitUrl(url, base)).protocol).toMatch(/^https?:$/);
      }),
    );
  });
});
