import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, test } from 'vitest';
import { DialogueSchema, type Dialogue } from '../model.js';
import { sendInvitations, type SendInvitationsOptions } from './send-invitations.js';
import { testDialogue } from './test-dialogue.js';
import { calendarOf, startSmtpServer, type ReceivedMail } from './test-support.js';

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(options: Parameters<typeof startSmtpServer>[0] = {}) {
  const s = await startSmtpServer(options);
  servers.push(s);
  return s;
}

const FAST: SendInvitationsOptions = { ratePerSecond: 1000, backoffMs: 20, now: () => new Date('2026-11-28T00:00:00Z') };

/** A store as the JSON file store keeps it: what survives is the last JSON that was saved. */
function memoryStore(initial: Dialogue) {
  let saved = JSON.stringify(initial);
  let saves = 0;
  return {
    save: (d: Dialogue) => {
      saves++;
      saved = JSON.stringify(DialogueSchema.parse(d));
    },
    load: (): Dialogue => DialogueSchema.parse(JSON.parse(saved)),
    saves: () => saves,
  };
}

/** Copies per recipient, UID, SEQUENCE and METHOD. */
async function copies(received: readonly ReceivedMail[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const m of received) {
    const c = await calendarOf(m.raw);
    for (const to of m.to) {
      const key = `${to} ${c.uid} ${c.sequence} ${c.method}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

describe('sendInvitations through a real SMTP server', () => {
  test('one message per session and participant, with text, HTML and a text/calendar part with method=REQUEST', async () => {
    const smtp = await server();
    const store = memoryStore(testDialogue());
    const d = store.load();
    const summary = await sendInvitations(d, store.save, { ...FAST, smtpUrl: smtp.url });
    expect(summary).toMatchObject({ sent: 12, planned: 12, rejected: [], failed: [], possiblyDuplicated: [], notAttempted: 0 });
    expect(smtp.received).toHaveLength(12);

    for (const m of smtp.received) {
      expect(m.from).toBe('secretariat@example.org');
      expect(m.to).toHaveLength(1);
      expect(m.raw).toMatch(/^Content-Type: multipart\/mixed;/m);
      expect(m.raw).toMatch(/^Content-Type: multipart\/alternative;/m);
      expect(m.raw).toMatch(/^Content-Type: text\/plain; charset=utf-8/m);
      expect(m.raw).toMatch(/^Content-Type: text\/html; charset=utf-8/m);
      expect(m.raw).toMatch(/^Content-Type: text\/calendar; charset=utf-8; method=REQUEST/m);
      const mail = await simpleParser(m.raw);
      const to = Array.isArray(mail.to) ? mail.to : [mail.to];
      expect(to.flatMap((t) => t?.value ?? []).map((v) => v.address)).toEqual(m.to);
      const cal = await calendarOf(m.raw);
      expect(cal.method).toBe('REQUEST');
      expect(cal.ics).toContain(`ATTENDEE;ROLE=REQ-PARTICIPANT;CUTYPE=INDIVIDUAL;PARTSTAT=NEEDS-ACTION;RSVP`);
      const participant = d.participants.find((p) => p.email === m.to[0])!;
      if (participant.language === 'ur') {
        expect(mail.html).toMatch(/<html lang="ur" dir="rtl">/);
        expect(mail.text).toContain('محترم');
      } else {
        expect(mail.html).toMatch(/<html lang="en" dir="ltr">/);
        expect(mail.text).toContain('Dear ');
      }
      expect(mail.text).toMatch(/Asia\/Karachi, UTC\+05:00/);
      if (cal.uid.startsWith('s-wg1')) expect(mail.text).toContain('WG1: Law enforcement agencies');
    }
    // Who got what: DESIGN.md's "who attends what".
    const byUid = new Map<string, string[]>();
    for (const m of smtp.received) {
      const { uid } = await calendarOf(m.raw);
      byUid.set(uid, [...(byUid.get(uid) ?? []), ...m.to].sort());
    }
    expect(byUid.get('s-wg1@nd-test.tahaffuz')).toEqual(['p1@example.org', 'p2@example.org']);
    expect(byUid.get('s-wg2@nd-test.tahaffuz')).toEqual(['p3@example.org', 'p4@example.org']);
    expect(byUid.get('s-open@nd-test.tahaffuz')).toHaveLength(4);

    const log = store.load().invitations;
    expect(log).toHaveLength(12);
    for (const r of log) {
      expect(r).toMatchObject({ state: 'sent', method: 'REQUEST', sequence_sent: 0, attempts: 1, partstat: 'NEEDS-ACTION' });
      expect(r.message_id).toMatch(/^<invite\.[0-9a-f]{32}@example\.org>$/);
    }
    const ids = new Set(await Promise.all(smtp.received.map(async (m) => (await simpleParser(m.raw)).messageId)));
    expect(ids).toEqual(new Set(log.map((r) => r.message_id)));
  });

  test('a re-run sends nothing; reschedule, regrouping and cancel reach exactly the people concerned', async () => {
    const smtp = await server();
    const store = memoryStore(testDialogue());
    await sendInvitations(store.load(), store.save, { ...FAST, smtpUrl: smtp.url });
    expect(smtp.received).toHaveLength(12);

    const again = await sendInvitations(store.load(), store.save, { ...FAST, smtpUrl: smtp.url });
    expect(again.sent).toBe(0);
    expect(smtp.received).toHaveLength(12);

    // Reschedule the opening plenary: everyone gets SEQUENCE 1.
    let d = store.load();
    d.sessions[0] = { ...d.sessions[0]!, start: '2026-12-01T09:30', end: '2026-12-01T10:30', sequence: 1 };
    store.save(d);
    expect((await sendInvitations(store.load(), store.save, { ...FAST, smtpUrl: smtp.url })).sent).toBe(4);
    const rescheduled = await Promise.all(smtp.received.slice(12).map((m) => calendarOf(m.raw)));
    expect(rescheduled.map((c) => [c.uid, c.sequence, c.method])).toEqual(Array(4).fill(['s-open@nd-test.tahaffuz', 1, 'REQUEST']));
    expect(rescheduled[0]!.ics).toContain('DTSTART;TZID=Asia/Karachi:20261201T093000');

    // A change without a SEQUENCE bump still goes out above what people hold.
    d = store.load();
    d.sessions[3] = { ...d.sessions[3]!, location: 'Hall 2' };
    store.save(d);
    expect((await sendInvitations(store.load(), store.save, { ...FAST, smtpUrl: smtp.url })).sent).toBe(4);
    expect((await Promise.all(smtp.received.slice(16).map((m) => calendarOf(m.raw)))).map((c) => c.sequence)).toEqual([1, 1, 1, 1]);

    // p4 moves from WG2 to WG1: a CANCEL for WG2's breakout, a REQUEST for WG1's, nothing else.
    d = store.load();
    d.working_groups[1]!.member_ids = [];
    d.working_groups[0]!.member_ids.push('p4');
    store.save(d);
    const before = smtp.received.length;
    expect((await sendInvitations(store.load(), store.save, { ...FAST, smtpUrl: smtp.url })).sent).toBe(2);
    const moved = await Promise.all(smtp.received.slice(before).map(async (m) => ({ to: m.to, ...(await calendarOf(m.raw)) })));
    expect(moved.map((c) => [c.to[0], c.uid, c.method, c.sequence]).sort()).toEqual([
      ['p4@example.org', 's-wg1@nd-test.tahaffuz', 'REQUEST', 0],
      ['p4@example.org', 's-wg2@nd-test.tahaffuz', 'CANCEL', 1],
    ]);
    expect(moved.find((c) => c.method === 'CANCEL')!.ics).toContain('STATUS:CANCELLED');

    // Cancel WG1's breakout: exactly its three invitees get METHOD:CANCEL with SEQUENCE 1.
    d = store.load();
    d.sessions[1] = { ...d.sessions[1]!, status: 'cancelled', sequence: 1 };
    store.save(d);
    const mark = smtp.received.length;
    expect((await sendInvitations(store.load(), store.save, { ...FAST, smtpUrl: smtp.url })).sent).toBe(3);
    const cancels = await Promise.all(smtp.received.slice(mark).map(async (m) => ({ to: m.to[0], ...(await calendarOf(m.raw)) })));
    expect(cancels.map((c) => c.to).sort()).toEqual(['p1@example.org', 'p2@example.org', 'p4@example.org']);
    for (const c of cancels) {
      expect([c.uid, c.method, c.sequence]).toEqual(['s-wg1@nd-test.tahaffuz', 'CANCEL', 1]);
      expect(c.ics).toContain('STATUS:CANCELLED');
    }
    expect(smtp.received[mark]!.raw).toMatch(/method=CANCEL/);
    expect((await sendInvitations(store.load(), store.save, { ...FAST, smtpUrl: smtp.url })).sent).toBe(0);
  });

  test('rejected recipients are recorded per participant, dropped connections are retried, the batch goes on; a re-run completes it with one copy each', async () => {
    const smtp = await server({ reject: new Set(['p3@example.org']), dropAtMail: new Set([2, 6]) });
    const store = memoryStore(testDialogue());
    const first = await sendInvitations(store.load(), store.save, { ...FAST, smtpUrl: smtp.url, attempts: 1, maxConnections: 1 });
    // p3 is invited to three sessions; two other messages met a dropped connection.
    expect(first.rejected.map((r) => [r.session_id, r.participant_id, r.code])).toEqual([
      ['s-open', 'p3', '550'],
      ['s-wg2', 'p3', '550'],
      ['s-report', 'p3', '550'],
    ]);
    expect(first.failed).toHaveLength(2);
    for (const f of first.failed) expect(['ECONNECTION', 'ESTREAM', 'ESOCKET']).toContain(f.code);
    expect(first.sent).toBe(12 - 3 - 2);
    const log = store.load().invitations;
    expect(log.filter((r) => r.state === 'rejected').map((r) => r.last_error_code)).toEqual(['550', '550', '550']);
    // A lost connection gives no answer: those two may have been delivered, so they wait at `sending`.
    const lost = log.filter((r) => r.state === 'sending');
    expect(lost.map((r) => [r.session_id, r.participant_id])).toEqual(first.failed.map((f) => [f.session_id, f.participant_id]));

    const second = await sendInvitations(store.load(), store.save, { ...FAST, smtpUrl: smtp.url });
    expect(second).toMatchObject({ sent: 2, rejected: [], failed: [] });
    expect(second.possiblyDuplicated.map((p) => [p.session_id, p.participant_id])).toEqual(
      lost.map((r) => [r.session_id, r.participant_id]),
    );
    const counts = await copies(smtp.received);
    expect(counts.size).toBe(9);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect([...counts.keys()].some((k) => k.startsWith('p3@'))).toBe(false);
    expect(store.load().invitations.filter((r) => r.state === 'sent')).toHaveLength(9);

    // Retries inside one run ride over a dropped connection.
    const smtp2 = await server({ dropAtMail: new Set([3]) });
    const store2 = memoryStore(testDialogue());
    const once = await sendInvitations(store2.load(), store2.save, { ...FAST, smtpUrl: smtp2.url, maxConnections: 1 });
    expect(once).toMatchObject({ sent: 12, failed: [] });
    expect(once.possiblyDuplicated).toHaveLength(1);
    expect([...(await copies(smtp2.received)).values()]).toEqual(Array(12).fill(1));
  });

  test('a crash between sending and writing the log (one message per save): the re-run resends with the same UID and SEQUENCE and reports it', async () => {
    const smtp = await server();
    const store = memoryStore(testDialogue());
    let crashed = false;
    const crashingSave = (d: Dialogue): void => {
      const done = d.invitations.find((r) => r.session_id === 's-open' && r.participant_id === 'p2');
      if (!crashed && done?.state === 'sent') {
        crashed = true;
        throw new Error('power cut');
      }
      store.save(d);
    };
    await expect(
      sendInvitations(store.load(), crashingSave, { ...FAST, smtpUrl: smtp.url, maxConnections: 1, sendLogWindow: 1 }),
    ).rejects.toThrow('power cut');
    expect(store.load().invitations.find((r) => r.session_id === 's-open' && r.participant_id === 'p2')?.state).toBe('sending');

    const after = await sendInvitations(store.load(), store.save, { ...FAST, smtpUrl: smtp.url });
    expect(after.possiblyDuplicated).toEqual([{ session_id: 's-open', participant_id: 'p2', sequence: 0 }]);
    expect(after.sent).toBe(12 - 2 + 1);
    const counts = await copies(smtp.received);
    expect(counts.get('p2@example.org s-open@nd-test.tahaffuz 0 REQUEST')).toBe(2);
    counts.delete('p2@example.org s-open@nd-test.tahaffuz 0 REQUEST');
    expect([...counts.values()]).toEqual(Array(11).fill(1));
    const record = store.load().invitations.find((r) => r.session_id === 's-open' && r.participant_id === 'p2')!;
    expect(record).toMatchObject({ state: 'sent', possibly_duplicated: true, sequence_sent: 0 });
    // Both copies carry the same Message-ID, so mail clients that de-duplicate show one.
    const twice = smtp.received.filter((m) => m.to[0] === 'p2@example.org' && m.raw.includes('s-open@'));
    const ids = await Promise.all(twice.map(async (m) => (await simpleParser(m.raw)).messageId));
    expect(new Set(ids).size).toBe(1);
  });

  test('the send log is saved in batches: no save holds more than sendLogWindow entries at `sending`, and a save marks several', async () => {
    const smtp = await server();
    const store = memoryStore(testDialogue());
    const sendingPerSave: number[] = [];
    const counting = (d: Dialogue): void => {
      sendingPerSave.push(d.invitations.filter((r) => r.state === 'sending').length);
      store.save(d);
    };
    const summary = await sendInvitations(store.load(), counting, { ...FAST, smtpUrl: smtp.url, maxConnections: 2, sendLogWindow: 4 });
    expect(summary).toMatchObject({ sent: 12, failed: [], possiblyDuplicated: [] });
    expect(Math.max(...sendingPerSave)).toBeLessThanOrEqual(4);
    expect(sendingPerSave[0]).toBe(4);
    // 12 messages: the first save marks 4, each later one 2 or more, and the last records outcomes only.
    expect(sendingPerSave.length).toBeLessThanOrEqual(12 / 2 + 1);
    expect(sendingPerSave.at(-1)).toBe(0);
    expect(store.load().invitations.map((r) => r.state)).toEqual(Array(12).fill('sent'));
  });

  test('a crash mid-batch leaves at most sendLogWindow entries at `sending`; the re-run resends exactly those and reports them', async () => {
    const smtp = await server();
    const store = memoryStore(testDialogue());
    let saves = 0;
    const crashingSave = (d: Dialogue): void => {
      if (++saves === 3) throw new Error('power cut');
      store.save(d);
    };
    const options = { ...FAST, smtpUrl: smtp.url, maxConnections: 2, sendLogWindow: 4 };
    await expect(sendInvitations(store.load(), crashingSave, options)).rejects.toThrow('power cut');
    const keyOf = (sessionId: string, participantId: string): string =>
      `${participantId}@example.org ${sessionId}@nd-test.tahaffuz 0 REQUEST`;
    const onDisk = store.load().invitations;
    const unknown = onDisk.filter((r) => r.state === 'sending').map((r) => keyOf(r.session_id, r.participant_id));
    expect(unknown.length).toBeGreaterThanOrEqual(1);
    expect(unknown.length).toBeLessThanOrEqual(4);
    const sentBefore = onDisk.filter((r) => r.state === 'sent').length;
    const firstRun = await copies(smtp.received);
    // Whatever went out without its outcome on disk is among the `sending` entries.
    for (const key of firstRun.keys()) {
      const [to, uid] = key.split(' ');
      const r = onDisk.find((x) => `${x.participant_id}@example.org` === to && `${x.session_id}@nd-test.tahaffuz` === uid);
      expect(r?.state === 'sent' || unknown.includes(key)).toBe(true);
    }

    const mark = smtp.received.length;
    const after = await sendInvitations(store.load(), store.save, options);
    expect(after.possiblyDuplicated.map((p) => keyOf(p.session_id, p.participant_id)).sort()).toEqual([...unknown].sort());
    expect(after.sent).toBe(12 - sentBefore);
    const secondRun = await copies(smtp.received.slice(mark));
    for (const key of unknown) expect(secondRun.get(key)).toBe(1);
    // Nothing the log had as sent went again; each other message went once in all.
    for (const [key, n] of secondRun) expect(n === 1 && (unknown.includes(key) || !firstRun.has(key))).toBe(true);
    const total = await copies(smtp.received);
    expect(total.size).toBe(12);
    for (const [key, n] of total) expect(n).toBe(unknown.includes(key) ? (firstRun.has(key) ? 2 : 1) : 1);
    const log = store.load().invitations;
    expect(log.map((r) => r.state)).toEqual(Array(12).fill('sent'));
    expect(
      log
        .filter((r) => r.possibly_duplicated === true)
        .map((r) => keyOf(r.session_id, r.participant_id))
        .sort(),
    ).toEqual([...unknown].sort());
  });

  test('an unreachable server stops the run after a few failures instead of trying every message', async () => {
    const smtp = await server();
    const url = smtp.url;
    await smtp.close();
    servers.length = 0;
    const store = memoryStore(testDialogue());
    const summary = await sendInvitations(store.load(), store.save, {
      ...FAST,
      smtpUrl: url,
      attempts: 2,
      maxConnections: 1,
      stopAfterConsecutiveFailures: 3,
    });
    expect(summary.sent).toBe(0);
    expect(summary.failed).toHaveLength(3);
    expect(summary.notAttempted).toBe(9);
    expect(summary.failed.every((f) => f.code === 'ESOCKET')).toBe(true);
    // Never connected, so nothing can have been delivered: plain failures, retried next run.
    expect(store.load().invitations.map((r) => r.state)).toEqual(['failed', 'failed', 'failed']);
  });
});
