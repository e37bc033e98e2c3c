/**
 * The months after the dialogue. EVERYTHING HERE IS INVENTED for the example: who owns each
 * recommendation, the owners' responses, the due dates, the reporting intervals and every progress
 * update. The article reports the recommendations; it says nothing of what became of them.
 */
import {
  addRecommendation,
  adoptRecommendation,
  assignRecommendation,
  recordProgress,
  respondToRecommendation,
  verifyRecommendation,
  type DateCheckOptions,
  type Dialogue,
  type ProgressInput,
  type OwnerResponse,
} from '@tahaffuz/dialogue';

const INVENTED = '(Invented for the example.)';

/** Owner, response and reporting interval per recommendation: invented. */
const OWNERS: Record<string, { owner: string; response: OwnerResponse; interval: number; due?: string }> = {
  'ND-WG1-R01': { owner: 'npb', response: 'accepted', interval: 90 },
  'ND-WG1-R02': { owner: 'fia', response: 'accepted', interval: 60, due: '2026-12-31' },
  'ND-WG1-R03': { owner: 'fia', response: 'accepted', interval: 90 },
  'ND-WG2-R01': { owner: 'ncrc', response: 'accepted', interval: 90 },
  'ND-WG2-R02': { owner: 'media', response: 'accepted', interval: 60 },
  'ND-WG2-R03': { owner: 'pcpb', response: 'accepted', interval: 90 },
  'ND-WG3-R01': { owner: 'legislators', response: 'noted', interval: 120 },
  'ND-WG3-R02': { owner: 'legislators', response: 'noted', interval: 120 },
  'ND-WG3-R03': { owner: 'ncrc', response: 'accepted', interval: 90 },
  'ND-WG4-R01': { owner: 'ssdo', response: 'accepted', interval: 60 },
  'ND-WG4-R02': { owner: 'ssdo', response: 'accepted', interval: 90 },
  'ND-WG4-R03': { owner: 'mopass', response: 'accepted', interval: 90 },
  'ND-WG4-R04': { owner: 'mopass', response: 'noted', interval: 90 },
};

/** Progress updates, in date order: invented. */
const UPDATES: [string, Omit<ProgressInput, 'narrative'> & { narrative: string }][] = [
  [
    'ND-WG1-R01',
    { date: '2026-04-15', status: 'not_started', narrative: 'Reporting template under discussion.', author: 'National Police Bureau' },
  ],
  [
    'ND-WG1-R01',
    {
      date: '2026-07-10',
      status: 'in_progress',
      progress: 30,
      narrative: 'Quarterly case statistics format agreed with provinces.',
      author: 'National Police Bureau',
    },
  ],
  ['ND-WG1-R02', { date: '2026-04-20', status: 'not_started', narrative: 'Budget request prepared.', author: 'FIA' }],
  [
    'ND-WG1-R02',
    {
      date: '2026-06-15',
      status: 'in_progress',
      progress: 40,
      narrative: 'Two additional cybercrime investigators trained.',
      author: 'FIA',
      evidence_url: 'https://example.org/evidence/fia-training',
    },
  ],
  ['ND-WG1-R02', { date: '2026-08-30', status: 'stalled', narrative: 'Equipment procurement delayed.', author: 'FIA', public: false }],
  ['ND-WG1-R03', { date: '2026-04-25', status: 'not_started', narrative: 'Mapping method to be agreed.', author: 'FIA' }],
  ['ND-WG2-R01', { date: '2026-05-05', status: 'not_started', narrative: 'Curriculum bodies contacted.', author: 'NCRC' }],
  [
    'ND-WG2-R01',
    { date: '2026-08-01', status: 'in_progress', progress: 25, narrative: 'Draft awareness module shared for review.', author: 'NCRC' },
  ],
  ['ND-WG2-R02', { date: '2026-05-10', status: 'not_started', narrative: 'Scripts commissioned.', author: 'Media representatives' }],
  [
    'ND-WG2-R02',
    { date: '2026-07-20', status: 'in_progress', progress: 50, narrative: 'First two TV spots produced.', author: 'Media representatives' },
  ],
  ['ND-WG2-R02', { date: '2026-09-20', progress: 70, narrative: 'Spots aired nationally in September.', author: 'Media representatives' }],
  [
    'ND-WG3-R03',
    { date: '2026-05-01', status: 'not_started', narrative: 'Legal review of age definitions across laws started.', author: 'NCRC' },
  ],
  ['ND-WG4-R01', { date: '2026-04-10', status: 'not_started', narrative: 'Advocacy plan drafted.', author: 'SSDO' }],
  [
    'ND-WG4-R01',
    { date: '2026-05-20', status: 'in_progress', progress: 60, narrative: 'Campaign launched in four cities.', author: 'SSDO' },
  ],
  [
    'ND-WG4-R01',
    {
      date: '2026-07-30',
      status: 'completed',
      narrative: 'Campaign completed; report published.',
      author: 'SSDO',
      evidence_url: 'https://example.org/evidence/ssdo-campaign',
    },
  ],
  [
    'ND-WG4-R02',
    { date: '2026-06-01', status: 'not_started', narrative: 'Child participation guidelines in preparation.', author: 'SSDO' },
  ],
  [
    'ND-WG4-R03',
    {
      date: '2026-06-10',
      status: 'not_started',
      narrative: 'Coordination item proposed for an inter-provincial meeting.',
      author: 'Ministry of Poverty Alleviation and Social Safety',
    },
  ],
];

