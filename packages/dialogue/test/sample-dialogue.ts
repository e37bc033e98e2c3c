import { addSession } from '../src/sessions.js';
import { addWorkingGroup } from '../src/working-groups.js';
import { addOrganisations, addParticipants } from '../src/roster.js';
import { createDialogue } from '../src/create-dialogue.js';
import type { Dialogue, Sector } from '../src/model.js';

/** A small dialogue for unit tests: four organisations in four sectors, eight people, two groups. */
export function sampleDialogue(): Dialogue {
  let d = createDialogue(
    {
      id: 'test-dialogue',
      title: 'Test dialogue',
      timezone: 'Asia/Karachi',
      venue: 'Hall A',
      organiser: { name: 'Organiser', email: 'organiser@example.org' },
      languages: ['en', 'ur'],
    },
    new Date('2026-01-01T00:00:00Z'),
  );
  const sectors: Sector[] = ['law_enforcement', 'child_rights_institution', 'legislature', 'civil_society'];
  d = addOrganisations(
    d,
    sectors.map((sector, i) => ({ id: `org${i + 1}`, name: `Org ${i + 1}`, sector, contact_email: `org${i + 1}@example.org` })),
  );
  d = addParticipants(
    d,
    Array.from({ length: 8 }, (_, i) => ({
      id: `p${i + 1}`,
      name: `Person ${i + 1}`,
      email: `p${i + 1}@example.org`,
      organisation_id: `org${(i % 4) + 1}`,
      role: 'delegate' as const,
      language: i % 2 === 0 ? ('en' as const) : ('ur' as const),
    })),
  );
  d = addWorkingGroup(d, { id: 'wg1', code: 'WG1', theme: 'Enforcement', sectors: ['law_enforcement'] });
  d = addWorkingGroup(d, { id: 'wg2', code: 'WG2', theme: 'Child rights', sectors: ['child_rights_institution'] });
  d = addSession(d, {
    id: 'opening',
    kind: 'plenary',
    title: 'Opening',
    start: '2026-03-12T09:00',
    end: '2026-03-12T10:00',
    uid: 'opening@test',
  });
  return d;
}
