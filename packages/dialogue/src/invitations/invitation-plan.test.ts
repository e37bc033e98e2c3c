import { describe, expect, test } from 'vitest';
import type { Dialogue, InvitationRecord } from '../model.js';
import { planInvitations } from './invitation-plan.js';
import { testDialogue } from './test-dialogue.js';

/** Marks every planned message as sent, as a successful run would. */
function sendAll(d: Dialogue): void {
  for (const item of planInvitations(d)) {
    const existing = d.invitations.find((r) => r.session_id === item.session.id && r.participant_id === item.participant.id);
    const record: InvitationRecord = {
      session_id: item.session.id,
      participant_id: item.participant.id,
      sequence_sent: item.sequence,
      method: item.method,
      content_hash: item.contentHash,
      state: 'sent',
      attempts: 1,
      partstat: 'NEEDS-ACTION',
    };
    if (existing === undefined) d.invitations.push(record);
    else Object.assign(existing, record);
  }
}

const brief = (d: Dialogue) => planInvitations(d).map((p) => `${p.session.id}/${p.participant.id} ${p.method} ${p.sequence} ${p.reason}`);

describe('planInvitations', () => {
  test('new, unchanged, changed, uninvited, cancelled', () => {
    const d = testDialogue();
    expect(planInvitations(d)).toHaveLength(12);
    expect(planInvitations(d).every((p) => p.reason === 'new' && p.method === 'REQUEST' && p.sequence === 0)).toBe(true);
    sendAll(d);
    expect(brief(d)).toEqual([]);

    // Editing a participant's name changes only their copies.
    d.participants[2]!.name = 'Delegate Three (Chair)';
    expect(brief(d)).toEqual(['s-open/p3 REQUEST 1 changed', 's-wg2/p3 REQUEST 1 changed', 's-report/p3 REQUEST 1 changed']);
    sendAll(d);

    // A session change the core recorded with a SEQUENCE bump goes out at that SEQUENCE.
    d.sessions[0] = { ...d.sessions[0]!, end: '2026-12-01T10:15', sequence: 5 };
    expect(brief(d)).toEqual([
      's-open/p1 REQUEST 5 changed',
      's-open/p2 REQUEST 5 changed',
      's-open/p3 REQUEST 5 changed',
      's-open/p4 REQUEST 5 changed',
    ]);
    sendAll(d);

    // Explicit invitees: the others are uninvited.
    d.sessions[3] = { ...d.sessions[3]!, invitees: ['p1'] };
    expect(brief(d)).toEqual(['s-report/p2 CANCEL 1 uninvited', 's-report/p3 CANCEL 2 uninvited', 's-report/p4 CANCEL 1 uninvited']);
    sendAll(d);
    expect(brief(d)).toEqual([]);

    // Cancelled: exactly those still holding an invitation; someone re-invited later gets a higher SEQUENCE.
    d.sessions[3] = { ...d.sessions[3]!, invitees: ['p1', 'p2'] };
    expect(brief(d)).toEqual(['s-report/p2 REQUEST 2 changed']);
    sendAll(d);
    d.sessions[3] = { ...d.sessions[3]!, status: 'cancelled', sequence: 1 };
    expect(brief(d)).toEqual(['s-report/p1 CANCEL 1 cancelled', 's-report/p2 CANCEL 3 cancelled']);
    sendAll(d);
    expect(brief(d)).toEqual([]);
  });

  test('send-log states: unknown outcome, transient failure, rejection', () => {
    const d = testDialogue();
    sendAll(d);
    const [a, b, c] = d.invitations;
    a!.state = 'sending';
    b!.state = 'failed';
    c!.state = 'rejected';
    expect(brief(d)).toEqual(['s-open/p1 REQUEST 0 unknown_outcome', 's-open/p2 REQUEST 0 retry']);
    expect(planInvitations(d, { retryRejected: true }).map((p) => p.reason)).toEqual(['unknown_outcome', 'retry', 'retry']);
    // A rejected address, once corrected, is a new version.
    d.participants[2]!.email = 'p3.fixed@example.org';
    expect(brief(d)).toContain('s-open/p3 REQUEST 1 changed');
    // Someone whose invitation never got through needs no cancellation.
    d.participants[2]!.email = 'p3@example.org';
    d.sessions[0] = { ...d.sessions[0]!, status: 'cancelled', sequence: 1 };
    // p1 may hold it (outcome unknown), p4 does; p2 (failed) and p3 (rejected) never got it.
    expect(brief(d)).toEqual(['s-open/p1 CANCEL 1 cancelled', 's-open/p4 CANCEL 1 cancelled']);
  });
});
