/**
 * bench/invites — DESIGN.md budgets for invitations, measured in one run:
 * 1. building invite emails (ICS + MIME) with @tahaffuz/dialogue, as a rate next to a bare loop that
 *    builds the same content with ical-generator + nodemailer directly (budget >= 80%);
 * 2. sending 1,000 invites through `sendInvitations` to a local smtp-server (budget >= 200 messages/s),
 *    with the send log in the real JsonFileStore (the budget line) and, for comparison, in memory.
 * A benchmark, not a test: it prints numbers and ratios and never fails on timing.
 *
 * Usage: node bench/invites/run.mjs [--build N] [--send N] [--rounds R] [--only build,json-file,memory,bare]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import {
  buildInviteEmail,
  INVITE_STRINGS,
  JsonFileStore,
  saveToStore,
  sendInvitations,
  type Dialogue,
  type Participant,
  type Session,
} from '@tahaffuz/dialogue';
import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { DateTime } from 'luxon';
import MailComposer from 'nodemailer/lib/mail-composer';
import nodemailer, { type SMTPPoolOptions, type Transporter } from 'nodemailer';
import { median } from '../lib/stats.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}
const BUILD = arg('build', 10_000);
const SEND = arg('send', 1_000);
const ROUNDS = arg('rounds', 3);
/** `--only build,memory,json-file,bare`: run only those parts (all by default). */
const ONLY = (() => {
  const i = process.argv.indexOf('--only');
  return i === -1 ? undefined : new Set((process.argv[i + 1] ?? '').split(','));
})();
const runs = (part: string): boolean => ONLY === undefined || ONLY.has(part);
/** `--window N`: the send-log window of the budget line (sendInvitations' default otherwise). */
const WINDOW = process.argv.includes('--window') ? arg('window', 0) : undefined;
const NOW = new Date('2026-11-28T00:00:00Z');
// main.ts runs bundled from bench/dist/invites/; the sink script stays in bench/invites/.
const sinkDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'invites');

/** `sessions` plenary sessions x `people` participants, half writing in Urdu: sessions * people invitations. */
function dialogueOf(sessions: number, people: number): Dialogue {
  const at = '2026-11-01T00:00:00.000Z';
  return {
    id: 'bench',
    title: 'National dialogue on child trafficking and bonded labour',
    timezone: 'Asia/Karachi',
    venue: 'Islamabad',
    organiser: { name: 'Dialogue secretariat', email: 'secretariat@example.org' },
    languages: ['en', 'ur'],
    version: 0,
    organisations: [{ id: 'org', name: 'Organisation', sector: 'civil_society', contact_email: 'org@example.org' }],
    participants: Array.from({ length: people }, (_, i) => ({
      id: `p${i}`,
      name: i % 2 === 0 ? `Delegate ${i} "Quote"; Name` : `مندوب ${i}`,
      email: `p${i}@example.org`,
      organisation_id: 'org',
      role: 'delegate' as const,
      language: i % 2 === 0 ? ('en' as const) : ('ur' as const),
    })),
    sessions: Array.from({ length: sessions }, (_, i) => {
      const day = 1 + Math.floor(i / 8);
      const hour = 9 + (i % 8);
      const pad = (n: number): string => String(n).padStart(2, '0');
      return {
        id: `s${i}`,
        kind: 'plenary' as const,
        title: `Session ${i}: child protection, bonded labour; next steps`,
        description: 'Recommendations of the working groups, and who owns each one.',
        start: `2026-12-${pad(day)}T${pad(hour)}:00`,
        end: `2026-12-${pad(day)}T${pad(hour)}:45`,
        location: 'Hall A, Islamabad',
        sequence: 0,
        status: 'scheduled' as const,
        uid: `s${i}@bench.tahaffuz`,
      };
    }),
    working_groups: [],
    recommendations: [],
    invitations: [],
    reminders: [],
    created_at: at,
    updated_at: at,
  };
}

function pairs(d: Dialogue, n: number): [Session, Participant][] {
  const out: [Session, Participant][] = [];
  for (const s of d.sessions) for (const p of d.participants) if (out.length < n) out.push([s, p]);
  return out;
}

