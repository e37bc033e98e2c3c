import { describe, expect, it } from 'vitest';
import { isEscape } from './tz-quick-exit.js';

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
