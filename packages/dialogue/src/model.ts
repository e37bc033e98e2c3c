import { z } from 'zod';

/**
 * The dialogue model: zod schemas for everything a dialogue store persists, and the types inferred
 * from them. Field names are snake_case because the persisted JSON and the CSV headers use them.
 */

/** Sectors an organisation belongs to. */
export const SECTORS = [
  'government',
  'child_rights_institution',
  'legislature',
  'law_enforcement',
  'civil_society',
  'media',
  'international_partner',
  'academia',
] as const;
/** Roles a participant plays in the dialogue. */
export const PARTICIPANT_ROLES = ['speaker', 'facilitator', 'rapporteur', 'delegate', 'observer'] as const;
/** Languages the dialogue writes to its participants in. */
export const LANGUAGES = ['en', 'ur'] as const;
/** Kinds of session on the agenda. */
export const SESSION_KINDS = ['plenary', 'speech', 'panel', 'breakout', 'report_back'] as const;
/** Whether a session still takes place. */
export const SESSION_STATUSES = ['scheduled', 'cancelled'] as const;
/** A recommendation's priority. */
export const PRIORITIES = ['high', 'medium', 'low'] as const;
/** The owner organisation's answer to a recommendation (a field, not a state). */
export const OWNER_RESPONSES = ['pending', 'accepted', 'noted'] as const;
/** Recommendation states; the allowed changes are in `RECOMMENDATION_TRANSITIONS`. */
export const RECOMMENDATION_STATUSES = [
  'draft',
  'adopted',
  'not_started',
  'in_progress',
  'stalled',
  'completed',
  'verified',
  'withdrawn',
  'superseded',
] as const;
/** Who may read a recommendation or a progress update. */
export const VISIBILITIES = ['public', 'internal'] as const;
/** Where one message of the send log stands. */
export const SEND_STATES = ['pending', 'sending', 'sent', 'rejected', 'failed'] as const;
/** iTIP methods an invitation is sent with. */
export const INVITATION_METHODS = ['REQUEST', 'CANCEL'] as const;
/** An attendee's answer to an invitation (iCalendar PARTSTAT). */
export const PARTSTATS = ['NEEDS-ACTION', 'ACCEPTED', 'DECLINED', 'TENTATIVE'] as const;

/** A sector an organisation belongs to. */
export const SectorSchema = z.enum(SECTORS);
/** A participant's role. */
export const ParticipantRoleSchema = z.enum(PARTICIPANT_ROLES);
/** `en` or `ur`. */
export const LanguageSchema = z.enum(LANGUAGES);
/** A session's kind. */
export const SessionKindSchema = z.enum(SESSION_KINDS);
/** `scheduled` or `cancelled`. */
export const SessionStatusSchema = z.enum(SESSION_STATUSES);
/** `high`, `medium` or `low`. */
export const PrioritySchema = z.enum(PRIORITIES);
/** `pending`, `accepted` or `noted`. */
export const OwnerResponseSchema = z.enum(OWNER_RESPONSES);
/** A recommendation's status. */
export const RecommendationStatusSchema = z.enum(RECOMMENDATION_STATUSES);
/** `public` or `internal`. */
export const VisibilitySchema = z.enum(VISIBILITIES);
/** A send-log entry's state. */
export const SendStateSchema = z.enum(SEND_STATES);
/** `REQUEST` or `CANCEL`. */
export const InvitationMethodSchema = z.enum(INVITATION_METHODS);
/** An attendee's PARTSTAT. */
export const PartstatSchema = z.enum(PARTSTATS);

/**
 * An identifier chosen by the organiser (`pcpb`, `p-012`, `wg1`): letters, digits, `.`, `_`, `-`,
 * starting with a letter or digit. Ids end up in calendar UIDs, file names and CSV cells, so they
 * are kept to characters that need no escaping anywhere.
 */
export const IdSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'use letters, digits, ".", "_" or "-", starting with a letter or digit');

/** Text a person typed: any characters, not empty. Escaping is the writer's job, never the reader's. */
const TextSchema = z.string().min(1).max(10_000);
const NameSchema = z.string().min(1).max(300);
const EmailSchema = z.email();

