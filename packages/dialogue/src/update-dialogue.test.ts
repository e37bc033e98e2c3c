import fc from 'fast-check';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StaleWriteError } from './errors.js';
import { MemoryDialogueStore, JsonFileStore } from './store.js';
import { updateDialogue } from './update-dialogue.js';
import { sampleDialogue } from '../test/sample-dialogue.js';

describe('updateDialogue', () => {
  it('re-applies a change when another writer saved in between, and gives up after the retries', async () => {
    const store = new MemoryDialogueStore();
    await store.save(sampleDialogue(), 0);
    let interference = 1;
    const saved = await updateDialogue(store, 'test-dialogue', async (d) => {
      if (interference-- > 0) {
        const other = await store.load('test-dialogue');
        await store.save({ ...other, venue: 'Moved by someone else' }, other.version);
      }
      return { ...d, title: 'Mine' };
    });
    expect(saved).toMatchObject({ title: 'Mine', venue: 'Moved by someone else', version: 3 });

    const always = updateDialogue(
      store,
      'test-dialogue',
      async (d) => {
        const other = await store.load('test-dialogue');
        await store.save(other, other.version);
        return d;
      },
      { retries: 1 },
    );
    await expect(always).rejects.toBeInstanceOf(StaleWriteError);
  });
});

describe('DialogueSchema through the JSON file store (property)', () => {
  it('stores and loads any text people type unchanged', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dialogue-prop-'));
    try {
      const store = new JsonFileStore(dir);
      const text = fc.string({ unit: 'binary', minLength: 1, maxLength: 50 });
      let version = 0;
      await fc.assert(
        fc.asyncProperty(text, text, text, async (title, name, venue) => {
          const d = sampleDialogue();
          d.title = title;
          d.venue = venue;
          d.participants[0] = { ...d.participants[0]!, name, title: name };
          const saved = await store.save(d, version);
          version = saved.version;
          expect(await store.load(d.id)).toEqual(saved);
          expect(saved).toEqual({ ...d, version, updated_at: saved.updated_at });
        }),
        { numRuns: 40 },
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
