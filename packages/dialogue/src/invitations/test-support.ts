import ICAL from 'ical.js';
import * as nodeIcalModule from 'node-ical';

// node-ical is CommonJS: Node's ESM loader puts it on `default`, Vite's interop on the namespace.
const nodeIcal = (nodeIcalModule as unknown as { default?: typeof nodeIcalModule }).default ?? nodeIcalModule;

/**
 * Test helpers: an invitation calendar as two independent parsers (ical.js, node-ical) read it,
 * reduced to what the invitation rules talk about.
 */
export interface ParsedInvite {
  readonly method: string;
  readonly vevents: number;
  readonly vtimezones: readonly string[];
  readonly calendarProps: readonly string[];
  readonly eventProps: readonly string[];
  readonly uid: string;
  readonly sequence: number;
  readonly status: string;
  readonly summary: string;
  readonly description: string;
  readonly location: string;
  readonly startUtc: string;
  readonly endUtc: string;
  readonly startTzid: string;
  readonly organizer: { readonly email: string; readonly cn: string; readonly params: readonly string[] };
  readonly attendees: readonly {
    readonly email: string;
    readonly cn: string;
    readonly partstat: string;
    readonly rsvp: string;
    readonly params: readonly string[];
  }[];
}

/** Reads an invitation with ical.js, registering its VTIMEZONE so that local times convert. */
export function parseWithIcalJs(ics: string): ParsedInvite {
  const root = new ICAL.Component(ICAL.parse(ics) as unknown[]);
  const zones = root.getAllSubcomponents('vtimezone');
  for (const z of zones) ICAL.TimezoneService.register(new ICAL.Timezone(z));
  const events = root.getAllSubcomponents('vevent');
  const event = events[0]!;
  const time = (name: string): ICAL.Time => event.getFirstPropertyValue(name) as ICAL.Time;
  const mail = (v: unknown): string => String(v).replace(/^mailto:/i, '');
  const org = event.getFirstProperty('organizer')!;
  const out: ParsedInvite = {
    method: String(root.getFirstPropertyValue('method')),
    vevents: events.length,
    vtimezones: zones.map((z) => String(z.getFirstPropertyValue('tzid'))),
    calendarProps: root.getAllProperties().map((p) => p.name.toUpperCase()),
    eventProps: event.getAllProperties().map((p) => p.name.toUpperCase()),
    uid: String(event.getFirstPropertyValue('uid')),
    sequence: Number(event.getFirstPropertyValue('sequence')),
    status: String(event.getFirstPropertyValue('status')),
    summary: String(event.getFirstPropertyValue('summary')),
    description: String(event.getFirstPropertyValue('description') ?? ''),
    location: String(event.getFirstPropertyValue('location') ?? ''),
    startUtc: time('dtstart').toJSDate().toISOString(),
    endUtc: time('dtend').toJSDate().toISOString(),
    startTzid: String(event.getFirstProperty('dtstart')!.getParameter('tzid')),
    organizer: {
      email: mail(org.getFirstValue()),
      cn: String(org.getParameter('cn')),
      params: Object.keys(org.toJSON()[1] as object).map((k) => k.toUpperCase()),
    },
    attendees: event.getAllProperties('attendee').map((a) => ({
      email: mail(a.getFirstValue()),
      cn: String(a.getParameter('cn')),
      partstat: String(a.getParameter('partstat')),
      rsvp: String(a.getParameter('rsvp')),
      params: Object.keys(a.toJSON()[1] as object).map((k) => k.toUpperCase()),
    })),
  };
  for (const z of zones) ICAL.TimezoneService.remove(String(z.getFirstPropertyValue('tzid')));
  return out;
}

type NodeIcalEvent = nodeIcalModule.VEvent & Record<string, unknown>;

function paramText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && v !== null && 'val' in v) return String((v as { val: unknown }).val);
  return String(v);
}

