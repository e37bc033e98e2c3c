import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DialogueValidationError, isDialogueError, NotFoundError, StaleWriteError } from './errors.js';
import { JsonFileStore } from './store.js';
import { sampleDialogue } from '../test/sample-dialogue.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dialogue-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('JsonFileStore', () => {
  it('saves, loads and lists, bumping the version on each save', async () => {
    const store = new JsonFileStore(dir);
    const v1 = await store.save(sampleDialogue(), 0);
    expect(v1.version).toBe(1);
    const loaded = await store.load('test-dialogue');
    expect(loaded).toEqual(v1);
    const v2 = await store.save({ ...loaded, title: 'Renamed' }, loaded.version);
    expect(v2.version).toBe(2);
    expect((await store.load('test-dialogue')).title).toBe('Renamed');
    expect(await store.list()).toEqual(['test-dialogue']);
  });

  it('refuses a stale writer and keeps the newer data', async () => {
    const store = new JsonFileStore(dir);
    const base = await store.save(sampleDialogue(), 0);
    await store.save({ ...base, title: 'First writer' }, base.version);
    const error = await store.save({ ...base, title: 'Second writer' }, base.version).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StaleWriteError);
    expect(isDialogueError(error)).toBe(true);
    expect(error).toMatchObject({ expectedVersion: 1, actualVersion: 2 });
    expect((await store.load('test-dialogue')).title).toBe('First writer');
    // Creating over an existing dialogue is stale too.
    await expect(store.save(sampleDialogue(), 0)).rejects.toBeInstanceOf(StaleWriteError);
  });

  it('lets exactly one of two concurrent writers of the same version win', async () => {
    const store = new JsonFileStore(dir);
    const base = await store.save(sampleDialogue(), 0);
    const results = await Promise.allSettled(['A', 'B', 'C'].map((t) => new JsonFileStore(dir).save({ ...base, title: t }, base.version)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof StaleWriteError)).toHaveLength(2);
  });

  it('leaves the previous version intact when the process dies mid-write', async () => {
    const store = new JsonFileStore(dir);
    const base = await store.save(sampleDialogue(), 0);
    const crashing = new JsonFileStore(dir, {
      beforeRename: async (temp) => {
        // The new file is half there when the "crash" comes.
        const full = await readFile(temp, 'utf8');
        await writeFile(temp, full.slice(0, full.length / 2));
        throw new Error('simulated crash');
      },
    });
    await expect(crashing.save({ ...base, title: 'Never stored' }, base.version)).rejects.toThrow('simulated crash');
    const after = await store.load('test-dialogue');
    expect(after).toEqual(base);
    expect((await readdir(dir)).sort()).toEqual(['test-dialogue.json']);
    expect((await store.save({ ...after, title: 'Next' }, after.version)).version).toBe(2);
  });

  it('clears temporary files a crashed writer left once they are old', async () => {
    const store = new JsonFileStore(dir, { staleLockMs: 50 });
    const base = await store.save(sampleDialogue(), 0);
    await writeFile(join(dir, '.test-dialogue.json.abc123.tmp'), '{"half": ');
    await new Promise((done) => setTimeout(done, 80));
    await store.save(base, base.version);
    expect(await readdir(dir)).toEqual(['test-dialogue.json']);
  });

  it('names the bad JSON path of an invalid file, and the file of unparsable JSON', async () => {
    const store = new JsonFileStore(dir);
    const base = await store.save(sampleDialogue(), 0);
    const json = JSON.parse(await readFile(store.fileOf(base.id), 'utf8')) as { participants: { email: string }[] };
    json.participants[2]!.email = 'not-an-email';
    await writeFile(store.fileOf(base.id), JSON.stringify(json));
    const error = await store.load(base.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DialogueValidationError);
    expect((error as DialogueValidationError).problems.map((p) => p.path)).toEqual(['participants.2.email']);
    expect((error as Error).message).toContain('participants.2.email');
    expect((error as Error).message).not.toContain('not-an-email');

    await writeFile(store.fileOf(base.id), '{"id": ');
    await expect(store.load(base.id)).rejects.toThrow(/not valid JSON/);
    await expect(store.load('missing')).rejects.toBeInstanceOf(NotFoundError);
  });
});