/** True when `zone` is an IANA time zone this runtime knows. */
export function isValidTimeZone(zone: string): boolean {
  if (zone.length === 0) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** An IANA time zone name (`Asia/Karachi`), checked against the runtime's Intl data. */
export const TimeZoneSchema = z.string().refine(isValidTimeZone, 'not an IANA time zone (e.g. "Asia/Karachi")');

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** True for a calendar date written `YYYY-MM-DD` that exists. */
export function isLocalDate(value: string): boolean {
  const m = LOCAL_DATE.exec(value);
  return m !== null && validDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** True for a wall-clock time written `YYYY-MM-DDTHH:mm` whose date exists and whose time is 00:00–23:59. */
export function isLocalDateTime(value: string): boolean {
  const m = LOCAL_DATE_TIME.exec(value);
  if (m === null) return false;
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  return validDate(Number(m[1]), Number(m[2]), Number(m[3])) && hour <= 23 && minute <= 59;
}

/** A wall-clock time `YYYY-MM-DDTHH:mm` in the dialogue's time zone (no offset: the zone says it). */
export const LocalDateTimeSchema = z.string().refine(isLocalDateTime, 'expected a local time "YYYY-MM-DDTHH:mm" (e.g. "2026-03-12T09:30")');

/** A calendar date `YYYY-MM-DD`. */
export const LocalDateSchema = z.string().refine(isLocalDate, 'expected a date "YYYY-MM-DD" (e.g. "2026-03-12")');

/** An instant in UTC, ISO 8601 with `Z` (`2026-03-12T04:30:00.000Z`). */
export const InstantSchema = z.iso.datetime();

/** A link to evidence: http or https only. */
export const EvidenceUrlSchema = z.url({ protocol: /^https?$/ });

/** A theme label: no `;` (it separates list items in CSV cells), no line breaks, no surrounding spaces. */
export const ThemeSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^;\s](?:[^;\r\n]*[^;\s])?$/, 'a short label without ";", line breaks or surrounding spaces');

/** A person or mailbox that sends for the dialogue. */
export const OrganiserSchema = z.object({
  name: NameSchema,
  email: EmailSchema,
});

/** An organisation taking part, by sector, with the mailbox that receives its reminders. */
export const OrganisationSchema = z.object({
  id: IdSchema,
  name: NameSchema,
  sector: SectorSchema,
  contact_email: EmailSchema,
});

/** A person invited to the dialogue. */
export const ParticipantSchema = z.object({
  id: IdSchema,
  name: NameSchema,
  email: EmailSchema,
  organisation_id: IdSchema,
  role: ParticipantRoleSchema,
  language: LanguageSchema,
  /** Position held, e.g. "Chairperson" (roles, not invented personal details). */
  title: NameSchema.optional(),
});

/** One slot on the agenda. `start` and `end` are wall-clock times in the dialogue's time zone. */
export const SessionSchema = z
  .object({
    id: IdSchema,
    kind: SessionKindSchema,
    title: NameSchema,
    description: TextSchema.optional(),
    start: LocalDateTimeSchema,
    end: LocalDateTimeSchema,
    location: NameSchema.optional(),
    /** For a breakout: the working group that meets. Without it, every group meets (each in its own room). */
    working_group_id: IdSchema.optional(),
    /** When set, only these participants are invited, whatever the kind. */
    invitees: z.array(IdSchema).optional(),
    speaker_ids: z.array(IdSchema).optional(),
    /** iCalendar SEQUENCE: starts at 0, +1 on every change a participant would see. */
    sequence: z.number().int().min(0),
    status: SessionStatusSchema,
    /** iCalendar UID: set once when the session is added, never changed. */
    uid: z
      .string()
      .min(1)
      .max(255)
      .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces'),
  })
  .superRefine((s, ctx) => {
    if (isLocalDateTime(s.start) && isLocalDateTime(s.end) && s.end <= s.start) {
      ctx.addIssue({ code: 'custom', path: ['end'], message: 'a session must end after it starts' });
    }
    if (s.working_group_id !== undefined && s.kind !== 'breakout') {
      ctx.addIssue({
        code: 'custom',
        path: ['working_group_id'],
        message: 'only a breakout session belongs to a working group',
      });
    }
  });

/** A working group: its theme, the sectors it draws from, who leads it and who sits in it. */
export const WorkingGroupSchema = z.object({
  id: IdSchema,
  /** Short code used in recommendation references, e.g. `WG1`. */
  code: z
    .string()
    .min(1)
    .max(20)
    .regex(/^[A-Za-z0-9]+$/, 'letters and digits only, e.g. "WG1"'),
  theme: NameSchema,
  sectors: z.array(SectorSchema),
  facilitator_id: IdSchema.optional(),
  rapporteur_id: IdSchema.optional(),
  member_ids: z.array(IdSchema),
  closing_report: TextSchema.optional(),
});

