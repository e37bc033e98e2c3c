import fc from 'fast-check';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { DialogueValidationError, StaleWriteError } from './errors.js';
import { testDialogue } from './invitations/test-dialogue.js';
import { DialogueSchema, type Dialogue, type InvitationRecord } from './model.js';
import { JsonFileStore } from './store.js';
import { validateChanges } from './store-validation.js';

function entry(session: string, participant: string, overrides: Partial<InvitationRecord> = {}): InvitationRecord {
  return {
    session_id: session,
    participant_id: participant,
    sequence_sent: 0,
    method: 'REQUEST',
    content_hash: 'sha256:abc',
    state: 'sending',
    message_id: '<invite.1@example.org>',
    attempts: 1,
    partstat: 'NEEDS-ACTION',
    ...overrides,
  };
}

function withLog(): Dialogue {
  const d = testDialogue({ version: 3 });
  d.invitations = ['p1', 'p2', 'p3', 'p4'].map((p) => entry('s-open', p));
  return d;
}

/** One change a writer might make, valid or not: to a send-log entry, a new entry, or outside the log. */
const change = fc.oneof(
  fc.record({
    kind: fc.constant('field' as const),
    at: fc.nat(5),
    field: fc.constantFrom(
      'state',
      'attempts',
      'session_id',
      'participant_id',
      'message_id',
      'sent_at',
      'partstat',
      'extra',
      'sequence_sent',
    ),
    value: fc.constantFrom<unknown>(
      'sent',
      'bogus',
      2,
      -1,
      1.5,
      Number.NaN,
      's-wg1',
      'nope',
      'p2',
      '',
      '2026-11-28T00:00:00.000Z',
      'ACCEPTED',
      undefined,
      null,
    ),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(5), field: fc.constantFrom('partstat', 'message_id', 'sent_at', 'state') }),
  fc.record({
    kind: fc.constant('add' as const),
    session: fc.constantFrom('s-wg1', 's-report', 'nowhere'),
    participant: fc.constantFrom('p1', 'p9'),
  }),
  fc.record({ kind: fc.constant('head' as const), name: fc.constantFrom('Delegate One', 'Renamed', '') }),
  fc.record({ kind: fc.constant('remove' as const), at: fc.nat(5) }),
);

test('checking only what changed accepts and refuses exactly what the whole-dialogue schema does, and returns the same dialogue', () => {
  fc.assert(
    fc.property(fc.array(change, { minLength: 1, maxLength: 12 }), (changes) => {
      let current = withLog();
      let last = validateChanges(current, undefined).validated;
      for (const c of changes) {
        const next = structuredClone(current);
        const target =
          next.invitations[
            c.kind === 'field' || c.kind === 'delete' || c.kind === 'remove' ? c.at % Math.max(1, next.invitations.length) : 0
          ];
        if (c.kind === 'field' && target !== undefined) (target as Record<string, unknown>)[c.field] = c.value;
        if (c.kind === 'delete' && target !== undefined) delete (target as Record<string, unknown>)[c.field];
        if (c.kind === 'remove' && target !== undefined) next.invitations.splice(next.invitations.indexOf(target), 1);
        if (c.kind === 'add') next.invitations.push(entry(c.session, c.participant));
        if (c.kind === 'head') next.participants[0]!.name = c.name;

        const reference = DialogueSchema.safeParse(next);
        let result: ReturnType<typeof validateChanges> | undefined;
        try {
          result = validateChanges(next, last);
        } catch (error) {
          expect(error).toBeInstanceOf(DialogueValidationError);
        }
        expect(result !== undefined).toBe(reference.success);
        if (result !== undefined && reference.success) {
          expect(result.checked).toEqual(reference.data);
          // Nothing shared with the argument: changing the result leaves the next check honest.
          expect(result.checked.invitations.every((e, i) => e !== next.invitations[i])).toBe(true);
          current = next;
          last = result.validated;
        }
      }
    }),
    { numRuns: 300 },
  );
});

test('the file store: a bad change after a good save is refused with its path; a hand edit is re-read in full; a stale writer is refused', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dialogue-store-validation-'));
  try {
    const store = new JsonFileStore(dir);
    let d = await store.save(withLog(), 0);
    d.invitations[2]!.state = 'sent';
    d = await store.save(d, d.version);
    expect((await store.load(d.id)).invitations[2]!.state).toBe('sent');

    d.invitations[1]!.attempts = -1;
    const bad = await store.save(d, d.version).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(DialogueValidationError);
    expect(String((bad as DialogueValidationError).message)).toContain('invitations.1.attempts');
    d.invitations[1]!.attempts = 1;
    d.invitations.push(entry('s-report', 'p-nobody'));
    await expect(store.save(d, d.version)).rejects.toThrow(/invitations\.4\.participant_id/);
    d.invitations.pop();

    // Someone edits the file by hand (same version, a broken entry): the next save reads it in full.
    const file = store.fileOf(d.id);
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('"attempts": 1', '"attempts": "many"'));
    await expect(store.save(d, d.version)).rejects.toBeInstanceOf(DialogueValidationError);
    await writeFile(file, text);
    d = await store.save(d, d.version);

    // Another writer saves meanwhile: this one is stale.
    const other = new JsonFileStore(dir);
    const theirs = await other.load(d.id);
    await other.save(theirs, theirs.version);
    d.invitations[0]!.state = 'sent';
    await expect(store.save(d, d.version)).rejects.toBeInstanceOf(StaleWriteError);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('an entry that gained a key set to undefined and lost a required one is refused, as the schema refuses it', () => {
  const before = withLog();
  const last = validateChanges(before, undefined).validated;
  const next = structuredClone(before);
  const target = next.invitations[2] as unknown as Record<string, unknown>;
  target['extra'] = undefined;
  delete target['partstat'];
  expect(DialogueSchema.safeParse(next).success).toBe(false);
  expect(() => validateChanges(next, last)).toThrow(DialogueValidationError);
});
