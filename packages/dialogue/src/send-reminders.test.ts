import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dialogue } from './model.js';
import { addRecommendation, adoptRecommendation, assignRecommendation, recordProgress } from './recommendations.js';
import { buildReminderEmail } from './reminder-email.js';
import { planReminders } from './reminder-plan.js';
import { sendReminders } from './send-reminders.js';
import { sampleDialogue } from '../test/sample-dialogue.js';

/** The clock of every dated change in these tests: a fixed day, never the real one. */
const TODAY = { today: '2026-12-31' };

const received: { to: string[]; raw: string }[] = [];
let server: SMTPServer;
let smtpUrl = '';

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address === 'org2@example.org') callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
      else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  smtpUrl = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((done) => server.close(() => done()));
});

function tracked(): Dialogue {
  let d = sampleDialogue();
  for (const [group, owner] of [
    ['WG1', 'org1'],
    ['WG1', 'org1'],
    ['WG2', 'org2'],
    ['WG2', 'org3'],
  ] as const) {
    d = addRecommendation(d, { text: `Recommendation owned by ${owner}`, working_group_id: group });
    const ref = d.recommendations[d.recommendations.length - 1]!.reference;
    d = adoptRecommendation(d, ref, { date: '2026-03-01' }, TODAY);
    d = assignRecommendation(d, ref, { owner_organisation_id: owner, reporting_interval_days: 30 });
  }
  return d;
}

/** A save that keeps the last saved JSON, as a file store would. */
function memory(initial: Dialogue) {
  let saved = JSON.stringify(initial);
  return {
    save: (d: Dialogue) => {
      saved = JSON.stringify(d);
    },
    load: (): Dialogue => JSON.parse(saved) as Dialogue,
  };
}

const fast = { backoffMs: 5, ratePerSecond: 100 };

