import { describe, expect, it } from 'vitest';
import { mayIncludeChild } from './child-age.js';

describe('mayIncludeChild', () => {
  it('flags every band with someone under 18 by default, and mixed ages', () => {
    for (const band of ['under_5', '5_to_11', '12_to_14', '15_to_17', 'mixed'] as const) expect(mayIncludeChild(band)).toBe(true);
    for (const band of ['18_plus', 'not_sure', ''] as const) expect(mayIncludeChild(band)).toBe(false);
  });

  it('follows a configured threshold', () => {
    expect(mayIncludeChild('15_to_17', 16)).toBe(true);
    expect(mayIncludeChild('15_to_17', 15)).toBe(false);
    expect(mayIncludeChild('12_to_14', 12)).toBe(false);
    expect(mayIncludeChild('18_plus', 21)).toBe(true);
  });
});
