import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { attendeesOf, type Dialogue } from '../model.js';
import { planInvitations, type PlannedInvitation } from './invitation-plan.js';
import { buildInviteEmail } from './invite-email.js';

/** Options of {@link writeInvitationsToDir}. */
export interface WriteInvitationsOptions {
  /** Write every current invitation (and cancellation of a cancelled session), not only what the send log says is due. @default false */
  readonly all?: boolean;
  /** DTSTAMP and Date header. @default new Date() */
  readonly now?: Date;
}

/** One .eml file written. */
export interface WrittenInvitation {
  readonly file: string;
  readonly session_id: string;
  readonly participant_id: string;
  readonly method: 'REQUEST' | 'CANCEL';
  readonly sequence: number;
}

function everything(dialogue: Dialogue): PlannedInvitation[] {
  const items: PlannedInvitation[] = [];
  for (const session of dialogue.sessions) {
    const method = session.status === 'cancelled' ? 'CANCEL' : 'REQUEST';
    for (const participant of attendeesOf(dialogue, session)) {
      items.push({ session, participant, method, sequence: session.sequence, contentHash: '', reason: 'new' });
    }
  }
  return items;
}

/**
 * Writes the invitation emails as .eml files (`<session>--<participant>--<method>-<sequence>.eml`,
 * CRLF line ends, exactly the bytes that would be sent) instead of sending them. The send log is
 * neither read for `all` nor changed: writing files is not sending.
 *
 * @example
 * const files = await writeInvitationsToDir(dialogue, 'out/invites', { all: true });
 */
export async function writeInvitationsToDir(
  dialogue: Dialogue,
  dir: string,
  options: WriteInvitationsOptions = {},
): Promise<WrittenInvitation[]> {
  const items = options.all === true ? everything(dialogue) : planInvitations(dialogue);
  const now = options.now ?? new Date();
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  await mkdir(dir, { recursive: true });
  const written: WrittenInvitation[] = [];
  for (const item of items) {
    const { message } = buildInviteEmail(dialogue, item.session, item.participant, {
      method: item.method,
      sequence: item.sequence,
      now,
    });
    const info = await transport.sendMail(message);
    const file = join(dir, `${item.session.id}--${item.participant.id}--${item.method.toLowerCase()}-${item.sequence}.eml`);
    await writeFile(file, info.message as Buffer);
    written.push({ file, session_id: item.session.id, participant_id: item.participant.id, method: item.method, sequence: item.sequence });
  }
  return written;
}
