/**
 * The founding dialogue of Tahaffuz: the "National Dialogue on Child Trafficking in Persons and Bonded
 * Labour" organised in Islamabad by the Sustainable Social Development Organization (SSDO) with the US
 * State Department (see ../../shared/000_f41f665e6dedb69b.txt in the project notes, and README.md).
 *
 * From the article: the organisations, the speakers' roles, the four working groups and their
 * recommendations. INVENTED for the example, and marked so in the data: the date and agenda times,
 * the delegates' roles below the speakers, the illustrative legislature/media/academia delegations,
 * every email address (all at example.org), the owners, due dates and all follow-up progress.
 */
import { readFile } from 'node:fs/promises';
import {
  addRecommendation,
  addSession,
  addWorkingGroup,
  assignBySector,
  createDialogue,
  importOrganisationsCsv,
  importParticipantsCsv,
  updateWorkingGroup,
  type Dialogue,
  type NewSession,
} from '@tahaffuz/dialogue';

const data = (name: string) => new URL(`../data/${name}`, import.meta.url);

/** The agenda. The article gives no times: these are INVENTED, on an invented Thursday. */
const DAY = '2026-03-12';
const at = (hhmm: string) => `${DAY}T${hhmm}`;
const INVENTED = 'Agenda time invented for the example; the article gives none.';

const AGENDA: NewSession[] = [
  {
    id: 'opening',
    kind: 'plenary',
    title: 'Opening and welcome',
    start: at('09:00'),
    end: at('09:30'),
    location: 'Main hall',
    speaker_ids: ['ssdo-ed'],
    description: INVENTED,
  },
  {
    id: 'speech-pcpb',
    kind: 'speech',
    title: 'Address by the Chairperson, Punjab Child Protection Bureau',
    start: at('09:30'),
    end: at('09:45'),
    location: 'Main hall',
    speaker_ids: ['pcpb-chair'],
    description: INVENTED,
  },
  {
    id: 'speech-ncrc',
    kind: 'speech',
    title: 'Address by the Chairperson, National Commission on the Rights of the Child',
    start: at('09:45'),
    end: at('10:00'),
    location: 'Main hall',
    speaker_ids: ['ncrc-chair'],
    description: INVENTED,
  },
  {
    id: 'speech-fia',
    kind: 'speech',
    title: 'Address by the Additional Director General, FIA',
    start: at('10:00'),
    end: at('10:15'),
    location: 'Main hall',
    speaker_ids: ['fia-adg'],
    description: INVENTED,
  },
  {
    id: 'speech-npb',
    kind: 'speech',
    title: 'Address by the Director-General, National Police Bureau',
    start: at('10:15'),
    end: at('10:30'),
    location: 'Main hall',
    speaker_ids: ['npb-dg'],
    description: INVENTED,
  },
  {
    id: 'speech-us',
    kind: 'speech',
    title: 'Remarks by the Counsellor of Cultural Affairs, US Department of State',
    start: at('10:30'),
    end: at('10:45'),
    location: 'Main hall',
    speaker_ids: ['us-counsellor'],
    description: INVENTED,
  },
  {
    id: 'speech-minister',
    kind: 'speech',
    title: 'Address by the Minister of Poverty Alleviation and Social Safety: funding and awareness at district level',
    start: at('10:45'),
    end: at('11:05'),
    location: 'Main hall',
    speaker_ids: ['mopass-minister'],
    description: INVENTED,
  },
  {
    id: 'panel-referral',
    kind: 'panel',
    title: 'Partnerships and a National Referral System for victim protection and rehabilitation',
    start: at('11:15'),
    end: at('12:00'),
    location: 'Main hall',
    speaker_ids: ['ssdo-ed', 'inl-director', 'inl-advisor'],
    description: INVENTED,
  },
  {
    id: 'breakout-wg1',
    kind: 'breakout',
    title: 'Working group 1: law enforcement agencies',
    start: at('12:00'),
    end: at('13:15'),
    location: 'Room 1',
    working_group_id: 'wg1',
    description: INVENTED,
  },
  {
    id: 'breakout-wg2',
    kind: 'breakout',
    title: 'Working group 2: child rights institutions',
    start: at('12:00'),
    end: at('13:15'),
    location: 'Room 2',
    working_group_id: 'wg2',
    description: INVENTED,
  },
  {
    id: 'breakout-wg3',
    kind: 'breakout',
    title: 'Working group 3: legislators and policymakers',
    start: at('12:00'),
    end: at('13:15'),
    location: 'Room 3',
    working_group_id: 'wg3',
    description: INVENTED,
  },
  {
    id: 'breakout-wg4',
    kind: 'breakout',
    title: 'Working group 4: media and civil society',
    start: at('12:00'),
    end: at('13:15'),
    location: 'Room 4',
    working_group_id: 'wg4',
    description: INVENTED,
  },
  {
    id: 'report-back',
    kind: 'report_back',
    title: 'The four working groups present their recommendations',
    start: at('14:15'),
    end: at('15:15'),
    location: 'Main hall',
    description: INVENTED,
  },
  {
    id: 'closing',
    kind: 'plenary',
    title: 'Closing',
    start: at('15:15'),
    end: at('15:30'),
    location: 'Main hall',
    speaker_ids: ['ssdo-ed'],
    description: INVENTED,
  },
];