/**
 * Adopts the recommendations at the dialogue, assigns owners, adds two per-province parts under the
 * rehabilitation recommendation (to show the roll-up) and records the months of progress above.
 * `clock.today` is the day the follow-up is recorded up to: no update may be dated after it.
 */
export function followUp(dialogue: Dialogue, clock: DateCheckOptions): Dialogue {
  let d = dialogue;
  for (const r of d.recommendations) d = adoptRecommendation(d, r.reference, { date: '2026-03-12' }, clock);
  for (const [ref, o] of Object.entries(OWNERS)) {
    d = respondToRecommendation(d, ref, o.response);
    d = assignRecommendation(d, ref, {
      owner_organisation_id: o.owner,
      reporting_interval_days: o.interval,
      ...(o.due === undefined ? {} : { due_date: o.due }),
    });
  }
  // Parts of ND-WG2-R03 per province: invented, to show how a parent's progress rolls up.
  for (const [province, weight, progress] of [
    ['Punjab', 2, 50],
    ['Sindh', 1, 20],
  ] as const) {
    d = addRecommendation(d, {
      working_group_id: 'WG2',
      text: `${province}: a child rehabilitation institution with life-skills training ${INVENTED}`,
      parent_id: 'nd-wg2-r03',
      weight,
      owner_organisation_id: 'pcpb',
      reporting_interval_days: 90,
    });
    const ref = d.recommendations.at(-1)?.reference;
    if (ref === undefined) throw new Error(`the ${province} part of ND-WG2-R03 was not added`);
    d = adoptRecommendation(d, ref, { date: '2026-03-12' }, clock);
    d = recordProgress(
      d,
      ref,
      {
        date: '2026-05-15',
        status: 'not_started',
        narrative: `Site identified. ${INVENTED}`,
        author: 'Punjab Child Protection Bureau',
      },
      clock,
    );
    d = recordProgress(
      d,
      ref,
      {
        date: '2026-08-15',
        status: 'in_progress',
        progress,
        narrative: `Building works under way. ${INVENTED}`,
        author: 'Punjab Child Protection Bureau',
      },
      clock,
    );
  }
  for (const [ref, u] of UPDATES) d = recordProgress(d, ref, { ...u, narrative: `${u.narrative} ${INVENTED}` }, clock);
  d = verifyRecommendation(
    d,
    'ND-WG4-R01',
    { date: '2026-09-01', narrative: `Campaign report checked by the secretariat. ${INVENTED}` },
    clock,
  );
  return d;
}