/** Ours: the whole invitation as @tahaffuz/dialogue builds it, then MIME-encoded by nodemailer. */
async function buildOurs(d: Dialogue, work: [Session, Participant][]): Promise<number> {
  let bytes = 0;
  for (const [s, p] of work) {
    const { message } = buildInviteEmail(d, s, p, { method: 'REQUEST', now: NOW });
    bytes += (await new MailComposer(message).compile().build()).length;
  }
  return bytes;
}

const vtimezone = getVtimezoneComponent('Asia/Karachi');
const esc = (v: string): string => v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The baseline: the same content (calendar fields, text and HTML bodies in the participant's
 * language, subject) with ical-generator and nodemailer used directly, as a short script would:
 * no cleaning of typed text, no checks, no content hash, no Message-ID of its own.
 */
async function buildBare(d: Dialogue, work: [Session, Participant][], sink?: Transporter): Promise<number> {
  let bytes = 0;
  for (const [s, p] of work) {
    const start = DateTime.fromISO(s.start, { zone: d.timezone });
    const end = DateTime.fromISO(s.end, { zone: d.timezone });
    const cal = ical({ method: ICalCalendarMethod.REQUEST, timezone: { name: null, generator: () => vtimezone } });
    const event = cal.createEvent({
      id: s.uid,
      sequence: s.sequence,
      stamp: NOW,
      start,
      end,
      timezone: d.timezone,
      summary: s.title,
      description: `${s.description ?? ''}\n\n${d.title}`,
      location: s.location ?? d.venue,
      organizer: { name: d.organiser.name, email: d.organiser.email },
      status: ICalEventStatus.CONFIRMED,
    });
    event.createAttendee({ name: p.name, email: p.email, role: ICalAttendeeRole.REQ, status: ICalAttendeeStatus.NEEDSACTION, rsvp: true });
    const ics = cal.toString();
    const t = INVITE_STRINGS[p.language];
    const sl = start.setLocale(t.locale);
    const time = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;
    const when = `${sl.toLocaleString({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })}, ${sl.toLocaleString(time)}–${end
      .setLocale(t.locale)
      .toLocaleString(time)} (${d.timezone}, UTC${start.toFormat('ZZ')})`;
    const where = s.location ?? d.venue;
    const rows: [string, string][] = [
      [t.when, when],
      [t.where, where],
    ];
    const intro = t.invitedTo(d.title);
    const text = [
      t.greeting(p.name),
      '',
      intro,
      '',
      `${t.kind[s.kind]}: ${s.title}`,
      ...rows.map(([k, v]) => `${k}: ${v}`),
      '',
      s.description ?? '',
      '',
      t.reply,
      '',
      t.organisedBy(d.organiser.name),
      '',
    ].join('\n');
    const html = [
      '<!doctype html>',
      `<html lang="${p.language}" dir="${t.dir}">`,
      `<head><meta charset="utf-8"><title>${esc(s.title)}</title></head>`,
      `<body dir="${t.dir}" lang="${p.language}" style="font-family: sans-serif">`,
      `<p>${esc(t.greeting(p.name))}</p>`,
      `<p>${esc(intro)}</p>`,
      `<h1 style="font-size: 1.3em">${esc(t.kind[s.kind])}: ${esc(s.title)}</h1>`,
      '<table>',
      ...rows.map(([k, v]) => `<tr><th scope="row" style="text-align: start">${esc(k)}</th><td>${esc(v)}</td></tr>`),
      '</table>',
      `<p style="white-space: pre-line">${esc(s.description ?? '')}</p>`,
      `<p>${esc(t.reply)}</p>`,
      `<p>${esc(t.organisedBy(d.organiser.name))}</p>`,
      '</body>',
      '</html>',
      '',
    ].join('\n');
    const message = {
      from: { name: d.organiser.name, address: d.organiser.email },
      to: [{ name: p.name, address: p.email }],
      subject: `${t.invitation}: ${s.title} — ${when}`,
      date: NOW,
      text,
      html,
      icalEvent: { method: 'REQUEST', filename: 'invite.ics', content: ics },
    };
    if (sink !== undefined) await sink.sendMail(message);
    else bytes += (await new MailComposer(message).compile().build()).length;
  }
  return bytes;
}

