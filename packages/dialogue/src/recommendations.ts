import { rolledUpAmong } from './counting-rules.js';
import { assertDueDate, assertUpdateDate, todayOf, type DateCheckOptions } from './date-rules.js';
import { DialogueError, NotFoundError } from './errors.js';
import type { Dialogue, Priority, ProgressUpdate, Recommendation, RecommendationStatus, OwnerResponse, Visibility } from './model.js';
import { assertTransition, FINAL_STATUSES } from './recommendation-status.js';
import { compact, copy, validated } from './validate.js';

/** A recommendation as a working group presents it; the rest is filled in. */
export interface NewRecommendation {
  text: string;
  /** The working group's id or its code (`WG2`). */
  working_group_id: string;
  /**
   * @default `<referencePrefix>-<group code>-R<nn>`, the next free number in the group
   */
  reference?: string;
  /** @default the reference in lower case */
  id?: string;
  owner_organisation_id?: string;
  supporter_ids?: string[];
  themes?: string[];
  /** @default 'medium' */
  priority?: Priority;
  /** @default 'public' */
  visibility?: Visibility;
  parent_id?: string;
  weight?: number;
  due_date?: string;
  reporting_interval_days?: number;
}

/** Options of {@link addRecommendation}. */
export interface AddRecommendationOptions {
  /**
   * First part of generated references.
   * @default 'ND'
   */
  referencePrefix?: string;
}

function groupIdOf(dialogue: Dialogue, idOrCode: string): string {
  const g = dialogue.working_groups.find((x) => x.id === idOrCode) ?? dialogue.working_groups.find((x) => x.code === idOrCode);
  if (g === undefined) throw new NotFoundError('working group', idOrCode);
  return g.id;
}

/** The next free reference in a working group, e.g. `ND-WG2-R03`. */
export function nextReference(dialogue: Dialogue, workingGroup: string, prefix = 'ND'): string {
  const groupId = groupIdOf(dialogue, workingGroup);
  const code = dialogue.working_groups.find((g) => g.id === groupId)?.code ?? groupId;
  const taken = new Set(dialogue.recommendations.map((r) => r.reference));
  for (let n = 1; ; n++) {
    const ref = `${prefix}-${code}-R${String(n).padStart(2, '0')}`;
    if (!taken.has(ref)) return ref;
  }
}

/** Records a recommendation in `draft`, response `pending`, progress 0. Returns the changed dialogue. */
export function addRecommendation(dialogue: Dialogue, input: NewRecommendation, options: AddRecommendationOptions = {}): Dialogue {
  const next = copy(dialogue);
  const working_group_id = groupIdOf(next, input.working_group_id);
  const reference = input.reference ?? nextReference(next, working_group_id, options.referencePrefix);
  next.recommendations.push(
    compact({
      id: input.id ?? reference.toLowerCase(),
      reference,
      text: input.text,
      working_group_id,
      owner_organisation_id: input.owner_organisation_id,
      supporter_ids: input.supporter_ids ?? [],
      themes: input.themes ?? [],
      priority: input.priority ?? 'medium',
      response: 'pending',
      status: 'draft',
      progress: 0,
      due_date: input.due_date,
      reporting_interval_days: input.reporting_interval_days,
      parent_id: input.parent_id,
      weight: input.weight,
      visibility: input.visibility ?? 'public',
      updates: [],
      revision: 0,
    } satisfies Recommendation),
  );
  return validated(next);
}

/** Finds a recommendation by id or by reference. */
export function findRecommendation(dialogue: Dialogue, idOrReference: string): Recommendation {
  const r =
    dialogue.recommendations.find((x) => x.id === idOrReference) ?? dialogue.recommendations.find((x) => x.reference === idOrReference);
  if (r === undefined) throw new NotFoundError('recommendation', idOrReference);
  return r;
}

/** JSON with object keys sorted, so that two values compare equal whatever order their keys were set in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** The recommendation's revision, 0 for one stored before revisions were kept. */
export function revisionOf(r: Recommendation): number {
  return r.revision ?? 0;
}

/** `after` with its revision one past `before`'s when anything but the revision differs, else `before`'s. */
function withNextRevision(before: Recommendation, after: Recommendation): Recommendation {
  const strip = ({ revision: _, ...rest }: Recommendation) => canonicalJson(rest);
  const revision = strip(before) === strip(after) ? revisionOf(before) : revisionOf(before) + 1;
  return { ...after, revision };
}

function change(dialogue: Dialogue, idOrReference: string, apply: (r: Recommendation, d: Dialogue) => void): Dialogue {
  const next = copy(dialogue);
  const target = findRecommendation(next, idOrReference);
  const before = structuredClone(target);
  apply(target, next);
  const index = next.recommendations.findIndex((r) => r.id === before.id);
  const after = next.recommendations[index];
  if (after !== undefined) next.recommendations[index] = withNextRevision(before, after);
  return validated(next);
}

function nextUpdateId(r: Recommendation): string {
  const taken = new Set(r.updates.map((u) => u.id));
  for (let n = r.updates.length + 1; ; n++) {
    const id = `${r.id}-u${n}`;
    if (!taken.has(id)) return id;
  }
}

/** A progress update to record. */
export interface ProgressInput {
  /** `YYYY-MM-DD`. */
  date: string;
  narrative: string;
  /** Who reports it (organisation or role). */
  author: string;
  /** A new status; the state machine must allow it. */
  status?: RecommendationStatus;
  /** New progress 0–100. @default 100 when the status becomes completed, else unchanged */
  progress?: number;
  evidence_url?: string;
  /** @default true */
  public?: boolean;
}

