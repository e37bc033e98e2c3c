import { afterEach, expect, test } from 'vitest';
// The way users import it.
import {
  attendanceList,
  buildInviteCalendar,
  MemoryDialogueStore,
  planInvitations,
  saveToStore,
  sendInvitations,
} from '@tahaffuz/dialogue';
import { testDialogue } from './test-dialogue.js';
import { calendarOf, startSmtpServer } from './test-support.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

test('invitations through the public entry point, with the send log in a versioned store', async () => {
  const smtp = await startSmtpServer();
  closers.push(smtp.close);
  const store = new MemoryDialogueStore();
  const dialogue = await store.save(testDialogue(), 0);
  expect(buildInviteCalendar(dialogue, dialogue.sessions[0]!, dialogue.participants[0]!, { method: 'REQUEST' })).toContain(
    'METHOD:REQUEST',
  );
  expect(planInvitations(dialogue)).toHaveLength(12);

  const summary = await sendInvitations(dialogue, saveToStore(store), { smtpUrl: smtp.url, ratePerSecond: 1000 });
  expect(summary.sent).toBe(12);
  const stored = await store.load(dialogue.id);
  expect(stored.invitations.filter((r) => r.state === 'sent')).toHaveLength(12);
  expect(stored.version).toBe(dialogue.version);
  expect(attendanceList(stored).every((row) => row.invitation === 'sent')).toBe(true);
  expect((await calendarOf(smtp.received[0]!.raw)).method).toBe('REQUEST');
  expect(planInvitations(stored)).toEqual([]);
});
