import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { assignBalanced, assignBySector, assignToGroup } from './assignment.js';
import { createDialogue } from './create-dialogue.js';
import {
  exportOrganisationsCsv,
  exportParticipantsCsv,
  exportRecommendationsCsv,
  importOrganisationsCsv,
  importParticipantsCsv,
  mergeRecommendationsCsv,
  type RecommendationsImport,
} from './csv-tables.js';
import { todayIn } from './dates.js';
import { DialogueError, isDialogueError } from './errors.js';
import { exportDialogueJson } from './export-json.js';
import {
  LANGUAGES,
  PRIORITIES,
  RECOMMENDATION_STATUSES,
  OWNER_RESPONSES,
  SECTORS,
  SESSION_KINDS,
  type Dialogue,
  type Language,
  type Priority,
  type RecommendationStatus,
  type OwnerResponse,
  type Sector,
  type SessionKind,
} from './model.js';
import {
  addRecommendation,
  adoptRecommendation,
  assignRecommendation,
  findRecommendation,
  recordProgress,
  respondToRecommendation,
  verifyRecommendation,
} from './recommendations.js';
import { buildFollowUpReport } from './report.js';
import { renderReportHtml } from './report-html.js';
import { renderReportMarkdown } from './report-markdown.js';
import { addSession, cancelSession, rescheduleSession } from './sessions.js';
import { JsonFileStore } from './store.js';
import { trackingIn } from './tracking.js';
import { updateDialogue } from './update-dialogue.js';
import { addWorkingGroup } from './working-groups.js';
import { planReminders } from './reminder-plan.js';
import { sendReminders } from './send-reminders.js';
import { CSV_BOM, guardFormula, stringifyCsv } from './csv.js';
import { CSV_ENCODINGS, decodeCsv, type CsvEncoding } from './csv-encoding.js';
import {
  applyRsvp,
  attendanceList,
  createProgressBar,
  readRsvpReplies,
  saveToStore,
  sendInvitations,
  writeInvitationsToDir,
  type SendSummary,
} from './invitations/index.js';
import { compact } from './validate.js';

/** Where the CLI writes and what it reads from its environment; tests pass their own. */
export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
}

