import { describe, expect, it } from 'vitest';
import { randomPoolBytes } from './random-pool.js';

describe('randomPoolBytes', () => {
  it('hands out fresh buffers of the asked length, never the same bytes twice, across refills', () => {
    const seen = new Set<string>();
    // 16-byte draws over several 4 KiB refills, plus sizes that straddle a refill and a large one.
    for (let i = 0; i < 2_000; i += 1) {
      const bytes = randomPoolBytes(16);
      expect(bytes).toHaveLength(16);
      seen.add(bytes.toString('hex'));
    }
    expect(seen.size).toBe(2_000);
    expect(randomPoolBytes(12)).toHaveLength(12);
    expect(randomPoolBytes(2_000)).toHaveLength(2_000);
  });

  it('returns copies: changing one does not change the next draw', () => {
    const first = randomPoolBytes(8);
    first.fill(0);
    const second = randomPoolBytes(8);
    expect(second.equals(Buffer.alloc(8))).toBe(false);
  });
});
