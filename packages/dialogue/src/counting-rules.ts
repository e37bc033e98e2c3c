import type { Recommendation } from './model.js';

/**
 * The counting rules of follow-up figures (DESIGN.md): withdrawn and superseded recommendations are
 * out of totals and averages; a recommendation with parts (children in force) counts once, with the
 * weighted mean of its parts' progress, and its parts are not counted again; due and overdue apply to
 * the recommendations that report themselves, those without parts in force.
 */

/** True unless the recommendation was withdrawn or superseded. */
export function isInForce(r: Recommendation): boolean {
  return r.status !== 'withdrawn' && r.status !== 'superseded';
}

/** Each recommendation's parts in force (children whose `parent_id` is it), by the parent's id. */
export function partsByParent(recommendations: readonly Recommendation[]): Map<string, Recommendation[]> {
  const parts = new Map<string, Recommendation[]>();
  for (const r of recommendations) {
    if (r.parent_id === undefined || !isInForce(r)) continue;
    parts.set(r.parent_id, [...(parts.get(r.parent_id) ?? []), r]);
  }
  return parts;
}

/** True when `r` has no parts in force: it reports itself, and due and overdue apply to it. */
export function isLeaf(recommendations: readonly Recommendation[], r: Recommendation): boolean {
  return recommendations.every((x) => x.parent_id !== r.id || !isInForce(x));
}

/**
 * The recommendations that totals and averages count: in force, and not a part of another recommendation
 * in force (a part counts through its parent).
 */
export function countedRecommendations(recommendations: readonly Recommendation[]): Recommendation[] {
  const inForce = new Set(recommendations.filter(isInForce).map((r) => r.id));
  return recommendations.filter((r) => isInForce(r) && (r.parent_id === undefined || !inForce.has(r.parent_id)));
}

/**
 * Progress with roll-up among `recommendations`: the weighted mean (`weight`, 1 by default) of the
 * rolled-up progress of its parts in force; without parts, its own progress.
 */
export function rolledUpAmong(recommendations: readonly Recommendation[], r: Recommendation): number {
  const parts = partsByParent(recommendations);
  const visit = (x: Recommendation, seen: ReadonlySet<string>): number => {
    const children = (parts.get(x.id) ?? []).filter((c) => !seen.has(c.id));
    if (children.length === 0) return x.progress;
    let total = 0;
    let weights = 0;
    for (const c of children) {
      const w = c.weight ?? 1;
      total += w * visit(c, new Set([...seen, c.id]));
      weights += w;
    }
    return total / weights;
  };
  return visit(r, new Set([r.id]));
}

/** The counting rules in words, as every report states them. */
export const COUNTING_RULES: readonly string[] = [
  'Withdrawn and superseded recommendations are listed but left out of totals and average progress.',
  "A recommendation with parts counts once: its progress is the weighted mean of its parts' progress (equal weights unless set), and the parts are not counted again.",
  'Due and overdue apply to recommendations that report themselves (those without parts); a recommendation with parts follows them.',
  'Overdue: the next reporting date (last update or adoption plus the reporting interval, or the due date if earlier) has passed with no update since.',
];