const USAGE = `tahaffuz-dialogue — plan a national dialogue, invite people, track its recommendations

Usage: tahaffuz-dialogue <command> [options]

Global options:
  --store <dir>        folder of dialogue files (env TAHAFFUZ_DIALOGUE_STORE, default ./dialogues)
  --dialogue <id>      which dialogue (env TAHAFFUZ_DIALOGUE; optional when the store holds one)
  --help               this text

Setting up:
  init --id <id> --title <t> --timezone <IANA zone> --venue <v> --organiser-name <n> --organiser-email <e> [--languages en,ur]
  org import <file.csv> [--encoding e] columns: id,name,sector,contact_email
  org export [--out <file.csv>]
  participants import <file.csv> [--encoding e]
                                        columns: id,name,email,organisation_id,role,language,title
  participants export [--out <file.csv>]
                                        CSV files are read as UTF-8 (Excel: "CSV UTF-8"); a file that is not
                                        is refused, naming the rows; --encoding windows-1252 or windows-1256
                                        reads Excel's "CSV (Comma delimited)". Every CSV written has a BOM.
  session add --id <id> --kind <kind> --title <t> --start <YYYY-MM-DDTHH:mm> --end <…> [--location <l>]
              [--group <working group id>] [--invitees id,id] [--speakers id,id] [--description <d>]
  session reschedule <id> --start <…> --end <…> [--location <l>]
  session cancel <id>
  session list
  group add --id <id> --code <WG1> --theme <t> [--sectors s,s] [--facilitator <id>] [--rapporteur <id>]
  groups assign --by-sector | --balanced [--max-size <n>] | --group <id> --participants id,id
  groups list
  attendance [--out <file.csv>]         who is invited to what, the invitation's state and the RSVP

Invitations:
  invite --out <dir> [--all]            write the invitation emails as .eml files instead of sending
  invite [--smtp smtp://user:pass@host:port] [--rate <per second>] [--retry-rejected]
                                        send what is new or changed (SMTP also from env TAHAFFUZ_SMTP_URL);
                                        safe to run again: the send log skips what already went
  rsvp <folder of .eml>                 read iTIP REPLY emails and record each answer (PARTSTAT)
  remind [--smtp smtp://…] [--today <d>] [--due-within <days>] [--dry-run]
                                        email each owner organisation its due and overdue recommendations,
                                        once per reporting period however often it runs (safe in cron);
                                        overdue ones again every reporting period until someone reports

Recommendations:
  recs add --group <WG1> --text <t> [--reference <ND-WG1-R01>] [--priority high|medium|low] [--themes a;b] [--internal]
           [--owner <organisation id>] [--due <YYYY-MM-DD>] [--interval <days>] [--parent <id>] [--weight <n>]
  recs import <file.csv> [--overwrite] [--encoding e]
                                        columns as in 'report --format csv'; text and working_group_id required;
                                        merges into what is recorded (never drops an update the file lacks);
                                        a row exported before a later change, or without a revision, is
                                        refused unless --overwrite; prints what it changed
  recs adopt <ref> [--date <YYYY-MM-DD>] [--today <d>]
  recs respond <ref> accepted|noted
  recs assign <ref> [--owner <organisation id>] [--due <YYYY-MM-DD>] [--interval <days>]
  recs update <ref> --narrative <t> --author <who> [--status <s>] [--progress <0-100>] [--evidence <url>] [--internal]
              [--date <d>] [--today <d>]
  recs verify <ref> --narrative <t> [--evidence <url>] [--date <d>] [--today <d>]
                                        dates are calendar dates in the dialogue's time zone; refused: an
                                        update after today (--today, default the dialogue's today), before
                                        adoption or before the last update, and a due date before adoption
  recs list [--only due|overdue] [--today <d>]

Reports:
  report --format md|html|csv|json [--out <file>] [--include-internal] [--today <d>] [--due-within <days>]
`;

