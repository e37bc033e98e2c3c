import fc from 'fast-check';
import { expect, test } from 'vitest';
import { createGroupCommit } from './group-commit.js';

test('every commit is covered by a save that started after it, and saves never overlap', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.tuple(fc.nat(3), fc.boolean()), { minLength: 1, maxLength: 30 }), async (steps) => {
      let version = 0;
      let active = 0;
      let overlapped = false;
      const savedVersions: number[] = [];
      const commit = createGroupCommit(async () => {
        active++;
        if (active > 1) overlapped = true;
        const v = version;
        await new Promise((r) => setTimeout(r, 1));
        savedVersions.push(v);
        active--;
      });
      const pending: Promise<void>[] = [];
      for (const [delay, wait] of steps) {
        version++;
        const mine = version;
        const p = commit.commit().then(() => {
          // A save that includes my change has completed.
          expect(savedVersions.some((v) => v >= mine)).toBe(true);
        });
        pending.push(p);
        if (wait) await p;
        else if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      }
      await Promise.all(pending);
      expect(overlapped).toBe(false);
      expect(savedVersions.length).toBeLessThanOrEqual(steps.length);
    }),
    { numRuns: 30 },
  );
});

test('a failed save rejects the commits it covered, and the next commit saves again', async () => {
  let fail = true;
  let saves = 0;
  const commit = createGroupCommit(() => {
    saves++;
    if (fail) throw new Error('disk full');
  });
  await expect(commit.commit()).rejects.toThrow('disk full');
  fail = false;
  await expect(commit.commit()).resolves.toBeUndefined();
  expect(saves).toBe(2);
});

test('with stopAfterFailure, nothing is saved after a failed save', async () => {
  let saves = 0;
  const commit = createGroupCommit(
    () => {
      saves++;
      if (saves === 1) throw new Error('disk full');
    },
    { stopAfterFailure: true },
  );
  const first = commit.commit();
  const second = commit.commit();
  await expect(first).rejects.toThrow('disk full');
  await expect(second).rejects.toThrow('disk full');
  await expect(commit.commit()).rejects.toThrow('disk full');
  expect(saves).toBe(1);
});
