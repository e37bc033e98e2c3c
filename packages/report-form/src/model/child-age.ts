import type { AgeBand } from '@tahaffuz/referral-contract';

/** The youngest age in each band; `not_sure` has none. A mixed group may include young children. */
const YOUNGEST: Readonly<Record<AgeBand, number | undefined>> = {
  under_5: 0,
  '5_to_11': 5,
  '12_to_14': 12,
  '15_to_17': 15,
  '18_plus': 18,
  mixed: 0,
  not_sure: undefined,
};

/** The age below which a person is a child, as in Pakistan's law and the UN Convention. */
export const DEFAULT_CHILD_AGE_THRESHOLD = 18;

/**
 * Whether an age band may include a person under the child-age threshold: then the form tells the
 * reporter that the report is treated as one about a child.
 */
export function mayIncludeChild(band: AgeBand | '', threshold: number = DEFAULT_CHILD_AGE_THRESHOLD): boolean {
  if (band === '') return false;
  const youngest = YOUNGEST[band];
  return youngest !== undefined && youngest < threshold;
}