const OPTIONS = {
  store: { type: 'string' },
  dialogue: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  id: { type: 'string' },
  title: { type: 'string' },
  timezone: { type: 'string' },
  venue: { type: 'string' },
  'organiser-name': { type: 'string' },
  'organiser-email': { type: 'string' },
  languages: { type: 'string' },
  out: { type: 'string' },
  kind: { type: 'string' },
  start: { type: 'string' },
  end: { type: 'string' },
  location: { type: 'string' },
  group: { type: 'string' },
  invitees: { type: 'string' },
  speakers: { type: 'string' },
  description: { type: 'string' },
  code: { type: 'string' },
  theme: { type: 'string' },
  sectors: { type: 'string' },
  facilitator: { type: 'string' },
  rapporteur: { type: 'string' },
  'by-sector': { type: 'boolean' },
  balanced: { type: 'boolean' },
  'max-size': { type: 'string' },
  participants: { type: 'string' },
  text: { type: 'string' },
  reference: { type: 'string' },
  priority: { type: 'string' },
  themes: { type: 'string' },
  internal: { type: 'boolean' },
  date: { type: 'string' },
  owner: { type: 'string' },
  due: { type: 'string' },
  interval: { type: 'string' },
  narrative: { type: 'string' },
  author: { type: 'string' },
  status: { type: 'string' },
  progress: { type: 'string' },
  evidence: { type: 'string' },
  only: { type: 'string' },
  today: { type: 'string' },
  format: { type: 'string' },
  'include-internal': { type: 'boolean' },
  'due-within': { type: 'string' },
  smtp: { type: 'string' },
  rate: { type: 'string' },
  all: { type: 'boolean' },
  'retry-rejected': { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  parent: { type: 'string' },
  weight: { type: 'string' },
  overwrite: { type: 'boolean' },
  encoding: { type: 'string' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>['values'];

class UsageError extends DialogueError {
  override name = 'UsageError' as const;
  constructor(message: string) {
    super(message, { code: 'USAGE' });
  }
}

function need(values: Values, key: keyof Values, what = `--${String(key)}`): string {
  const v = values[key];
  if (typeof v !== 'string' || v === '') throw new UsageError(`missing ${what}`);
  return v;
}

function oneOf<T extends string>(value: string, allowed: readonly T[], what: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${what} must be one of: ${allowed.join(', ')}`);
  return value as T;
}

function int(value: string, what: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${what} must be a whole number`);
  return Number(value);
}

function positive(value: string, what: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || n <= 0) throw new UsageError(`${what} must be a positive number`);
  return n;
}

const ids = (value: string | undefined): string[] | undefined =>
  value === undefined
    ? undefined
    : value
        .split(/[,;]/)
        .map((s) => s.trim())
        .filter((s) => s !== '');

function parseCommandLine(argv: readonly string[]) {
  return parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
}

/** What a recommendations import changed, one line per added or changed row: references and field names only. */
function describeImport(result: Omit<RecommendationsImport, 'dialogue'>): string {
  const lines = result.added.map((a) => `added ${a.reference} (row ${a.row})\n`);
  for (const c of result.changed) {
    const parts = [
      ...(c.fields.length === 0 ? [] : [c.fields.join(', ')]),
      ...(c.updates_added === 0 ? [] : [`${c.updates_added} update(s) added`]),
      ...(c.updates_changed === 0 ? [] : [`${c.updates_changed} update(s) replaced`]),
    ];
    lines.push(`changed ${c.reference} (row ${c.row}): ${parts.join('; ')}${c.overwritten ? ' (overwritten)' : ''}\n`);
  }
  lines.push(`${result.added.length} added, ${result.changed.length} changed, ${result.unchanged.length} unchanged\n`);
  return lines.join('');
}

/**
 * Runs the `tahaffuz-dialogue` command line and returns the exit code: 0 done, 1 refused or failed
 * (the message says why), 2 wrong usage.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    io.stderr.write(`error: ${(error as Error).message}\nRun with --help for the commands.\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help === true || positionals.length === 0) {
    (values.help === true ? io.stdout : io.stderr).write(USAGE);
    return values.help === true ? 0 : 2;
  }
  const store = new JsonFileStore(resolve(io.cwd, values.store ?? io.env['TAHAFFUZ_DIALOGUE_STORE'] ?? 'dialogues'));
  const path = (p: string) => resolve(io.cwd, p);
  const out = async (text: string) => {
    if (values.out === undefined) io.stdout.write(text);
    else {
      await writeFile(path(values.out), text);
      io.stderr.write(`wrote ${values.out}\n`);
    }
  };
  const dialogueId = async (): Promise<string> => {
    const named = values.dialogue ?? io.env['TAHAFFUZ_DIALOGUE'];
    if (named !== undefined) return named;
    const all = await store.list();
    if (all.length === 1 && all[0] !== undefined) return all[0];
    throw new UsageError(
      all.length === 0
        ? `no dialogue in ${store.dir}; run 'init' first`
        : `the store holds ${all.length} dialogues; say which with --dialogue (${all.join(', ')})`,
    );
  };
  const change = async (fn: (d: Dialogue) => Dialogue, done: string) => {
    const saved = await updateDialogue(store, await dialogueId(), fn);
    io.stderr.write(`${done} (dialogue ${saved.id}, version ${saved.version})\n`);
    return saved;
  };
  const load = async () => store.load(await dialogueId());
  /** A CSV file's text: UTF-8 unless --encoding says otherwise; cells of only "?" are warned about. */
  const readCsv = async (file: string): Promise<string> => {
    const encoding = values.encoding === undefined ? undefined : oneOf<CsvEncoding>(values.encoding, CSV_ENCODINGS, '--encoding');
    const { text, warnings } = decodeCsv(await readFile(path(file)), encoding === undefined ? {} : { encoding });
    for (const w of warnings) io.stderr.write(`warning: ${file}, row ${w.row}, column ${w.column}: ${w.message}\n`);
    return text;
  };
  const [command, sub, arg] = positionals;

  try {
    switch (command) {
      case 'init': {
        const d = createDialogue({
          id: need(values, 'id'),
          title: need(values, 'title'),
          timezone: need(values, 'timezone'),
          venue: need(values, 'venue'),
          organiser: { name: need(values, 'organiser-name'), email: need(values, 'organiser-email') },
          languages: (ids(values.languages) ?? ['en']).map((l) => oneOf<Language>(l, LANGUAGES, '--languages')),
        });
        if ((await store.list()).includes(d.id)) {
          throw new DialogueError(`a dialogue "${d.id}" already exists in ${store.fileOf(d.id)}; choose another --id`, { code: 'EXISTS' });
        }
        const saved = await store.save(d, 0);
        io.stderr.write(`created dialogue ${saved.id} in ${store.fileOf(saved.id)}\n`);
        return 0;
      }
      case 'org':
      case 'participants': {
        const isOrg = command === 'org';
        if (sub === 'import') {
          if (arg === undefined) throw new UsageError(`usage: ${command} import <file.csv>`);
          const csv = await readCsv(arg);
          const before = await load();
          const saved = await change((d) => (isOrg ? importOrganisationsCsv(d, csv) : importParticipantsCsv(d, csv)), `imported ${arg}`);
          const count = (d: Dialogue) => (isOrg ? d.organisations.length : d.participants.length);
          io.stdout.write(`${isOrg ? 'organisations' : 'participants'}: ${count(before)} before, ${count(saved)} now\n`);
          return 0;
        }
        if (sub === 'export') {
          const d = await load();
          await out(isOrg ? exportOrganisationsCsv(d) : exportParticipantsCsv(d));
          return 0;
        }
        throw new UsageError(`usage: ${command} import <file.csv> | ${command} export [--out <file>]`);
      }
      case 'session': {
        if (sub === 'add') {
          await change(
            (d) =>
              addSession(
                d,
                compact({
                  id: need(values, 'id'),
                  kind: oneOf<SessionKind>(need(values, 'kind'), SESSION_KINDS, '--kind'),
                  title: need(values, 'title'),
                  start: need(values, 'start'),
                  end: need(values, 'end'),
                  location: values.location,
                  description: values.description,
                  working_group_id: values.group,
                  invitees: ids(values.invitees),
                  speaker_ids: ids(values.speakers),
                }),
              ),
            `added session ${values.id ?? ''}`,
          );
          return 0;
        }
        if (sub === 'reschedule') {
          if (arg === undefined) throw new UsageError('usage: session reschedule <id> --start <…> --end <…>');
          const when = compact({ start: need(values, 'start'), end: need(values, 'end'), location: values.location });
          await change((d) => rescheduleSession(d, arg, when), `rescheduled session ${arg}; run 'invite' to send the update`);
          return 0;
        }
        if (sub === 'cancel') {
          if (arg === undefined) throw new UsageError('usage: session cancel <id>');
          await change((d) => cancelSession(d, arg), `cancelled session ${arg}; run 'invite' to send the cancellation`);
          return 0;
        }
        if (sub === 'list') {
          const d = await load();
          for (const s of d.sessions) {
            io.stdout.write(`${s.id}\t${s.kind}\t${s.start} – ${s.end.slice(11)}\t${s.status}\tseq ${s.sequence}\t${s.title}\n`);
          }
          return 0;
        }
        throw new UsageError('usage: session add|reschedule|cancel|list');
      }
      case 'group':
      case 'groups': {
        if (sub === 'add') {
          await change(
            (d) =>
              addWorkingGroup(
                d,
                compact({
                  id: need(values, 'id'),
                  code: need(values, 'code'),
                  theme: need(values, 'theme'),
                  sectors: (ids(values.sectors) ?? []).map((s) => oneOf<Sector>(s, SECTORS, '--sectors')),
                  facilitator_id: values.facilitator,
                  rapporteur_id: values.rapporteur,
                }),
              ),
            `added working group ${values.id ?? ''}`,
          );
          return 0;
        }
        if (sub === 'assign') {
          let report = '';
          if (values['by-sector'] === true || values.balanced === true) {
            const maxSize = values['max-size'] === undefined ? undefined : int(values['max-size'], '--max-size');
            await change((d) => {
              const r = values.balanced === true ? assignBalanced(d, maxSize === undefined ? {} : { maxSize }) : assignBySector(d);
              report = `placed ${Object.keys(r.assigned).length} participant(s)${
                r.unassigned.length > 0 ? `; no group draws from the sector of: ${r.unassigned.join(', ')}` : ''
              }\n`;
              return r.dialogue;
            }, 'assigned');
          } else {
            const group = need(values, 'group');
            const people = ids(need(values, 'participants')) ?? [];
            await change((d) => assignToGroup(d, group, people), `assigned ${people.length} participant(s) to ${group}`);
          }
          io.stdout.write(report);
          return 0;
        }
        if (sub === 'list') {
          const d = await load();
          for (const g of d.working_groups) {
            io.stdout.write(`${g.code}\t${g.id}\t${g.theme}\t${g.member_ids.length} member(s): ${g.member_ids.join(', ')}\n`);
          }
          return 0;
        }
        throw new UsageError('usage: group add … | groups assign … | groups list');
      }
      case 'recs':
        return await recs(sub, arg);
      case 'report': {
        const d = await load();
        const format = oneOf(values.format ?? 'md', ['md', 'html', 'csv', 'json'] as const, '--format');
        const options = compact({
          today: values.today,
          includeInternal: values['include-internal'] === true,
          dueWithinDays: values['due-within'] === undefined ? undefined : int(values['due-within'], '--due-within'),
        });
        const text =
          format === 'csv'
            ? exportRecommendationsCsv(d, options)
            : format === 'json'
              ? exportDialogueJson(d, options)
              : format === 'html'
                ? renderReportHtml(buildFollowUpReport(d, options))
                : renderReportMarkdown(buildFollowUpReport(d, options));
        await out(text);
        return 0;
      }
      case 'attendance': {
        const rows = attendanceList(await load());
        const header = ['session_id', 'session_title', 'start', 'participant_id', 'name', 'organisation', 'invitation', 'partstat'];
        await out(
          CSV_BOM +
            stringifyCsv(
              [
                header,
                ...rows.map((r) => [
                  r.session_id,
                  r.session_title,
                  r.start,
                  r.participant_id,
                  r.name,
                  r.organisation,
                  r.invitation,
                  r.partstat,
                ]),
              ].map((line) => line.map(guardFormula)),
            ),
        );
        return 0;
      }
      case 'invite':
        return await invite();
      case 'remind':
        return await remind();
      case 'rsvp': {
        if (sub === undefined) throw new UsageError('usage: rsvp <folder of .eml files>');
        const { replies, skipped } = await readRsvpReplies(path(sub));
        let result: ReturnType<typeof applyRsvp> | undefined;
        await change((d) => {
          result = applyRsvp(d, replies);
          return d;
        }, `read ${replies.length} reply(ies) from ${sub}`);
        io.stdout.write(`updated ${result?.updated.length ?? 0} invitation(s)\n`);
        for (const s of [...skipped, ...(result?.ignored ?? [])]) io.stdout.write(`skipped ${s.file}: ${s.reason}\n`);
        return 0;
      }
      default:
        throw new UsageError(`unknown command '${command ?? ''}'`);
    }
  } catch (error) {
    if (isDialogueError(error)) {
      io.stderr.write(`error: ${error.message}\n`);
      return error.code === 'USAGE' ? 2 : 1;
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES') {
      io.stderr.write(`error: ${(error as Error).message}\n`);
      return 1;
    }
    throw error;
  }

  async function invite(): Promise<number> {
    const d = await load();
    if (values.out !== undefined) {
      const written = await writeInvitationsToDir(d, path(values.out), { all: values.all === true });
      io.stdout.write(`wrote ${written.length} invitation email(s) to ${values.out}\n`);
      return 0;
    }
    const smtpUrl = values.smtp ?? io.env['TAHAFFUZ_SMTP_URL'];
    if (smtpUrl === undefined)
      throw new UsageError('say where to send: --smtp smtp://host:port (or env TAHAFFUZ_SMTP_URL), or --out <dir> to write .eml files');
    const bar = createProgressBar(io.stderr, 'sending');
    let summary: SendSummary;
    try {
      summary = await sendInvitations(d, saveToStore(store), {
        smtpUrl,
        ...(values.rate === undefined ? {} : { ratePerSecond: int(values.rate, '--rate') }),
        ...(values['retry-rejected'] === true ? { retryRejected: true } : {}),
        onProgress: (p) => bar.update(p.done, p.total, `sent ${p.sent}, rejected ${p.rejected}, failed ${p.failed}`),
      });
    } finally {
      bar.finish();
    }
    io.stdout.write(`sent ${summary.sent} of ${summary.planned} planned message(s)\n`);
    for (const p of summary.rejected) io.stdout.write(`rejected: session ${p.session_id}, participant ${p.participant_id} (${p.code})\n`);
    for (const p of summary.failed)
      io.stdout.write(`failed, will retry on the next run: session ${p.session_id}, participant ${p.participant_id} (${p.code})\n`);
    for (const p of summary.possiblyDuplicated) {
      io.stdout.write(
        `possibly sent twice (same UID and SEQUENCE, calendars merge it): session ${p.session_id}, participant ${p.participant_id}\n`,
      );
    }
    if (summary.notAttempted > 0)
      io.stdout.write(`not attempted: ${summary.notAttempted} (the server stopped answering); run invite again\n`);
    return summary.failed.length > 0 || summary.rejected.length > 0 || summary.notAttempted > 0 ? 1 : 0;
  }

  async function remind(): Promise<number> {
    const d = await load();
    const options = compact({
      today: values.today,
      dueWithinDays: values['due-within'] === undefined ? undefined : int(values['due-within'], '--due-within'),
      retryRejected: values['retry-rejected'] === true ? true : undefined,
    });
    if (values['dry-run'] === true) {
      for (const r of planReminders(d, options)) {
        io.stdout.write(`${r.organisation.id}\t${r.items.map((i) => `${i.recommendation.reference} ${i.tracking.state}`).join(', ')}\n`);
      }
      return 0;
    }
    const smtpUrl = values.smtp ?? io.env['TAHAFFUZ_SMTP_URL'];
    if (smtpUrl === undefined) throw new UsageError('say where to send: --smtp smtp://host:port (or env TAHAFFUZ_SMTP_URL), or --dry-run');
    const summary = await sendReminders(d, saveToStore(store), {
      ...options,
      smtpUrl,
      ...(values.rate === undefined ? {} : { ratePerSecond: int(values.rate, '--rate') }),
    });
    io.stdout.write(`sent ${summary.sent} of ${summary.planned} reminder(s)\n`);
    for (const p of summary.rejected) io.stdout.write(`rejected: organisation ${p.organisation_id} (${p.code})\n`);
    for (const p of summary.failed) io.stdout.write(`failed, will retry on the next run: organisation ${p.organisation_id} (${p.code})\n`);
    for (const id of summary.possiblyDuplicated) io.stdout.write(`possibly sent twice: organisation ${id}\n`);
    return summary.failed.length > 0 || summary.rejected.length > 0 ? 1 : 0;
  }

  async function recs(action: string | undefined, ref: string | undefined): Promise<number> {
    const needRef = () => {
      if (ref === undefined) throw new UsageError(`usage: recs ${action ?? ''} <reference>`);
      return ref;
    };
    switch (action) {
      case 'add': {
        await change(
          (d) =>
            addRecommendation(
              d,
              compact({
                working_group_id: need(values, 'group'),
                text: need(values, 'text'),
                reference: values.reference,
                priority: values.priority === undefined ? undefined : oneOf<Priority>(values.priority, PRIORITIES, '--priority'),
                themes: ids(values.themes),
                visibility: values.internal === true ? ('internal' as const) : undefined,
                owner_organisation_id: values.owner,
                parent_id: values.parent,
                weight: values.weight === undefined ? undefined : positive(values.weight, '--weight'),
                due_date: values.due,
                reporting_interval_days: values.interval === undefined ? undefined : int(values.interval, '--interval'),
              }),
            ),
          'added recommendation',
        );
        return 0;
      }
      case 'import': {
        const file = needRef();
        const csv = await readCsv(file);
        let result: RecommendationsImport | undefined;
        await change((d) => {
          result = mergeRecommendationsCsv(d, csv, compact({ overwrite: values.overwrite === true, today: values.today }));
          return result.dialogue;
        }, `imported ${file}`);
        if (result !== undefined) io.stdout.write(describeImport(result));
        return 0;
      }
      case 'adopt': {
        const r = needRef();
        const d0 = await load();
        const today = values.today ?? todayIn(d0.timezone);
        const date = values.date ?? today;
        await change((d) => adoptRecommendation(d, r, { date }, { today }), `adopted ${r}`);
        return 0;
      }
      case 'respond': {
        const r = needRef();
        const response = oneOf<OwnerResponse>(positionals[3] ?? '', OWNER_RESPONSES, 'the response');
        await change((d) => respondToRecommendation(d, r, response), `recorded response ${response} for ${r}`);
        return 0;
      }
      case 'assign': {
        const r = needRef();
        const fields = compact({
          owner_organisation_id: values.owner,
          due_date: values.due,
          reporting_interval_days: values.interval === undefined ? undefined : int(values.interval, '--interval'),
        });
        await change((d) => assignRecommendation(d, r, fields), `assigned ${r}`);
        return 0;
      }
      case 'update':
      case 'verify': {
        const r = needRef();
        const d0 = await load();
        const today = values.today ?? todayIn(d0.timezone);
        const date = values.date ?? today;
        const narrative = need(values, 'narrative');
        if (action === 'verify') {
          await change(
            (d) =>
              verifyRecommendation(d, r, compact({ date, narrative, evidence_url: values.evidence, public: values.internal !== true }), {
                today,
              }),
            `verified ${r}`,
          );
          return 0;
        }
        const input = compact({
          date,
          narrative,
          author: need(values, 'author'),
          status: values.status === undefined ? undefined : oneOf<RecommendationStatus>(values.status, RECOMMENDATION_STATUSES, '--status'),
          progress: values.progress === undefined ? undefined : int(values.progress, '--progress'),
          evidence_url: values.evidence,
          public: values.internal !== true,
        });
        const saved = await change((d) => recordProgress(d, r, input, { today }), `recorded progress on ${r}`);
        const rec = findRecommendation(saved, r);
        io.stdout.write(`${rec.reference}: ${rec.status}, ${rec.progress}%\n`);
        return 0;
      }
      case 'list': {
        const d = await load();
        const today = values.today ?? todayIn(d.timezone);
        const only = values.only === undefined ? undefined : oneOf(values.only, ['due', 'overdue'] as const, '--only');
        for (const rec of d.recommendations) {
          const t = trackingIn(d.recommendations, rec, today);
          if (only !== undefined && t.state !== only) continue;
          io.stdout.write(
            `${rec.reference}\t${rec.status}\t${rec.progress}%\t${rec.response}\t${rec.owner_organisation_id ?? '-'}\t${
              t.next_reporting_date ?? '-'
            } ${t.state}\n`,
          );
        }
        return 0;
      }
      default:
        throw new UsageError('usage: recs add|import|adopt|respond|assign|update|verify|list');
    }
  }
}