/** The four working groups of the article, with the sectors each drew from. */
const GROUPS = [
  { id: 'wg1', code: 'WG1', theme: 'Law enforcement agencies', sectors: ['law_enforcement'], facilitator_id: 'ssdo-fac-1' },
  { id: 'wg2', code: 'WG2', theme: 'Child rights institutions', sectors: ['child_rights_institution'], facilitator_id: 'ssdo-fac-2' },
  { id: 'wg3', code: 'WG3', theme: 'Legislators and policymakers', sectors: ['legislature', 'government'] },
  { id: 'wg4', code: 'WG4', theme: 'Media and civil society', sectors: ['media', 'civil_society', 'academia'] },
] as const;

/** The rapporteurs (roles invented; the article names none). */
const RAPPORTEURS = { wg1: 'npb-research', wg2: 'ncrc-member', wg3: 'legislator-2', wg4: 'ssdo-advocacy' } as const;

/** The recommendations the four groups presented, as the article lists them. */
export const RECOMMENDATIONS: { group: 'WG1' | 'WG2' | 'WG3' | 'WG4'; text: string; themes: string[] }[] = [
  { group: 'WG1', text: 'Transparent reporting on child trafficking cases by law enforcement agencies.', themes: ['transparency', 'data'] },
  { group: 'WG1', text: 'Strengthen cybercrime resources against online child trafficking.', themes: ['cybercrime'] },
  { group: 'WG1', text: 'Identify trafficking hotspots.', themes: ['hotspots', 'data'] },
  { group: 'WG2', text: 'Add awareness messaging on child trafficking to school curricula.', themes: ['awareness', 'education'] },
  { group: 'WG2', text: 'Disseminate awareness messaging through TV videos.', themes: ['awareness', 'media'] },
  {
    group: 'WG2',
    text: 'Create child rehabilitation institutions with life-skills training in all provinces.',
    themes: ['rehabilitation'],
  },
  { group: 'WG3', text: 'Increase the punishment for perpetrators of child trafficking and bonded labour.', themes: ['legislation'] },
  { group: 'WG3', text: 'Establish separate child protection courts in all provinces.', themes: ['justice'] },
  { group: 'WG3', text: 'Agree on a definitive age of a child, to improve coordination.', themes: ['legislation', 'coordination'] },
  { group: 'WG4', text: 'Advocacy against child trafficking and bonded labour.', themes: ['advocacy'] },
  { group: 'WG4', text: 'Include children in dialogues.', themes: ['participation'] },
  {
    group: 'WG4',
    text: 'Better coordination among departments, such as through the Council of Common Interests.',
    themes: ['coordination'],
  },
  { group: 'WG4', text: 'Monitor madrassas to strengthen child protection.', themes: ['monitoring'] },
];

/**
 * Builds the founding dialogue: organisations and participants from the CSV files in `data/` (as an
 * NGO's staff would keep them), the agenda, the four working groups (filled by the sectors each drew
 * from, as the dialogue did) and the thirteen recommendations, in draft.
 */
export async function buildFoundingDialogue(now = new Date('2026-02-20T09:00:00Z')): Promise<{
  dialogue: Dialogue;
  unassigned: string[];
}> {
  let d = createDialogue(
    {
      id: 'nd-child-trafficking',
      title: 'National Dialogue on Child Trafficking in Persons and Bonded Labour',
      timezone: 'Asia/Karachi',
      venue: 'Islamabad',
      organiser: { name: 'SSDO (dialogue secretariat)', email: 'dialogue@example.org' },
      languages: ['en', 'ur'],
    },
    now,
  );
  d = importOrganisationsCsv(d, await readFile(data('organisations.csv'), 'utf8'));
  d = importParticipantsCsv(d, await readFile(data('participants.csv'), 'utf8'));
  for (const g of GROUPS) d = addWorkingGroup(d, { ...g, sectors: [...g.sectors] });
  const assignment = assignBySector(d, { roles: ['speaker', 'delegate', 'rapporteur'] });
  d = assignment.dialogue;
  for (const [group, rapporteur] of Object.entries(RAPPORTEURS)) d = updateWorkingGroup(d, group, { rapporteur_id: rapporteur });
  for (const s of AGENDA) d = addSession(d, { ...s, uid: `${s.id}.nd-child-trafficking@example.org` });
  for (const r of RECOMMENDATIONS)
    d = addRecommendation(d, { working_group_id: r.group, text: r.text, themes: r.themes, priority: 'high' });
  return { dialogue: d, unassigned: assignment.unassigned };
}