/** One dated entry in a recommendation's timeline. */
export const ProgressUpdateSchema = z.object({
  id: IdSchema,
  date: LocalDateSchema,
  status_from: RecommendationStatusSchema.optional(),
  status_to: RecommendationStatusSchema.optional(),
  progress: z.number().int().min(0).max(100).optional(),
  narrative: TextSchema,
  evidence_url: EvidenceUrlSchema.optional(),
  /** Public updates appear in public reports; the others only when internal ones are asked for. */
  public: z.boolean(),
  /** Who reported the update (an organisation or a role). */
  author: NameSchema,
});

/** A recommendation a working group presented, and what became of it. */
export const RecommendationSchema = z.object({
  id: IdSchema,
  /** Human reference, e.g. `ND-WG2-R03`. */
  reference: z
    .string()
    .min(1)
    .max(60)
    .regex(/^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$/, 'letters and digits in parts joined by "-", e.g. "ND-WG2-R03"'),
  text: TextSchema,
  working_group_id: IdSchema,
  owner_organisation_id: IdSchema.optional(),
  /** Organisations that support it. */
  supporter_ids: z.array(IdSchema),
  /** Short labels; no `;` (the CSV list separator) and no surrounding spaces. */
  themes: z.array(ThemeSchema),
  priority: PrioritySchema,
  response: OwnerResponseSchema,
  status: RecommendationStatusSchema,
  progress: z.number().int().min(0).max(100),
  due_date: LocalDateSchema.optional(),
  reporting_interval_days: z.number().int().min(1).max(3660).optional(),
  parent_id: IdSchema.optional(),
  /** Weight among its siblings in the parent's roll-up. @default 1 */
  weight: z.number().positive().finite().optional(),
  visibility: VisibilitySchema,
  updates: z.array(ProgressUpdateSchema),
  /** The date it was adopted; the first reporting period counts from it. */
  adopted_on: LocalDateSchema.optional(),
  /**
   * How many times it changed since it was recorded; every change adds one. A CSV export carries it
   * per row, so that an import can tell a row exported before a later change. @default 0
   */
  revision: z.number().int().min(0).optional(),
});

/** One message of the invitation send log: one per session x participant. */
export const InvitationRecordSchema = z.object({
  session_id: IdSchema,
  participant_id: IdSchema,
  /** The SEQUENCE this entry is about (the last one sent once `state` is `sent`). */
  sequence_sent: z.number().int().min(0),
  method: InvitationMethodSchema,
  /** Hash of what was (to be) sent, so a re-run sends only what changed. */
  content_hash: z.string().min(1).max(200),
  state: SendStateSchema,
  message_id: z.string().min(1).max(998).optional(),
  attempts: z.number().int().min(0),
  /** SMTP response code or error code; never personal data. */
  last_error_code: z.string().max(100).optional(),
  sent_at: InstantSchema.optional(),
  partstat: PartstatSchema,
  /** The outcome of a send was unknown after a crash and it was sent again with the same UID and SEQUENCE. */
  possibly_duplicated: z.boolean().optional(),
});

/** One message of the reminder send log: one per owner organisation x reporting period. */
export const ReminderRecordSchema = z.object({
  organisation_id: IdSchema,
  /** The reporting period the reminder is for; one reminder per organisation and period. */
  period: z.string().min(1).max(100),
  recommendation_ids: z.array(IdSchema),
  /**
   * Each item as `<recommendation id>@<reporting period>`: an item already sent for a period is not
   * sent again in that period. Absent in entries written before it was kept.
   */
  items: z.array(z.string().min(1).max(200)).optional(),
  content_hash: z.string().min(1).max(200),
  state: SendStateSchema,
  message_id: z.string().min(1).max(998).optional(),
  attempts: z.number().int().min(0),
  last_error_code: z.string().max(100).optional(),
  sent_at: InstantSchema.optional(),
  possibly_duplicated: z.boolean().optional(),
});

type Issue = { path: (string | number)[]; message: string };

function duplicates<T extends { id: string }>(items: readonly T[], key: string, issues: Issue[]): Set<string> {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.id)) issues.push({ path: [key, i, 'id'], message: `duplicate id "${item.id}"` });
    seen.add(item.id);
  });
  return seen;
}

