import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ReferralServerError } from '../errors.js';
import type { DatabaseConfig } from '../storage/open-database.js';
import type { ErasureTarget } from './erasure.js';

/*
 * The erasure journal (docs/decisions/0018-erasure-and-restore.md): every erasure is appended,
 * ids only, to a file outside the database before the erasure commits, and replayed at every
 * start, so a database restored from a backup taken before an erasure is erased again before it
 * answers a request. One file per host in the journal's folder (processes on one host append to
 * the same file; appends of one short line are atomic); every file in the folder is replayed.
 */

/** One erasure, as the journal keeps it: what, which, when. Nothing personal. */
interface ErasureJournalEntry {
  readonly target: ErasureTarget;
  readonly id: string;
  readonly at: string;
}

/** Where erasures are journalled. */
export interface ErasureJournal {
  /** The journal's folder. */
  readonly directory: string;
  /** Appends an entry and waits until it is on disk (fsync). */
  record(entry: ErasureJournalEntry): void;
  /** Every entry of every file in the folder, oldest file line first. */
  entries(): ErasureJournalEntry[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SUFFIX = '.erasures.jsonl';

function parseEntry(line: string, where: string): ErasureJournalEntry {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new ReferralServerError('invalid_erasure_journal', `${where} is not JSON; an erasure journal holds one JSON object per line.`);
  }
  const entry = value as Partial<Record<keyof ErasureJournalEntry, unknown>> | null;
  if (
    entry === null ||
    typeof entry !== 'object' ||
    (entry.target !== 'report' && entry.target !== 'case') ||
    typeof entry.id !== 'string' ||
    !UUID.test(entry.id) ||
    typeof entry.at !== 'string' ||
    Number.isNaN(Date.parse(entry.at))
  ) {
    throw new ReferralServerError(
      'invalid_erasure_journal',
      `${where} is not an erasure entry: it needs "target" ("report" or "case"), "id" (a lower-case UUID) and "at" (an RFC 3339 time).`,
    );
  }
  return { target: entry.target, id: entry.id, at: entry.at };
}

/*
 * A crash while an entry was written leaves a line without its newline; that erasure never
 * committed. Cut it off before appending, or the next entry would be glued to it.
 */
function repairTornEnd(file: string): void {
  if (!existsSync(file)) return;
  const text = readFileSync(file);
  if (text.length === 0 || text[text.length - 1] === 0x0a) return;
  truncateSync(file, text.lastIndexOf(0x0a) + 1);
}

/**
 * Opens (creating if needed) the erasure journal in `directory`. Keep the folder out of the
 * database's backups, or restore it never older than the newest one: it is what erases again
 * what a restored backup brings back.
 */
export function openErasureJournal(directory: string): ErasureJournal {
  if (directory.trim() === '') {
    throw new ReferralServerError('invalid_argument', 'The erasure journal needs a folder path (erasureJournal / --erasure-journal).');
  }
  mkdirSync(directory, { recursive: true });
  const file = join(directory, `${hostname().replace(/[^A-Za-z0-9.-]/g, '_') || 'host'}${SUFFIX}`);
  repairTornEnd(file);
  return {
    directory,
    record(entry) {
      const fd = openSync(file, 'a', 0o600);
      try {
        writeSync(fd, `${JSON.stringify({ target: entry.target, id: entry.id, at: entry.at })}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    },
    entries() {
      const entries: ErasureJournalEntry[] = [];
      for (const name of readdirSync(directory)
        .filter((n) => n.endsWith(SUFFIX))
        .sort()) {
        const text = readFileSync(join(directory, name), 'utf8');
        const lines = text.split('\n');
        // A line without its newline was cut by a crash while it was written: that erasure never committed.
        if (!text.endsWith('\n')) lines.pop();
        lines.forEach((line, index) => {
          if (line.trim() !== '') entries.push(parseEntry(line, `Line ${index + 1} of ${join(directory, name)}`));
        });
      }
      return entries;
    },
  };
}

/** Where the journal of a database is kept unless configured: `<file>.erasures` beside an SQLite file; none for PostgreSQL. */
export function defaultErasureJournalDirectory(config: DatabaseConfig): string | undefined {
  const path =
    typeof config === 'string'
      ? /^postgres(ql)?:\/\//i.test(config)
        ? undefined
        : config
      : 'sqlite' in config
        ? config.sqlite
        : undefined;
  return path === undefined || path === ':memory:' ? undefined : `${path}.erasures`;
}
