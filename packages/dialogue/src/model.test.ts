import { describe, expect, it } from 'vitest';
import { attendeesOf, DialogueSchema, isLocalDateTime, type Dialogue, type Session } from './model.js';

function dialogue(): Dialogue {
  return {
    id: 'nd',
    title: 'National Dialogue',
    timezone: 'Asia/Karachi',
    venue: 'Islamabad',
    organiser: { name: 'Organiser', email: 'organiser@example.org' },
    languages: ['en', 'ur'],
    version: 0,
    organisations: [{ id: 'o1', name: 'Org', sector: 'media', contact_email: 'o1@example.org' }],
    participants: ['a', 'b', 'c'].map((id) => ({
      id,
      name: id.toUpperCase(),
      email: `${id}@example.org`,
      organisation_id: 'o1',
      role: 'delegate' as const,
      language: 'en' as const,
    })),
    sessions: [],
    working_groups: [
      { id: 'g1', code: 'WG1', theme: 'T1', sectors: [], member_ids: ['a'], facilitator_id: 'b' },
      { id: 'g2', code: 'WG2', theme: 'T2', sectors: [], member_ids: ['c'] },
    ],
    recommendations: [],
    invitations: [],
    reminders: [],
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
  };
}

function session(extra: Partial<Session>): Session {
  return {
    id: 's1',
    kind: 'plenary',
    title: 'Opening',
    start: '2026-03-12T09:00',
    end: '2026-03-12T10:00',
    sequence: 0,
    status: 'scheduled',
    uid: 's1@nd',
    ...extra,
  };
}

describe('model', () => {
  it('accepts a valid dialogue and rejects an unknown time zone with its path', () => {
    expect(DialogueSchema.safeParse(dialogue()).success).toBe(true);
    const bad = DialogueSchema.safeParse({ ...dialogue(), timezone: 'Mars/Olympus' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['timezone']);
  });

  it('names dangling references by path', () => {
    const d = dialogue();
    d.participants[1] = { ...d.participants[1]!, organisation_id: 'nope' };
    const r = DialogueSchema.safeParse(d);
    expect(r.error?.issues.map((i) => i.path)).toEqual([['participants', 1, 'organisation_id']]);
  });

  it('checks local wall times', () => {
    expect(isLocalDateTime('2026-02-29T10:00')).toBe(false);
    expect(isLocalDateTime('2028-02-29T23:59')).toBe(true);
    expect(isLocalDateTime('2026-03-12T24:00')).toBe(false);
  });

  it('invites everyone to plenaries, a group to its breakout, the listed invitees when given', () => {
    const d = dialogue();
    expect(attendeesOf(d, session({})).map((p) => p.id)).toEqual(['a', 'b', 'c']);
    expect(attendeesOf(d, session({ kind: 'breakout', working_group_id: 'g1' })).map((p) => p.id)).toEqual(['a', 'b']);
    expect(attendeesOf(d, session({ kind: 'breakout' })).map((p) => p.id)).toEqual(['a', 'b', 'c']);
    expect(attendeesOf(d, session({ kind: 'speech', invitees: ['c'] })).map((p) => p.id)).toEqual(['c']);
  });
});