/** Reads an invitation with node-ical. */
export function parseWithNodeIcal(
  ics: string,
): Omit<ParsedInvite, 'calendarProps' | 'eventProps'> & { readonly eventKeys: readonly string[] } {
  const data = nodeIcal.sync.parseICS(ics) as Record<string, Record<string, unknown>>;
  const values = Object.values(data);
  const events = values.filter((c) => c['type'] === 'VEVENT') as NodeIcalEvent[];
  const zones = values.filter((c) => c['type'] === 'VTIMEZONE');
  const calendar = values.find((c) => c['type'] === 'VCALENDAR') ?? {};
  const event = events[0]!;
  const person = (p: unknown): { email: string; cn: string; params: string[] } => {
    const o = p as { val: string; params: Record<string, unknown> };
    return {
      email: String(o.val).replace(/^mailto:/i, ''),
      cn: paramText(o.params['CN']),
      params: Object.keys(o.params).map((k) => k.toUpperCase()),
    };
  };
  const raw = event['attendee'];
  const attendees = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map((a) => {
    const base = person(a);
    const params = (a as { params: Record<string, unknown> }).params;
    return { ...base, partstat: paramText(params['PARTSTAT']), rsvp: paramText(params['RSVP']).toUpperCase() };
  });
  const start = event['start'] as Date & { tz?: string };
  return {
    method: String(calendar['method'] ?? ''),
    vevents: events.length,
    vtimezones: zones.map((z) => String(z['tzid'])),
    eventKeys: Object.keys(event),
    uid: String(event['uid']),
    sequence: Number(event['sequence']),
    status: String(event['status']),
    summary: paramText(event['summary']),
    description: paramText(event['description'] ?? ''),
    location: paramText(event['location'] ?? ''),
    startUtc: start.toISOString(),
    endUtc: (event['end'] as Date).toISOString(),
    startTzid: String(start.tz),
    organizer: person(event['organizer']),
    attendees,
  };
}

/** The lines of a calendar with folding undone. */
export function unfoldedLines(ics: string): string[] {
  return ics.replace(/\r\n[ \t]/g, '').split('\r\n');
}

/** One message a test SMTP server received. */
export interface ReceivedMail {
  readonly from: string;
  readonly to: readonly string[];
  readonly raw: string;
}

/** Behaviour of {@link startSmtpServer}. */
export interface TestSmtpOptions {
  /** Recipients answered with `550 5.1.1 mailbox unavailable`. */
  readonly reject?: ReadonlySet<string>;
  /** Drop the connection (no reply) at MAIL FROM of these message numbers (1-based, counting every MAIL FROM). */
  readonly dropAtMail?: ReadonlySet<number>;
}

/** A real smtp-server on 127.0.0.1 and a random port, keeping what it receives. */
export async function startSmtpServer(options: TestSmtpOptions = {}): Promise<{
  url: string;
  received: ReceivedMail[];
  close(): Promise<void>;
}> {
  const { SMTPServer } = await import('smtp-server');
  const received: ReceivedMail[] = [];
  const sockets = new Set<import('node:net').Socket>();
  let mailFrom = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onMailFrom(_address, _session, callback) {
      mailFrom++;
      if (options.dropAtMail?.has(mailFrom) === true) {
        for (const s of sockets) s.destroy();
        return;
      }
      callback();
    },
    onRcptTo(address, _session, callback) {
      if (options.reject?.has(address.address) === true) {
        const error = Object.assign(new Error('5.1.1 mailbox unavailable'), { responseCode: 550 });
        callback(error);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  server.server.on('connection', (s: import('node:net').Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.server.address() as import('node:net').AddressInfo;
  return {
    url: `smtp://127.0.0.1:${address.port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The UID, SEQUENCE and METHOD of the calendar inside a received message (quoted-printable or base64 undone). */
export async function calendarOf(raw: string): Promise<{ uid: string; sequence: number; method: string; ics: string }> {
  const { simpleParser } = await import('mailparser');
  const mail = await simpleParser(raw);
  const part =
    mail.attachments.find((a) => a.contentType === 'text/calendar') ?? mail.attachments.find((a) => a.contentType === 'application/ics');
  if (part === undefined) throw new Error('no calendar in message');
  const ics = part.content.toString('utf8');
  const lines = unfoldedLines(ics);
  const value = (name: string): string => (lines.find((l) => l.startsWith(`${name}:`)) ?? '').slice(name.length + 1);
  return { uid: value('UID'), sequence: Number(value('SEQUENCE')), method: value('METHOD'), ics };
}
