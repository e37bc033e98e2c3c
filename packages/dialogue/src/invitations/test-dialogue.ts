import type { Dialogue } from '../model.js';

/**
 * A small dialogue for the invitation tests and the benchmark: invented people at example.org, an
 * agenda in Asia/Karachi with a plenary, two breakouts and a report-back.
 */
export function testDialogue(overrides: Partial<Dialogue> = {}): Dialogue {
  const now = '2026-11-01T00:00:00.000Z';
  return {
    id: 'nd-test',
    title: 'National dialogue on child trafficking and bonded labour',
    timezone: 'Asia/Karachi',
    venue: 'Islamabad',
    organiser: { name: 'Dialogue secretariat', email: 'secretariat@example.org' },
    languages: ['en', 'ur'],
    version: 0,
    organisations: [
      { id: 'ssdo', name: 'SSDO', sector: 'civil_society', contact_email: 'ssdo@example.org' },
      { id: 'fia', name: 'FIA', sector: 'law_enforcement', contact_email: 'fia@example.org' },
    ],
    participants: [
      { id: 'p1', name: 'Delegate One', email: 'p1@example.org', organisation_id: 'ssdo', role: 'facilitator', language: 'en' },
      { id: 'p2', name: 'مندوب دو', email: 'p2@example.org', organisation_id: 'fia', role: 'delegate', language: 'ur' },
      { id: 'p3', name: 'Delegate Three', email: 'p3@example.org', organisation_id: 'fia', role: 'rapporteur', language: 'en' },
      { id: 'p4', name: 'Delegate Four', email: 'p4@example.org', organisation_id: 'ssdo', role: 'delegate', language: 'ur' },
    ],
    sessions: [
      {
        id: 's-open',
        kind: 'plenary',
        title: 'Opening plenary',
        start: '2026-12-01T09:00',
        end: '2026-12-01T10:00',
        sequence: 0,
        status: 'scheduled',
        uid: 's-open@nd-test.tahaffuz',
      },
      {
        id: 's-wg1',
        kind: 'breakout',
        title: 'Working group 1',
        start: '2026-12-01T10:30',
        end: '2026-12-01T12:00',
        location: 'Room A',
        working_group_id: 'wg1',
        sequence: 0,
        status: 'scheduled',
        uid: 's-wg1@nd-test.tahaffuz',
      },
      {
        id: 's-wg2',
        kind: 'breakout',
        title: 'Working group 2',
        start: '2026-12-01T10:30',
        end: '2026-12-01T12:00',
        location: 'Room B',
        working_group_id: 'wg2',
        sequence: 0,
        status: 'scheduled',
        uid: 's-wg2@nd-test.tahaffuz',
      },
      {
        id: 's-report',
        kind: 'report_back',
        title: 'Report back',
        description: 'Each group presents its recommendations.',
        start: '2026-12-01T14:00',
        end: '2026-12-01T15:30',
        sequence: 0,
        status: 'scheduled',
        uid: 's-report@nd-test.tahaffuz',
      },
    ],
    working_groups: [
      { id: 'wg1', code: 'WG1', theme: 'Law enforcement agencies', sectors: ['law_enforcement'], facilitator_id: 'p1', member_ids: ['p2'] },
      {
        id: 'wg2',
        code: 'WG2',
        theme: 'Media and civil society',
        sectors: ['media', 'civil_society'],
        rapporteur_id: 'p3',
        member_ids: ['p4'],
      },
    ],
    recommendations: [],
    invitations: [],
    reminders: [],
    created_at: now,
    updated_at: now,
    ...overrides,
  };
}