async function timed(fn: () => Promise<number>): Promise<{ seconds: number; bytes: number }> {
  const t0 = performance.now();
  const bytes = await fn();
  return { seconds: (performance.now() - t0) / 1000, bytes };
}

async function benchBuild(): Promise<{ ours: number; bare: number; ratio: number; oursBytes: number; bareBytes: number }> {
  const people = 100;
  const d = dialogueOf(Math.ceil(BUILD / people), people);
  const work = pairs(d, BUILD);
  // Warm-up: JIT, Intl caches, VTIMEZONE cache.
  await buildOurs(d, work.slice(0, 300));
  await buildBare(d, work.slice(0, 300));
  // The machine is shared: interleave the two in chunks of 250 (alternating which goes first) so that
  // a busy spell slows both, and compare total times.
  let oursSeconds = 0;
  let bareSeconds = 0;
  let oursBytes = 0;
  let bareBytes = 0;
  const CHUNK = 250;
  for (let r = 0; r < ROUNDS; r++) {
    for (let i = 0; i < work.length; i += CHUNK) {
      const chunk = work.slice(i, i + CHUNK);
      const oursFirst = (i / CHUNK + r) % 2 === 0;
      const a = oursFirst ? await timed(() => buildOurs(d, chunk)) : undefined;
      const b = await timed(() => buildBare(d, chunk));
      const c = a ?? (await timed(() => buildOurs(d, chunk)));
      oursSeconds += c.seconds;
      bareSeconds += b.seconds;
      oursBytes += c.bytes;
      bareBytes += b.bytes;
    }
  }
  const n = work.length * ROUNDS;
  const o = n / oursSeconds;
  const b = n / bareSeconds;
  return { ours: o, bare: b, ratio: o / b, oursBytes: oursBytes / n, bareBytes: bareBytes / n };
}

