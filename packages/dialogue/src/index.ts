/**
 * `@tahaffuz/dialogue`: national dialogues against child trafficking and bonded labour — organisations,
 * participants, agenda, working groups, calendar invitations by email, recommendations and their
 * follow-up. Every function that changes a dialogue returns a new, validated one; a `DialogueStore`
 * keeps it.
 *
 * @example
 * import { JsonFileStore, createDialogue, addOrganisations } from '@tahaffuz/dialogue';
 *
 * const store = new JsonFileStore('./dialogues');
 * let dialogue = createDialogue({
 *   id: 'nd-2026', title: 'National Dialogue', timezone: 'Asia/Karachi', venue: 'Islamabad',
 *   organiser: { name: 'SSDO', email: 'dialogue@example.org' },
 * });
 * dialogue = addOrganisations(dialogue, [
 *   { id: 'fia', name: 'Federal Investigation Agency', sector: 'law_enforcement', contact_email: 'fia@example.org' },
 * ]);
 * await store.save(dialogue, 0);
 *
 * @packageDocumentation
 */

// The model
export {
  attendeesOf,
  workingGroupOf,
  isValidTimeZone,
  isLocalDate,
  isLocalDateTime,
  SECTORS,
  PARTICIPANT_ROLES,
  LANGUAGES,
  SESSION_KINDS,
  SESSION_STATUSES,
  PRIORITIES,
  OWNER_RESPONSES,
  RECOMMENDATION_STATUSES,
  VISIBILITIES,
  SEND_STATES,
  INVITATION_METHODS,
  PARTSTATS,
  SectorSchema,
  ParticipantRoleSchema,
  LanguageSchema,
  SessionKindSchema,
  SessionStatusSchema,
  PrioritySchema,
  OwnerResponseSchema,
  RecommendationStatusSchema,
  VisibilitySchema,
  SendStateSchema,
  InvitationMethodSchema,
  PartstatSchema,
  IdSchema,
  TimeZoneSchema,
  LocalDateTimeSchema,
  LocalDateSchema,
  InstantSchema,
  EvidenceUrlSchema,
  ThemeSchema,
  OrganiserSchema,
  OrganisationSchema,
  ParticipantSchema,
  SessionSchema,
  WorkingGroupSchema,
  ProgressUpdateSchema,
  RecommendationSchema,
  InvitationRecordSchema,
  ReminderRecordSchema,
  DialogueSchema,
  type Sector,
  type ParticipantRole,
  type Language,
  type SessionKind,
  type SessionStatus,
  type Priority,
  type OwnerResponse,
  type RecommendationStatus,
  type Visibility,
  type SendState,
  type InvitationMethod,
  type Partstat,
  type Organiser,
  type Organisation,
  type Participant,
  type Session,
  type WorkingGroup,
  type ProgressUpdate,
  type Recommendation,
  type InvitationRecord,
  type ReminderRecord,
  type Dialogue,
} from './model.js';

// Errors
export {
  DialogueError,
  isDialogueError,
  DialogueValidationError,
  StaleWriteError,
  NotFoundError,
  CsvImportError,
  IllegalTransitionError,
  DateRuleError,
  type DateRule,
  type Problem,
  type CsvProblem,
} from './errors.js';

// Storage
export {
  JsonFileStore,
  MemoryDialogueStore,
  parseStoredDialogue,
  type DialogueStore,
  type JsonFileStoreOptions,
} from './store.js';
export { updateDialogue, type UpdateOptions } from './update-dialogue.js';

// Organising
export { createDialogue, type NewDialogue } from './create-dialogue.js';
export { addOrganisations, upsertOrganisations, addParticipants, upsertParticipants } from './roster.js';
export {
  addSession,
  updateSession,
  rescheduleSession,
  cancelSession,
  type NewSession,
  type SessionChanges,
} from './sessions.js';
export { addWorkingGroup, updateWorkingGroup, type NewWorkingGroup } from './working-groups.js';
export {
  assignToGroup,
  unassign,
  assignBySector,
  assignBalanced,
  type AssignmentResult,
  type AutoAssignOptions,
  type BalancedAssignOptions,
} from './assignment.js';

