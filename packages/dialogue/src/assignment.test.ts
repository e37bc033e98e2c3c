import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignBalanced, assignBySector, assignToGroup } from './assignment.js';
import { createDialogue } from './create-dialogue.js';
import { SECTORS, workingGroupOf, type Dialogue, type Sector } from './model.js';
import { sampleDialogue } from '../test/sample-dialogue.js';

function build(people: Sector[], groups: number, fixed: [number, number][]): Dialogue {
  const d = createDialogue({
    id: 'p',
    title: 'P',
    timezone: 'UTC',
    venue: 'V',
    organiser: { name: 'O', email: 'o@example.org' },
  });
  d.organisations = SECTORS.map((s) => ({ id: s.replaceAll('_', '-'), name: s, sector: s, contact_email: 'x@example.org' }));
  d.participants = people.map((s, i) => ({
    id: `p${i}`,
    name: `P${i}`,
    email: `p${i}@example.org`,
    organisation_id: s.replaceAll('_', '-'),
    role: 'delegate',
    language: 'en',
  }));
  d.working_groups = Array.from({ length: groups }, (_, g) => ({
    id: `g${g}`,
    code: `WG${g + 1}`,
    theme: `T${g}`,
    sectors: [],
    member_ids: fixed.filter(([, fg]) => fg === g).map(([p]) => `p${p}`),
  }));
  return d;
}

describe('assignToGroup and assignBySector', () => {
  it('moves people explicitly and places the rest by the sectors each group draws from', () => {
    let d = assignToGroup(sampleDialogue(), 'wg2', ['p1']);
    d = assignToGroup(d, 'wg1', ['p1']);
    expect(d.working_groups.map((g) => g.member_ids)).toEqual([['p1'], []]);
    const r = assignBySector(d);
    // p1 is fixed in wg1 although its sector is law enforcement; p5 (law enforcement) joins wg1,
    // p2 and p6 (child rights) join wg2; legislature and civil society have no group.
    expect(r.dialogue.working_groups.map((g) => g.member_ids)).toEqual([
      ['p1', 'p5'],
      ['p2', 'p6'],
    ]);
    expect(r.unassigned).toEqual(['p3', 'p4', 'p7', 'p8']);
  });
});

describe('assignBalanced (property)', () => {
  const scenario = fc
    .record({
      people: fc.array(fc.constantFrom(...SECTORS), { minLength: 1, maxLength: 40 }),
      groups: fc.integer({ min: 1, max: 6 }),
    })
    .chain(({ people, groups }) =>
      fc.record({
        people: fc.constant(people),
        groups: fc.constant(groups),
        fixed: fc.uniqueArray(fc.tuple(fc.nat(people.length - 1), fc.nat(groups - 1)), {
          selector: ([p]) => p,
          maxLength: Math.min(people.length, 6),
        }),
        extraRoom: fc.nat(3),
      }),
    );

  it('keeps fixed assignments, respects sizes, places everyone and spreads sectors', () => {
    fc.assert(
      fc.property(scenario, ({ people, groups, fixed, extraRoom }) => {
        const d = build(people, groups, fixed);
        const maxSize = Math.ceil(people.length / groups) + extraRoom;
        const fixedCount = (g: number) => fixed.filter(([, fg]) => fg === g).length;
        if (fixed.some(([, g]) => fixedCount(g) > maxSize)) return;
        const { dialogue } = assignBalanced(d, { maxSize });
        for (const [p, g] of fixed) expect(workingGroupOf(dialogue, `p${p}`)?.id).toBe(`g${g}`);
        for (const g of dialogue.working_groups) expect(g.member_ids.length).toBeLessThanOrEqual(maxSize);
        for (const p of dialogue.participants) expect(workingGroupOf(dialogue, p.id)).toBeDefined();
        if (fixed.length === 0 && extraRoom === 0) {
          // Without fixed people and with even sizes, each sector differs by at most one between groups.
          for (const s of SECTORS) {
            const counts = dialogue.working_groups.map((g) => g.member_ids.filter((id) => people[Number(id.slice(1))] === s).length);
            expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
          }
          const sizes = dialogue.working_groups.map((g) => g.member_ids.length);
          expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('refuses, changing nothing, when the groups are too small', () => {
    const d = build(['media', 'media', 'media'], 2, []);
    expect(() => assignBalanced(d, { maxSize: 1 })).toThrow(/room for 2 more people but 3 need a place/);
    expect(d.working_groups.every((g) => g.member_ids.length === 0)).toBe(true);
  });
});