/** The SMTP sink, in a child process of its own. */
async function smtpServer(): Promise<{ url: string; received: () => Promise<number>; close: () => Promise<void> }> {
  const child = spawn(process.execPath, [join(sinkDir, 'smtp-sink.mjs')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const next = (): Promise<string> => new Promise((resolve) => lines.once('line', resolve));
  const port = Number(await next());
  return {
    url: `smtp://127.0.0.1:${port}`,
    received: async () => {
      const answer = next();
      child.stdin.write('count\n');
      return Number(await answer);
    },
    close: async () => {
      child.stdin.end();
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

/** `connections` and `window` undefined: `sendInvitations`' defaults, as the CLI uses them. */
async function benchSend(
  store: 'memory' | 'json-file',
  connections: number | undefined,
  window: number | undefined,
  count = SEND,
): Promise<{ rate: number; received: number; sent: number; saves: number; maxSending: number; saveMs: number[] }> {
  const smtp = await smtpServer();
  const people = 100;
  const d = dialogueOf(Math.ceil(count / people), people);
  let saves = 0;
  let maxSending = 0;
  const saveMs: number[] = [];
  const seen = (x: Dialogue): void => {
    saves++;
    let n = 0;
    for (const r of x.invitations) if (r.state === 'sending') n++;
    maxSending = Math.max(maxSending, n);
  };
  let dir: string | undefined;
  let save: (d: Dialogue) => Promise<void>;
  if (store === 'json-file') {
    dir = await mkdtemp(join(tmpdir(), 'bench-invites-'));
    const files = new JsonFileStore(dir);
    const stored = await files.save(d, 0);
    d.version = stored.version;
    const inner = saveToStore(files);
    save = async (x) => {
      seen(x);
      const t = performance.now();
      await inner(x);
      saveMs.push(performance.now() - t);
    };
  } else {
    let last = '';
    save = async (x) => {
      seen(x);
      last = JSON.stringify(x);
    };
    void last;
  }
  const t0 = performance.now();
  const summary = await sendInvitations(d, save, {
    smtpUrl: smtp.url,
    ratePerSecond: 100_000,
    ...(connections === undefined ? {} : { maxConnections: connections }),
    ...(window === undefined ? {} : { sendLogWindow: window }),
  });
  const seconds = (performance.now() - t0) / 1000;
  const received = await smtp.received();
  await smtp.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  return { rate: summary.sent / seconds, received, sent: summary.sent, saves, maxSending, saveMs };
}

/** Reference, not a budget: the bare build sent through a nodemailer pool one after another per connection, no send log. */
async function benchBareSend(connections: number): Promise<{ rate: number; received: number }> {
  const smtp = await smtpServer();
  const people = 100;
  const d = dialogueOf(Math.ceil(SEND / people), people);
  const work = pairs(d, SEND);
  const transport = nodemailer.createTransport({ url: smtp.url, pool: true, maxConnections: connections } as SMTPPoolOptions & {
    pool: true;
  });
  const t0 = performance.now();
  const per = Math.ceil(work.length / connections);
  await Promise.all(Array.from({ length: connections }, (_, i) => buildBare(d, work.slice(i * per, (i + 1) * per), transport)));
  const seconds = (performance.now() - t0) / 1000;
  transport.close();
  const received = await smtp.received();
  await smtp.close();
  return { rate: work.length / seconds, received };
}

const pct = (x: number): string => `${(x * 100).toFixed(0)}%`;
console.log(`bench/invites — Node ${process.version}, ${BUILD} builds x ${ROUNDS} rounds, ${SEND} sends`);
if (runs('build')) {
  const build = await benchBuild();
  console.log(
    `build  ours ${build.ours.toFixed(0)} emails/s (${build.oursBytes.toFixed(0)} B each) | bare ical-generator + nodemailer ${build.bare.toFixed(0)} emails/s (${build.bareBytes.toFixed(0)} B each) | ratio ${pct(build.ratio)} (budget >= 80%: ${build.ratio >= 0.8 ? 'met' : 'MISSED'})`,
  );
}
// The budget line first: the real JsonFileStore with sendInvitations' defaults (4 connections, a
// send-log window of 16), what `tahaffuz-dialogue invite` does (its rate limit aside). Then, for
// comparison in the same run: a save before every message (window 1), and the log kept in memory.
const sends: { store: 'memory' | 'json-file'; connections?: number; window?: number; budget?: true }[] = [
  { store: 'json-file', budget: true, ...(WINDOW === undefined ? {} : { window: WINDOW }) },
  { store: 'json-file', window: 1 },
  { store: 'memory', connections: 2 },
  { store: 'memory' },
];
// Warm-up (JIT, the sink's first connections), not reported, so the first line is not the cold one.
if (runs('json-file') || runs('memory')) await benchSend('memory', undefined, undefined, Math.min(SEND, 300));
for (const { store, connections, window, budget } of sends) {
  if (!runs(store)) continue;
  const send = await benchSend(store, connections, window);
  const setup = `${connections ?? 4} connections${connections === undefined ? ' (default)' : ''}, window ${window ?? 4 * (connections ?? 4)}${window === undefined ? ' (default)' : ''}`;
  const verdict = budget === true ? ` — BUDGET >= 200/s: ${send.rate >= 200 ? 'met' : 'MISSED'}` : '';
  console.log(
    `send   ${store === 'json-file' ? 'JsonFileStore' : 'log in memory'}, ${setup}: ${send.rate.toFixed(0)} messages/s, ${send.saves} saves${send.saveMs.length === 0 ? '' : ` (median ${median(send.saveMs).toFixed(1)} ms each)`}, at most ${send.maxSending} at \`sending\` per save, server got ${send.received}/${send.sent}${verdict}`,
  );
}
if (runs('bare')) {
  const bareSend = await benchBareSend(4);
  console.log(
    `send   reference: the bare build through a 4-connection nodemailer pool, no send log: ${bareSend.rate.toFixed(0)} messages/s, server got ${bareSend.received}`,
  );
}
