import { DialogueError, NotFoundError } from './errors.js';
import { workingGroupOf, type Dialogue, type Participant, type ParticipantRole, type Sector } from './model.js';
import { copy, validated } from './validate.js';

/** What an automatic assignment did. */
export interface AssignmentResult {
  dialogue: Dialogue;
  /** Participant id -> working group id, for the people this call placed. */
  assigned: Record<string, string>;
  /** Participants it could not place (no group draws from their sector), by id. */
  unassigned: string[];
}

/**
 * Puts participants in a working group, taking them out of any other one (explicit assignment).
 * Returns the changed dialogue.
 */
export function assignToGroup(dialogue: Dialogue, groupId: string, participantIds: readonly string[]): Dialogue {
  const next = copy(dialogue);
  const group = next.working_groups.find((g) => g.id === groupId);
  if (group === undefined) throw new NotFoundError('working group', groupId);
  for (const id of participantIds) {
    if (!next.participants.some((p) => p.id === id)) throw new NotFoundError('participant', id);
  }
  const moving = new Set(participantIds);
  for (const g of next.working_groups) g.member_ids = g.member_ids.filter((id) => !moving.has(id));
  for (const id of participantIds) if (!group.member_ids.includes(id)) group.member_ids.push(id);
  return validated(next);
}

/** Takes participants out of whatever working group they are in. */
export function unassign(dialogue: Dialogue, participantIds: readonly string[]): Dialogue {
  const next = copy(dialogue);
  const leaving = new Set(participantIds);
  for (const g of next.working_groups) g.member_ids = g.member_ids.filter((id) => !leaving.has(id));
  return validated(next);
}

/** Options shared by the automatic assignments. */
export interface AutoAssignOptions {
  /**
   * Only participants with these roles are placed.
   * @default all roles
   */
  roles?: readonly ParticipantRole[];
}

function candidates(dialogue: Dialogue, options: AutoAssignOptions): Participant[] {
  const roles = options.roles === undefined ? undefined : new Set(options.roles);
  return dialogue.participants.filter((p) => (roles === undefined || roles.has(p.role)) && workingGroupOf(dialogue, p.id) === undefined);
}

function sectorOf(dialogue: Dialogue, participant: Participant): Sector {
  const org = dialogue.organisations.find((o) => o.id === participant.organisation_id);
  if (org === undefined) throw new NotFoundError('organisation', participant.organisation_id);
  return org.sector;
}

function sizeOf(dialogue: Dialogue, groupId: string): number {
  return dialogue.participants.filter((p) => workingGroupOf(dialogue, p.id)?.id === groupId).length;
}

/**
 * Places each participant not yet in a group in a group that draws from their organisation's sector,
 * as the founding dialogue did (law enforcement with law enforcement, and so on). When several groups
 * draw from a sector, the smallest gets the person. People already in a group stay where they are.
 */
export function assignBySector(dialogue: Dialogue, options: AutoAssignOptions = {}): AssignmentResult {
  const next = copy(dialogue);
  const assigned: Record<string, string> = {};
  const unassigned: string[] = [];
  const sizes = new Map(next.working_groups.map((g) => [g.id, sizeOf(next, g.id)] as const));
  for (const p of candidates(next, options)) {
    const sector = sectorOf(next, p);
    const groups = next.working_groups.filter((g) => g.sectors.includes(sector));
    let best = groups[0];
    for (const g of groups) if ((sizes.get(g.id) ?? 0) < (sizes.get(best?.id ?? '') ?? 0)) best = g;
    if (best === undefined) {
      unassigned.push(p.id);
      continue;
    }
    best.member_ids.push(p.id);
    sizes.set(best.id, (sizes.get(best.id) ?? 0) + 1);
    assigned[p.id] = best.id;
  }
  return { dialogue: validated(next), assigned, unassigned };
}

/** Options of {@link assignBalanced}. */
export interface BalancedAssignOptions extends AutoAssignOptions {
  /**
   * Largest size of a group (people already in it count), one number for all or per group id.
   * @default the even share: ceil(people to place and already placed / number of groups)
   */
  maxSize?: number | Record<string, number>;
}

/**
 * Spreads the participants not yet in a group over all working groups so that each group gets a mix
 * of sectors: sectors are placed largest first, each person going to the group with the fewest people
 * of their sector, then the fewest people, among the groups with room. People already in a group
 * (fixed assignments) stay, and count towards sizes and sector mix. Throws when the groups have no
 * room for everyone, and changes nothing then.
 *
 * @example
 * const { dialogue: assigned } = assignBalanced(dialogue, { maxSize: 8, roles: ['delegate', 'rapporteur'] });
 */
export function assignBalanced(dialogue: Dialogue, options: BalancedAssignOptions = {}): AssignmentResult {
  const next = copy(dialogue);
  const groups = next.working_groups;
  if (groups.length === 0) throw new DialogueError('there are no working groups to assign to', { code: 'NO_GROUPS' });
  const people = candidates(next, options);
  const size = new Map(groups.map((g) => [g.id, sizeOf(next, g.id)] as const));
  const alreadyPlaced = [...size.values()].reduce((a, b) => a + b, 0);
  const even = Math.ceil((alreadyPlaced + people.length) / groups.length);
  const cap = (id: string): number => {
    const m = options.maxSize;
    if (m === undefined) return even;
    if (typeof m === 'number') return m;
    return m[id] ?? even;
  };
  const room = groups.reduce((sum, g) => sum + Math.max(0, cap(g.id) - (size.get(g.id) ?? 0)), 0);
  if (room < people.length) {
    throw new DialogueError(
      `the working groups have room for ${room} more people but ${people.length} need a place; raise the group sizes or add a group`,
      { code: 'GROUPS_FULL' },
    );
  }
  const mix = new Map(groups.map((g) => [g.id, new Map<Sector, number>()] as const));
  for (const p of next.participants) {
    const g = workingGroupOf(next, p.id);
    if (g === undefined) continue;
    const counts = mix.get(g.id);
    const sector = sectorOf(next, p);
    counts?.set(sector, (counts.get(sector) ?? 0) + 1);
  }
  const bySector = new Map<Sector, Participant[]>();
  for (const p of people) {
    const s = sectorOf(next, p);
    bySector.set(s, [...(bySector.get(s) ?? []), p]);
  }
  const order = [...bySector.entries()].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
  const assigned: Record<string, string> = {};
  for (const [sector, members] of order) {
    for (const p of members) {
      let best: (typeof groups)[number] | undefined;
      let bestKey: [number, number] = [Infinity, Infinity];
      for (const g of groups) {
        const n = size.get(g.id) ?? 0;
        if (n >= cap(g.id)) continue;
        const key: [number, number] = [mix.get(g.id)?.get(sector) ?? 0, n];
        if (key[0] < bestKey[0] || (key[0] === bestKey[0] && key[1] < bestKey[1])) {
          best = g;
          bestKey = key;
        }
      }
      // Room was counted above, so a group with room exists for every person.
      if (best === undefined) throw new DialogueError('no working group has room left', { code: 'GROUPS_FULL' });
      best.member_ids.push(p.id);
      size.set(best.id, (size.get(best.id) ?? 0) + 1);
      const counts = mix.get(best.id);
      counts?.set(sector, (counts.get(sector) ?? 0) + 1);
      assigned[p.id] = best.id;
    }
  }
  return { dialogue: validated(next), assigned, unassigned: [] };
}
