/**
 * Calendar invitations for dialogue sessions: iCalendar files that follow DESIGN.md's invitation
 * rules, the emails that carry them, the send plan and send log, RSVP replies and the attendance list.
 */
export { attendanceList, type AttendanceRow } from './attendance-list.js';
export { cleanLine, cleanParamText, cleanText, isPlainMailbox } from './ics-text.js';
export {
  invitationContentHash,
  planInvitations,
  type PlanOptions,
  type PlanReason,
  type PlannedInvitation,
} from './invitation-plan.js';
export { buildInviteCalendar, type InviteCalendarOptions } from './invite-calendar.js';
export { buildInviteEmail, type InviteEmail, type InviteEmailOptions } from './invite-email.js';
export { INVITE_STRINGS, type InviteStrings } from './invite-strings.js';
export { createProgressBar, type ProgressBar, type ProgressStream } from './progress-bar.js';
export {
  applyRsvp,
  parseRsvpCalendar,
  type ApplyRsvpOptions,
  readRsvpReplies,
  type RsvpApplyResult,
  type RsvpReadResult,
  type RsvpReply,
  type RsvpSkipped,
} from './rsvp.js';
export {
  sendInvitations,
  type InvitationProblem,
  type PossiblyDuplicated,
  saveToStore,
  type SaveDialogue,
  type SendInvitationsOptions,
  type SendProgress,
  type SendSummary,
  type VersionedStore,
} from './send-invitations.js';
export { sessionTimes, type SessionTimes } from './session-time.js';
export { classifySmtpFailure, type FailureKind, type SmtpFailure } from './smtp-failure.js';
export { writeInvitationsToDir, type WriteInvitationsOptions, type WrittenInvitation } from './write-invitations.js';
