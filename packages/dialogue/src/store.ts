import { randomBytes } from 'node:crypto';
import { type FileHandle, link, mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { DialogueError, DialogueValidationError, NotFoundError, StaleWriteError, problemsFromIssues } from './errors.js';
import { DialogueSchema, IdSchema, type Dialogue } from './model.js';
import { validateChanges, type Validated } from './store-validation.js';

/**
 * Where dialogues are kept. `save` is a compare-and-swap on `version`: it succeeds only when the
 * stored version equals `expectedVersion` (0 for a dialogue not stored yet), and stores the dialogue
 * with `version = expectedVersion + 1`.
 */
export interface DialogueStore {
  /** Loads and validates a dialogue; throws `NotFoundError` when there is none with that id. */
  load(id: string): Promise<Dialogue>;
  /** Saves a dialogue unless someone saved it since `expectedVersion`; returns what was stored. */
  save(dialogue: Dialogue, expectedVersion: number): Promise<Dialogue>;
  /** Ids of the stored dialogues, sorted. */
  list(): Promise<string[]>;
}

/** Options of {@link JsonFileStore}. */
export interface JsonFileStoreOptions {
  /**
   * How long to wait for another writer's lock before giving up, in milliseconds.
   * @default 5000
   */
  lockTimeoutMs?: number;
  /**
   * A lock file older than this is taken to belong to a crashed writer and removed, in milliseconds.
   * @default 30000
   */
  staleLockMs?: number;
  /** Test hook: runs after the temporary file is written and synced, before it replaces the dialogue. */
  beforeRename?: (tempPath: string) => void | Promise<void>;
}

function validateId(id: string): void {
  const r = IdSchema.safeParse(id);
  if (!r.success) throw new DialogueValidationError('dialogue id', problemsFromIssues(r.error.issues, 'id'));
}

/** Parses and validates a dialogue read from `file`, naming the bad JSON path on failure. */
export function parseStoredDialogue(text: string, file: string): Dialogue {
  let json: unknown;
  try {
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw new DialogueValidationError(`${file}`, [{ path: '', message: `not valid JSON (${(error as Error).message})` }], {
      file,
      cause: error,
    });
  }
  const r = DialogueSchema.safeParse(json);
  if (!r.success) throw new DialogueValidationError(file, problemsFromIssues(r.error.issues), { file, cause: r.error });
  return r.data;
}

function validateForSave(dialogue: Dialogue): Dialogue {
  const r = DialogueSchema.safeParse(dialogue);
  if (!r.success) throw new DialogueValidationError(`dialogue "${dialogue.id}"`, problemsFromIssues(r.error.issues));
  return r.data;
}

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/**
 * The default store: one JSON file per dialogue (`<dir>/<id>.json`), replaced atomically (temporary
 * file in the same folder, fsync, rename, fsync of the folder), so a crash leaves either the old or
 * the new version, never a mix. A lock file serialises writers across processes; the version check
 * refuses a stale writer with `StaleWriteError`.
 *
 * @example
 * const store = new JsonFileStore('./dialogues');
 * const saved = await store.save(createDialogue({ ... }), 0);
 * const again = await store.load(saved.id);
 */
export class JsonFileStore implements DialogueStore {
  readonly dir: string;
  /**
   * Per file, the text this store last wrote or loaded (validated then) and its version: when the file
   * still holds exactly that text, the version check of the next save need not validate it again.
   */
  readonly #known = new Map<string, { bytes: Buffer; version: number }>();
  /** Per file, when this store last looked for a crashed writer's temporary files. */
  readonly #swept = new Map<string, number>();
  /** Per file, what the last validation before a save established, so the next checks only what changed. */
  readonly #validated = new Map<string, Validated>();
  readonly #options: {
    lockTimeoutMs: number;
    staleLockMs: number;
    beforeRename: JsonFileStoreOptions['beforeRename'] | undefined;
  };

  constructor(dir: string, options: JsonFileStoreOptions = {}) {
    this.dir = resolve(dir);
    this.#options = {
      lockTimeoutMs: options.lockTimeoutMs ?? 5000,
      staleLockMs: options.staleLockMs ?? 30_000,
      beforeRename: options.beforeRename,
    };
  }

  /** The file a dialogue is kept in. */
  fileOf(id: string): string {
    validateId(id);
    return join(this.dir, `${id}.json`);
  }

  async load(id: string): Promise<Dialogue> {
    const file = this.fileOf(id);
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError('dialogue', id);
      throw error;
    }
    const dialogue = parseStoredDialogue(bytes.toString('utf8'), file);
    this.#known.set(file, { bytes, version: dialogue.version });
    return dialogue;
  }

  async list(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return names
      .filter((n) => n.endsWith('.json') && !n.startsWith('.'))
      .map((n) => n.slice(0, -'.json'.length))
      .filter((id) => IdSchema.safeParse(id).success)
      .sort();
  }

  async save(dialogue: Dialogue, expectedVersion: number): Promise<Dialogue> {
    const file = this.fileOf(dialogue.id);
    // Validated in full the first time; then only what changed (a send-log save changes a few entries).
    const { checked, validated } = validateChanges(dialogue, this.#validated.get(file));
    this.#validated.set(file, validated);
    await mkdir(this.dir, { recursive: true });
    const release = await this.#lock(file);
    try {
      const actual = await this.#storedVersion(file);
      if (actual !== expectedVersion) throw new StaleWriteError(dialogue.id, expectedVersion, actual);
      const stored: Dialogue = { ...checked, version: expectedVersion + 1, updated_at: new Date().toISOString() };
      const bytes = Buffer.from(`${JSON.stringify(stored, null, 2)}\n`, 'utf8');
      this.#known.delete(file);
      await this.#replace(file, bytes);
      this.#known.set(file, { bytes, version: stored.version });
      // A crashed writer's leftovers: looked for on the first save, then at most once per staleLockMs.
      // Ages are measured on the file system's own clock (the file just written is "now"), never by
      // comparing this process's clock with file times: the two need not agree (another host's NFS
      // clock, a faked or stepped process clock).
      const fsNow = (await stat(file)).mtimeMs;
      const swept = this.#swept.get(file);
      if (swept === undefined || fsNow - swept > this.#options.staleLockMs) {
        this.#swept.set(file, fsNow);
        await this.#removeLeftovers(basename(file), fsNow);
      }
      return stored;
    } finally {
      await release();
    }
  }

  /** Temporary files a crashed writer of this dialogue left behind (old enough to be nobody's). */
  async #removeLeftovers(name: string, fsNow: number): Promise<void> {
    const prefix = `.${name}.`;
    for (const entry of await readdir(this.dir)) {
      if (!entry.startsWith(prefix) || !entry.endsWith('.tmp')) continue;
      const path = join(this.dir, entry);
      const age = await stat(path).then(
        (s) => fsNow - s.mtimeMs,
        () => 0,
      );
      if (age > this.#options.staleLockMs) await rm(path, { force: true });
    }
  }

  async #storedVersion(file: string): Promise<number> {
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw error;
    }
    // The file as this store wrote or loaded it (same bytes) was valid then; anything else — another
    // writer's version, a hand edit — is parsed and validated in full.
    const known = this.#known.get(file);
    if (known?.bytes.equals(bytes)) return known.version;
    return parseStoredDialogue(bytes.toString('utf8'), file).version;
  }

  async #replace(file: string, content: Buffer): Promise<void> {
    const temp = join(this.dir, `.${file.slice(this.dir.length + 1)}.${randomBytes(6).toString('hex')}.tmp`);
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await this.#options.beforeRename?.(temp);
      await rename(temp, file);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    await syncDir(this.dir);
  }

  async #lock(file: string): Promise<() => Promise<void>> {
    const lockFile = `${file}.lock`;
    const deadline = Date.now() + this.#options.lockTimeoutMs;
    for (;;) {
      // The lock appears with the owner's pid already in it (hard link of a finished file), so a
      // writer killed at any moment leaves either no lock or one that names it.
      const mine = join(this.dir, `.${basename(lockFile)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
      await writeFile(mine, String(process.pid));
      // The file just written carries the file system's "now"; a lock's age is the difference of
      // two file times on the same clock, never this process's clock against a file time.
      let fsNow: number;
      try {
        await link(mine, lockFile);
        return () => rm(lockFile, { force: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        fsNow = (await stat(mine)).mtimeMs;
      } finally {
        await rm(mine, { force: true });
      }
      const age = await stat(lockFile).then(
        (s) => fsNow - s.mtimeMs,
        () => 0,
      );
      if (age > this.#options.staleLockMs || (await ownerDied(lockFile))) {
        await rm(lockFile, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new DialogueError(
          `another process is writing ${file} (lock file ${lockFile}); try again, or remove the lock file if no other process runs`,
          { code: 'LOCKED' },
        );
      }
      await sleep(20);
    }
  }
}

/** True when the lock file names a process of this machine that no longer runs (a writer that crashed). */
async function ownerDied(lockFile: string): Promise<boolean> {
  const text = await readFile(lockFile, 'utf8').catch(() => '');
  const pid = Number(text);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

async function syncDir(dir: string): Promise<void> {
  // Makes the rename durable. Some platforms (Windows) cannot open a folder; they journal renames anyway.
  let handle: FileHandle;
  try {
    handle = await open(dir, 'r');
  } catch {
    return;
  }
  try {
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EINVAL' && code !== 'EPERM') throw error;
  } finally {
    await handle.close();
  }
}

/** A store in memory, for tests and for tools that never persist. Same version rules as the file store. */
export class MemoryDialogueStore implements DialogueStore {
  readonly #items = new Map<string, string>();

  async load(id: string): Promise<Dialogue> {
    const text = this.#items.get(id);
    if (text === undefined) throw new NotFoundError('dialogue', id);
    return parseStoredDialogue(text, `memory:${id}`);
  }

  async save(dialogue: Dialogue, expectedVersion: number): Promise<Dialogue> {
    validateId(dialogue.id);
    const checked = validateForSave(dialogue);
    const current = this.#items.get(dialogue.id);
    const actual = current === undefined ? 0 : (JSON.parse(current) as Dialogue).version;
    if (actual !== expectedVersion) throw new StaleWriteError(dialogue.id, expectedVersion, actual);
    const stored: Dialogue = { ...checked, version: expectedVersion + 1, updated_at: new Date().toISOString() };
    this.#items.set(dialogue.id, JSON.stringify(stored));
    return stored;
  }

  async list(): Promise<string[]> {
    return [...this.#items.keys()].sort();
  }
}