// CSV
export { parseCsv, stringifyCsv, guardFormula, unguardFormula, CSV_BOM, type CsvParseResult } from './csv.js';
export {
  CSV_ENCODINGS,
  SAVE_AS_CSV_UTF8,
  decodeCsv,
  questionMarkCells,
  type CsvEncoding,
  type DecodeCsvOptions,
  type DecodedCsv,
} from './csv-encoding.js';
export {
  ORGANISATION_COLUMNS,
  PARTICIPANT_COLUMNS,
  RECOMMENDATION_COLUMNS,
  exportOrganisationsCsv,
  importOrganisationsCsv,
  exportParticipantsCsv,
  importParticipantsCsv,
  exportRecommendationsCsv,
  importRecommendationsCsv,
  mergeRecommendationsCsv,
  type RecommendationsCsvOptions,
  type RecommendationsImportOptions,
  type RecommendationsImport,
  type RecommendationImportRow,
  type RecommendationImportChange,
} from './csv-tables.js';

// Recommendations and their follow-up
export {
  RECOMMENDATION_TRANSITIONS,
  FINAL_STATUSES,
  TRACKED_STATUSES,
  allowedNextStatuses,
  canTransition,
  assertTransition,
} from './recommendation-status.js';
export {
  addRecommendation,
  nextReference,
  findRecommendation,
  adoptRecommendation,
  respondToRecommendation,
  assignRecommendation,
  recordProgress,
  verifyRecommendation,
  rolledUpProgress,
  revisionOf,
  type NewRecommendation,
  type AddRecommendationOptions,
  type ProgressInput,
} from './recommendations.js';
export {
  nextReportingDate,
  trackingOf,
  trackingIn,
  dueRecommendations,
  overdueRecommendations,
  type Tracking,
  type TrackingState,
  type TrackingOptions,
} from './tracking.js';
export { addDays, daysBetween, todayIn } from './dates.js';
export { COUNTING_RULES, isInForce, isLeaf, countedRecommendations, partsByParent, rolledUpAmong } from './counting-rules.js';
export { DATE_RULES, todayOf, type DateCheckOptions } from './date-rules.js';
export {
  planReminders,
  reminderContentHash,
  reminderPeriod,
  reminderItemKey,
  type PlannedReminder,
  type ReminderItem,
  type ReminderPlanOptions,
  type ReminderReason,
} from './reminder-plan.js';
export { buildReminderEmail, type ReminderEmail } from './reminder-email.js';
export {
  sendReminders,
  type SendRemindersOptions,
  type ReminderProblem,
  type ReminderSummary,
} from './send-reminders.js';

// Reports and exports
export {
  buildFollowUpReport,
  type FollowUpReport,
  type OverduePoint,
  type ReportItem,
  type ReportOptions,
  type StatusRow,
} from './report.js';
export { renderReportMarkdown, escapeMarkdown } from './report-markdown.js';
export { renderReportHtml, escapeHtml } from './report-html.js';
export { exportDialogueJson } from './export-json.js';
export { publicView, asOf } from './public-view.js';

// Invitations: calendar invites by email, the send log, RSVP replies, attendance
export {
  attendanceList,
  cleanLine,
  cleanParamText,
  cleanText,
  isPlainMailbox,
  invitationContentHash,
  planInvitations,
  buildInviteCalendar,
  buildInviteEmail,
  INVITE_STRINGS,
  createProgressBar,
  applyRsvp,
  type ApplyRsvpOptions,
  parseRsvpCalendar,
  readRsvpReplies,
  sendInvitations,
  saveToStore,
  sessionTimes,
  classifySmtpFailure,
  writeInvitationsToDir,
  type AttendanceRow,
  type PlanOptions,
  type PlanReason,
  type PlannedInvitation,
  type InviteCalendarOptions,
  type InviteEmail,
  type InviteEmailOptions,
  type InviteStrings,
  type ProgressBar,
  type ProgressStream,
  type RsvpApplyResult,
  type RsvpReadResult,
  type RsvpReply,
  type RsvpSkipped,
  type InvitationProblem,
  type PossiblyDuplicated,
  type SaveDialogue,
  type SendInvitationsOptions,
  type SendProgress,
  type SendSummary,
  type VersionedStore,
  type SessionTimes,
  type FailureKind,
  type SmtpFailure,
  type WriteInvitationsOptions,
  type WrittenInvitation,
} from './invitations/index.js';