/** Cross-references a single object schema cannot see: unique ids, ids that point somewhere, no cycles. */
function checkReferences(d: DialogueShape): Issue[] {
  const issues: Issue[] = [];
  const orgs = duplicates(d.organisations, 'organisations', issues);
  const people = duplicates(d.participants, 'participants', issues);
  const sessions = duplicates(d.sessions, 'sessions', issues);
  const groups = duplicates(d.working_groups, 'working_groups', issues);
  const recs = duplicates(d.recommendations, 'recommendations', issues);
  const missing = (set: Set<string>, id: string | undefined, path: Issue['path'], what: string): void => {
    if (id !== undefined && !set.has(id)) issues.push({ path, message: `no ${what} with id "${id}"` });
  };

  d.participants.forEach((p, i) => {
    missing(orgs, p.organisation_id, ['participants', i, 'organisation_id'], 'organisation');
  });
  d.sessions.forEach((s, i) => {
    missing(groups, s.working_group_id, ['sessions', i, 'working_group_id'], 'working group');
    s.invitees?.forEach((id, j) => {
      missing(people, id, ['sessions', i, 'invitees', j], 'participant');
    });
    s.speaker_ids?.forEach((id, j) => {
      missing(people, id, ['sessions', i, 'speaker_ids', j], 'participant');
    });
  });
  const uids = new Set<string>();
  d.sessions.forEach((s, i) => {
    if (uids.has(s.uid)) issues.push({ path: ['sessions', i, 'uid'], message: `duplicate uid "${s.uid}"` });
    uids.add(s.uid);
  });
  const codes = new Set<string>();
  const memberOf = new Map<string, string>();
  d.working_groups.forEach((g, i) => {
    if (codes.has(g.code)) issues.push({ path: ['working_groups', i, 'code'], message: `duplicate code "${g.code}"` });
    codes.add(g.code);
    missing(people, g.facilitator_id, ['working_groups', i, 'facilitator_id'], 'participant');
    missing(people, g.rapporteur_id, ['working_groups', i, 'rapporteur_id'], 'participant');
    g.member_ids.forEach((id, j) => {
      missing(people, id, ['working_groups', i, 'member_ids', j], 'participant');
      const other = memberOf.get(id);
      if (other !== undefined) {
        issues.push({
          path: ['working_groups', i, 'member_ids', j],
          message: `participant "${id}" is already a member of working group "${other}"`,
        });
      }
      memberOf.set(id, g.id);
    });
  });
  const references = new Set<string>();
  d.recommendations.forEach((r, i) => {
    if (references.has(r.reference)) {
      issues.push({ path: ['recommendations', i, 'reference'], message: `duplicate reference "${r.reference}"` });
    }
    references.add(r.reference);
    missing(groups, r.working_group_id, ['recommendations', i, 'working_group_id'], 'working group');
    missing(orgs, r.owner_organisation_id, ['recommendations', i, 'owner_organisation_id'], 'organisation');
    r.supporter_ids.forEach((id, j) => {
      missing(orgs, id, ['recommendations', i, 'supporter_ids', j], 'organisation');
    });
    missing(recs, r.parent_id, ['recommendations', i, 'parent_id'], 'recommendation');
  });
  const parentOf = new Map(d.recommendations.map((r) => [r.id, r.parent_id] as const));
  d.recommendations.forEach((r, i) => {
    const visited = new Set<string>([r.id]);
    let next = r.parent_id;
    while (next !== undefined) {
      if (visited.has(next)) {
        issues.push({ path: ['recommendations', i, 'parent_id'], message: `parent chain of "${r.id}" loops` });
        break;
      }
      visited.add(next);
      next = parentOf.get(next);
    }
  });
  d.invitations.forEach((inv, i) => {
    missing(sessions, inv.session_id, ['invitations', i, 'session_id'], 'session');
    missing(people, inv.participant_id, ['invitations', i, 'participant_id'], 'participant');
  });
  d.reminders.forEach((rem, i) => {
    missing(orgs, rem.organisation_id, ['reminders', i, 'organisation_id'], 'organisation');
  });
  return issues;
}

const DialogueObjectSchema = z.object({
  id: IdSchema,
  title: NameSchema,
  /** IANA zone the agenda's wall-clock times are in, e.g. `Asia/Karachi`. */
  timezone: TimeZoneSchema,
  venue: NameSchema,
  organiser: OrganiserSchema,
  languages: z.array(LanguageSchema).min(1),
  /** Incremented by the store on every save; a writer holding an older version is refused. */
  version: z.number().int().min(0),
  organisations: z.array(OrganisationSchema),
  participants: z.array(ParticipantSchema),
  sessions: z.array(SessionSchema),
  working_groups: z.array(WorkingGroupSchema),
  recommendations: z.array(RecommendationSchema),
  /** The invitation send log. */
  invitations: z.array(InvitationRecordSchema),
  /** The reminder send log. */
  reminders: z.array(ReminderRecordSchema),
  created_at: InstantSchema,
  updated_at: InstantSchema,
});
type DialogueShape = z.infer<typeof DialogueObjectSchema>;

