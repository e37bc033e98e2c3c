import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, expect, test } from 'vitest';
import { createProgressBar } from './progress-bar.js';
import { writeInvitationsToDir } from './write-invitations.js';
import { testDialogue } from './test-dialogue.js';
import { calendarOf } from './test-support.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

test('invite --out writes one .eml per message, exactly what would be sent, and leaves the send log alone', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'invites-'));
  dirs.push(dir);
  const d = testDialogue();
  d.sessions[2] = { ...d.sessions[2]!, status: 'cancelled', sequence: 1 };
  const written = await writeInvitationsToDir(d, dir, { all: true, now: new Date('2026-11-28T00:00:00Z') });
  expect(written).toHaveLength(12);
  expect((await readdir(dir)).sort()).toEqual(written.map((w) => w.file.slice(dir.length + 1)).sort());
  expect(written.map((w) => w.file.slice(dir.length + 1))).toContain('s-wg2--p3--cancel-1.eml');
  expect(d.invitations).toEqual([]);

  const raw = await readFile(join(dir, 's-open--p2--request-0.eml'), 'utf8');
  expect(raw).toMatch(/\r\n/);
  expect(raw).toMatch(/^Content-Type: text\/calendar; charset=utf-8; method=REQUEST/m);
  const mail = await simpleParser(raw);
  expect(mail.html).toContain('<html lang="ur" dir="rtl">');
  expect((await calendarOf(raw)).uid).toBe('s-open@nd-test.tahaffuz');
  const cancel = await calendarOf(await readFile(join(dir, 's-wg2--p3--cancel-1.eml'), 'utf8'));
  expect([cancel.method, cancel.sequence]).toEqual(['CANCEL', 1]);

  // Without `all`: only what the send log says is due; a cancelled session nobody was invited to sends nothing.
  const due = await writeInvitationsToDir(d, join(dir, 'due'));
  expect(due).toHaveLength(10);
});

test('the progress bar draws on a terminal and writes nothing to a pipe', () => {
  const out: string[] = [];
  const tty = createProgressBar({ isTTY: true, columns: 80, write: (s: string) => out.push(s) }, 'invitations');
  tty.update(5, 10, '1 rejected');
  tty.finish();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this pattern removes or finds.
  expect(out[0]).toMatch(/^\r\x1b\[2Kinvitations █+░+ 5\/10 1 rejected$/);
  expect(out[1]).toBe('\n');
  const piped: string[] = [];
  const pipe = createProgressBar({ isTTY: false, write: (s: string) => piped.push(s) }, 'invitations');
  pipe.update(1, 2);
  pipe.finish();
  expect(piped).toEqual([]);
});
