import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isReferralServerError } from '../errors.js';
import { openErasureJournal } from './erasure-journal.js';

describe('erasure journal', () => {
  const folders: string[] = [];
  afterEach(() => {
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });
  function folder(): string {
    const dir = mkdtempSync(join(tmpdir(), 'tahaffuz-journal-unit-'));
    folders.push(dir);
    return dir;
  }

  it('keeps ids and times only, owner-readable, and reads back every file of the folder', () => {
    const dir = folder();
    const journal = openErasureJournal(dir);
    const first = { target: 'report' as const, id: randomUUID(), at: '2026-12-01T10:00:00.000Z' };
    const second = { target: 'case' as const, id: randomUUID(), at: '2026-12-01T10:01:00.000Z' };
    journal.record(first);
    journal.record(second);
    // Another host's file in a shared folder is replayed too.
    const other = { target: 'case', id: randomUUID(), at: '2026-12-01T09:00:00.000Z' };
    appendFileSync(join(dir, 'other-host.erasures.jsonl'), `${JSON.stringify(other)}\n`);
    expect(journal.entries()).toEqual(expect.arrayContaining([first, second, other]));
    expect(journal.entries()).toHaveLength(3);
    const own = readdirSync(dir).find((name) => name !== 'other-host.erasures.jsonl') ?? '';
    expect(statSync(join(dir, own)).mode & 0o077).toBe(0);
  });

  it('ignores a last line cut by a crash, and names the file and line of any other bad line', () => {
    const dir = folder();
    const journal = openErasureJournal(dir);
    const entry = { target: 'case' as const, id: randomUUID(), at: '2026-12-01T10:00:00.000Z' };
    journal.record(entry);
    const file = join(dir, readdirSync(dir)[0] ?? '');
    appendFileSync(file, '{"target":"report","id":"');
    expect(journal.entries()).toEqual([entry]);
    // The next start cuts the torn line off before it appends.
    const next = { target: 'report' as const, id: randomUUID(), at: '2026-12-01T11:00:00.000Z' };
    openErasureJournal(dir).record(next);
    expect(journal.entries()).toEqual([entry, next]);

    appendFileSync(file, `${JSON.stringify({ target: 'referral', id: randomUUID(), at: entry.at })}\n`);
    let caught: unknown;
    try {
      journal.entries();
    } catch (error) {
      caught = error;
    }
    expect(isReferralServerError(caught) && caught.code).toBe('invalid_erasure_journal');
    expect((caught as Error).message).toContain(`Line 3 of ${file}`);
    expect((caught as Error).message).toContain('"target" ("report" or "case")');
  });

  it('refuses an empty folder path with a message that names the option', () => {
    expect(() => openErasureJournal('  ')).toThrow(/erasureJournal \/ --erasure-journal/);
  });
});