/** A whole dialogue as one store keeps it, with its cross-references checked. */
export const DialogueSchema = DialogueObjectSchema.superRefine((d, ctx) => {
  for (const issue of checkReferences(d)) ctx.addIssue({ code: 'custom', ...issue });
});

/** A sector. */
export type Sector = z.infer<typeof SectorSchema>;
/** A participant's role. */
export type ParticipantRole = z.infer<typeof ParticipantRoleSchema>;
/** `en` or `ur`. */
export type Language = z.infer<typeof LanguageSchema>;
/** A session's kind. */
export type SessionKind = z.infer<typeof SessionKindSchema>;
/** `scheduled` or `cancelled`. */
export type SessionStatus = z.infer<typeof SessionStatusSchema>;
/** `high`, `medium` or `low`. */
export type Priority = z.infer<typeof PrioritySchema>;
/** `pending`, `accepted` or `noted`. */
export type OwnerResponse = z.infer<typeof OwnerResponseSchema>;
/** A recommendation's status. */
export type RecommendationStatus = z.infer<typeof RecommendationStatusSchema>;
/** `public` or `internal`. */
export type Visibility = z.infer<typeof VisibilitySchema>;
/** A send-log entry's state. */
export type SendState = z.infer<typeof SendStateSchema>;
/** `REQUEST` or `CANCEL`. */
export type InvitationMethod = z.infer<typeof InvitationMethodSchema>;
/** An attendee's PARTSTAT. */
export type Partstat = z.infer<typeof PartstatSchema>;
/** The organiser's mailbox. */
export type Organiser = z.infer<typeof OrganiserSchema>;
/** An organisation. */
export type Organisation = z.infer<typeof OrganisationSchema>;
/** A participant. */
export type Participant = z.infer<typeof ParticipantSchema>;
/** A session. */
export type Session = z.infer<typeof SessionSchema>;
/** A working group. */
export type WorkingGroup = z.infer<typeof WorkingGroupSchema>;
/** A progress update. */
export type ProgressUpdate = z.infer<typeof ProgressUpdateSchema>;
/** A recommendation. */
export type Recommendation = z.infer<typeof RecommendationSchema>;
/** One entry of the invitation send log. */
export type InvitationRecord = z.infer<typeof InvitationRecordSchema>;
/** One entry of the reminder send log. */
export type ReminderRecord = z.infer<typeof ReminderRecordSchema>;
/** A whole dialogue. */
export type Dialogue = z.infer<typeof DialogueSchema>;

/**
 * The working group a participant sits in (as member, facilitator or rapporteur), if any.
 */
export function workingGroupOf(dialogue: Dialogue, participantId: string): WorkingGroup | undefined {
  return dialogue.working_groups.find(
    (g) => g.member_ids.includes(participantId) || g.facilitator_id === participantId || g.rapporteur_id === participantId,
  );
}

function groupPeople(group: WorkingGroup): Set<string> {
  const ids = new Set(group.member_ids);
  if (group.facilitator_id !== undefined) ids.add(group.facilitator_id);
  if (group.rapporteur_id !== undefined) ids.add(group.rapporteur_id);
  return ids;
}

/**
 * Who is invited to a session (DESIGN.md, "who attends what"): the session's `invitees` when it lists
 * them; otherwise everyone for plenary, speech, panel and report_back sessions; for a breakout, the
 * members (with facilitator and rapporteur) of its working group, or of every working group when the
 * breakout names none. Participants come back in the dialogue's order. A cancelled session still has
 * attendees: they are the people its cancellation goes to.
 *
 * @example
 * for (const person of attendeesOf(dialogue, session)) console.log(person.id);
 */
export function attendeesOf(dialogue: Dialogue, session: Session): Participant[] {
  if (session.invitees !== undefined) {
    const invited = new Set(session.invitees);
    return dialogue.participants.filter((p) => invited.has(p.id));
  }
  if (session.kind !== 'breakout') return [...dialogue.participants];
  const groups =
    session.working_group_id === undefined
      ? dialogue.working_groups
      : dialogue.working_groups.filter((g) => g.id === session.working_group_id);
  const ids = new Set<string>();
  for (const g of groups) for (const id of groupPeople(g)) ids.add(id);
  return dialogue.participants.filter((p) => ids.has(p.id));
}