describe('sendReminders', () => {
  it('reminds each owner once per reporting period, records refusals and keeps going', async () => {
    const store = memory(tracked());
    received.length = 0;
    const first = await sendReminders(store.load(), store.save, { ...fast, smtpUrl, today: '2026-03-25' });
    expect(first).toMatchObject({ planned: 3, sent: 2, failed: [], possiblyDuplicated: [] });
    expect(first.rejected).toEqual([{ organisation_id: 'org2', code: '550' }]);
    expect(received.map((m) => m.to)).toEqual([['org1@example.org'], ['org3@example.org']]);
    expect(received[0]!.raw).toContain('ND-WG1-R01');
    expect(received[0]!.raw).toContain('ND-WG1-R02');
    expect(store.load().reminders.map((r) => [r.organisation_id, r.state, r.period])).toEqual([
      ['org1', 'sent', '2026-03-31'],
      ['org2', 'rejected', '2026-03-31'],
      ['org3', 'sent', '2026-03-31'],
    ]);

    // Run again that day, and once it is overdue: the same reporting period, nothing is sent.
    for (const today of ['2026-03-25', '2026-04-20']) {
      expect(await sendReminders(store.load(), store.save, { ...fast, smtpUrl, today })).toMatchObject({ planned: 0, sent: 0 });
    }
    expect(received).toHaveLength(2);

    // org1 reports on one recommendation; when its next period comes due, org1 hears again (with the
    // other, still overdue one, whose next period has begun); org3 has not reported, and a new
    // reporting period has begun for it too, so org3 hears again.
    const updated = recordProgress(
      store.load(),
      'ND-WG1-R01',
      {
        date: '2026-04-21',
        status: 'not_started',
        narrative: 'Started',
        author: 'Org 1',
      },
      TODAY,
    );
    store.save(updated);
    const later = await sendReminders(store.load(), store.save, { ...fast, smtpUrl, today: '2026-05-10' });
    expect(later.sent).toBe(2);
    expect(received.slice(2).map((m) => m.to[0])).toEqual(['org1@example.org', 'org3@example.org']);
    expect(received[2]!.raw).toContain('ND-WG1-R02 (OVERDUE 2026-03-31');
  });

  it('reminds an overdue recommendation again every reporting period until someone reports', async () => {
    const store = memory(tracked());
    received.length = 0;
    const runs: Record<string, string[]> = {};
    for (const today of ['2026-04-05', '2026-04-20', '2026-05-01', '2026-05-20', '2026-05-31']) {
      if (today === '2026-05-20') {
        store.save(recordProgress(store.load(), 'ND-WG2-R02', { date: '2026-05-19', narrative: 'Reported', author: 'Org 3' }, TODAY));
      }
      const before = received.length;
      await sendReminders(store.load(), store.save, { ...fast, smtpUrl, today });
      runs[today] = received.slice(before).map((m) => m.to[0]!);
    }
    expect(runs).toEqual({
      '2026-04-05': ['org1@example.org', 'org3@example.org'],
      '2026-04-20': [],
      // 30 days after the missed date: a new reporting period, reminded again.
      '2026-05-01': ['org1@example.org', 'org3@example.org'],
      // org3 reported on 2026-05-19: no longer overdue.
      '2026-05-20': [],
      '2026-05-31': ['org1@example.org'],
    });
  });

  it('never repeats in a digest an item already sent for the same period', async () => {
    let d = tracked();
    d = addRecommendation(d, { text: 'Later one', working_group_id: 'WG1' });
    d = adoptRecommendation(d, 'ND-WG1-R03', { date: '2026-03-01' }, TODAY);
    d = assignRecommendation(d, 'ND-WG1-R03', { owner_organisation_id: 'org1', reporting_interval_days: 40 });
    const store = memory(d);
    await sendReminders(store.load(), store.save, { ...fast, smtpUrl, today: '2026-03-25' });
    expect(planReminders(store.load(), { today: '2026-03-25' })).toEqual([]);
    // ND-WG1-R03 falls due on 2026-03-27 (reporting date 2026-04-10): org1 gets a digest with it alone.
    const [next, ...rest] = planReminders(store.load(), { today: '2026-03-28' });
    expect(rest).toEqual([]);
    expect(next?.organisation.id).toBe('org1');
    expect(next?.items.map((i) => i.recommendation.reference)).toEqual(['ND-WG1-R03']);
  });

  it('sends again, and says so, what a crash left with an unknown outcome', async () => {
    const store = memory(tracked());
    await sendReminders(store.load(), store.save, { ...fast, smtpUrl, today: '2026-03-25' });
    const crashed = store.load();
    crashed.reminders[0]!.state = 'sending';
    store.save(crashed);
    const again = await sendReminders(store.load(), store.save, { ...fast, smtpUrl, today: '2026-03-25' });
    expect(again).toMatchObject({ planned: 1, sent: 1, possiblyDuplicated: ['org1'] });
    expect(store.load().reminders[0]).toMatchObject({ state: 'sent', possibly_duplicated: true });
    expect(planReminders(store.load(), { today: '2026-03-25' })).toEqual([]);
  });

  it('lets no typed text add a header or a recipient (property)', async () => {
    const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
    const allowed = new Set([
      'from',
      'to',
      'subject',
      'message-id',
      'date',
      'mime-version',
      'content-type',
      'auto-submitted',
      'content-transfer-encoding',
    ]);
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', minLength: 1 }), fc.string({ unit: 'binary', minLength: 1 }), async (title, orgName) => {
        const d = tracked();
        d.title = `${title}\r\nBcc: evil@example.com`;
        d.organisations[0] = { ...d.organisations[0]!, name: `${orgName}\r\nBcc: evil@example.com` };
        const [plan] = planReminders(d, { today: '2026-03-25' });
        const { message } = buildReminderEmail(d, plan!, { now: new Date('2026-03-25T00:00:00Z') });
        const info = await transport.sendMail(message);
        const raw = (info.message as Buffer).toString('utf8');
        const head = raw.slice(0, raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]/g, ' ');
        const names = head.split('\r\n').map((l) => l.slice(0, l.indexOf(':')).toLowerCase());
        for (const n of names) expect(allowed.has(n)).toBe(true);
        expect(info.envelope.to).toEqual(['org1@example.org']);
      }),
      { numRuns: 40 },
    );
  });
});