function applyUpdate(d: Dialogue, r: Recommendation, input: ProgressInput, today: string): void {
  if (FINAL_STATUSES.includes(r.status)) {
    throw new DialogueError(`recommendation "${r.id}" is ${r.status}, a final state; it takes no more updates`, {
      code: 'FINAL_STATE',
    });
  }
  assertUpdateDate(d, r, input.date, today);
  const from = r.status;
  if (input.status !== undefined && input.status !== from) assertTransition(r.id, from, input.status);
  const to = input.status !== undefined && input.status !== from ? input.status : undefined;
  const progress = input.progress ?? (to === 'completed' ? 100 : undefined);
  const update: ProgressUpdate = compact({
    id: nextUpdateId(r),
    date: input.date,
    status_from: to === undefined ? undefined : from,
    status_to: to,
    progress,
    narrative: input.narrative,
    evidence_url: input.evidence_url,
    public: input.public ?? true,
    author: input.author,
  });
  r.updates.push(update);
  r.updates.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  if (to !== undefined) r.status = to;
  if (progress !== undefined) r.progress = progress;
}

/**
 * Adopts a draft recommendation (draft -> adopted) on `date`; the first reporting period counts from it.
 * The date may not be after today (in the dialogue's time zone, `options.today` when given) nor before
 * an earlier update, and a due date already set may not be before it (`DateRuleError`).
 */
export function adoptRecommendation(
  dialogue: Dialogue,
  idOrReference: string,
  input: { date: string; narrative?: string; public?: boolean },
  options: DateCheckOptions = {},
): Dialogue {
  const today = todayOf(dialogue, options);
  return change(dialogue, idOrReference, (r, d) => {
    assertTransition(r.id, r.status, 'adopted');
    applyUpdate(
      d,
      r,
      {
        date: input.date,
        status: 'adopted',
        narrative: input.narrative ?? 'Adopted by the dialogue.',
        author: d.organiser.name,
        public: input.public ?? true,
      },
      today,
    );
    r.adopted_on = input.date;
    assertDueDate(r);
  });
}

/** Records the owner organisation's answer (accepted or noted; a noted recommendation is still tracked). */
export function respondToRecommendation(dialogue: Dialogue, idOrReference: string, response: OwnerResponse): Dialogue {
  return change(dialogue, idOrReference, (r) => {
    r.response = response;
  });
}

/**
 * Sets who owns a recommendation, when it is due and how often its owner reports. `undefined` clears a
 * field. A due date before the recommendation's adoption is refused (`DateRuleError`).
 */
export function assignRecommendation(
  dialogue: Dialogue,
  idOrReference: string,
  fields: Partial<Pick<Recommendation, 'owner_organisation_id' | 'due_date' | 'reporting_interval_days' | 'supporter_ids' | 'priority'>>,
): Dialogue {
  return change(dialogue, idOrReference, (r, d) => {
    const updated = compact({ ...r, ...fields }) as Recommendation;
    assertDueDate(updated);
    const index = d.recommendations.indexOf(r);
    d.recommendations[index] = updated;
  });
}

/**
 * Records a progress update: a dated narrative, optionally a status change (checked against the state
 * machine; an illegal one throws `IllegalTransitionError` naming the allowed next states) and a new
 * progress figure. Verification is the organiser's: use {@link verifyRecommendation}.
 *
 * The date is checked as a calendar date in the dialogue's time zone: not after today
 * (`options.today`, default the date of `options.now` there), not before the recommendation's
 * adoption, not before its last update; a `DateRuleError` names the rule broken.
 *
 * @example
 * dialogue = recordProgress(dialogue, 'ND-WG1-R02', {
 *   date: '2026-06-30', status: 'in_progress', progress: 40,
 *   narrative: 'Two cybercrime units staffed.', author: 'FIA', public: true,
 * });
 */
export function recordProgress(dialogue: Dialogue, idOrReference: string, input: ProgressInput, options: DateCheckOptions = {}): Dialogue {
  if (input.status === 'verified') {
    throw new DialogueError('only the organiser verifies a completed recommendation: use verifyRecommendation', {
      code: 'VERIFY_BY_ORGANISER',
    });
  }
  const today = todayOf(dialogue, options);
  return change(dialogue, idOrReference, (r, d) => applyUpdate(d, r, input, today));
}

/** The organiser confirms a completed recommendation (completed -> verified); its date is checked as in {@link recordProgress}. */
export function verifyRecommendation(
  dialogue: Dialogue,
  idOrReference: string,
  input: { date: string; narrative: string; evidence_url?: string; public?: boolean },
  options: DateCheckOptions = {},
): Dialogue {
  const today = todayOf(dialogue, options);
  return change(dialogue, idOrReference, (r, d) => applyUpdate(d, r, { ...input, status: 'verified', author: d.organiser.name }, today));
}

/**
 * Progress with roll-up: a recommendation with children (other recommendations whose `parent_id` is
 * it) has the weighted mean of its children's rolled-up progress, `weight` 1 by default; withdrawn and
 * superseded children do not count. Without counted children, its own progress.
 */
export function rolledUpProgress(dialogue: Dialogue, idOrReference: string): number {
  return rolledUpAmong(dialogue.recommendations, findRecommendation(dialogue, idOrReference));
}
