import { NotFoundError } from './errors.js';
import type { Dialogue, WorkingGroup } from './model.js';
import { compact, copy, validated } from './validate.js';

/** A working group to add; it starts with the members given, or none. */
export type NewWorkingGroup = Omit<WorkingGroup, 'member_ids'> & { member_ids?: string[] };

/** Adds a working group. Returns the changed dialogue. */
export function addWorkingGroup(dialogue: Dialogue, group: NewWorkingGroup): Dialogue {
  const next = copy(dialogue);
  next.working_groups.push(compact({ ...group, member_ids: group.member_ids ?? [] }));
  return validated(next);
}

/** Changes a working group's theme, sectors, facilitator, rapporteur or closing report. */
export function updateWorkingGroup(
  dialogue: Dialogue,
  id: string,
  changes: Partial<Pick<WorkingGroup, 'theme' | 'sectors' | 'facilitator_id' | 'rapporteur_id' | 'closing_report'>>,
): Dialogue {
  const next = copy(dialogue);
  const index = next.working_groups.findIndex((g) => g.id === id);
  const group = next.working_groups[index];
  if (group === undefined) throw new NotFoundError('working group', id);
  next.working_groups[index] = compact({ ...group, ...changes }) as WorkingGroup;
  return validated(next);
}
