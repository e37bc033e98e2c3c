import * as z from 'zod/mini';

/** The base URI of every problem type. */
export const PROBLEM_TYPE_BASE = 'https://tahaffuz.dev/problems/';

/** Every problem slug with its HTTP status and title. */
export const PROBLEM_DEFINITIONS = {
  validation: { status: 400, title: 'The request is not valid' },
  'idempotency-key-missing': { status: 400, title: 'Idempotency-Key header missing' },
  unauthorized: { status: 401, title: 'Missing or invalid API key' },
  forbidden: { status: 403, title: 'This key may not do this' },
  'not-found': { status: 404, title: 'Not found' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  'id-conflict': { status: 409, title: 'This id is already used by a different body' },
  'idempotency-in-flight': { status: 409, title: 'A request with this Idempotency-Key is still running' },
  conflict: { status: 409, title: 'Conflict' },
  'payload-too-large': { status: 413, title: 'The request body is too large' },
  'unsupported-media-type': { status: 415, title: 'The request body must be application/json' },
  'idempotency-key-reused': { status: 422, title: 'This Idempotency-Key was used with a different body' },
  'consent-required': { status: 422, title: 'No active consent covers this referral' },
  'invalid-transition': { status: 422, title: 'This transition is not allowed' },
  'webhook-subscription-limit': { status: 422, title: 'This organisation has as many webhook subscriptions as it may' },
  'rate-limited': { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal error' },
  unavailable: { status: 503, title: 'Service unavailable' },
} as const satisfies Record<string, { status: number; title: string }>;

/** A problem slug such as `consent-required`. */
export type ProblemSlug = keyof typeof PROBLEM_DEFINITIONS;

/** The problem slugs. */
export const PROBLEM_SLUGS = /* @__PURE__ */ (() => Object.keys(PROBLEM_DEFINITIONS) as ProblemSlug[])();

/** Every problem type URI by slug, e.g. `PROBLEM_TYPES['consent-required']`. */
export const PROBLEM_TYPES = /* @__PURE__ */ (() =>
  Object.fromEntries(PROBLEM_SLUGS.map((slug) => [slug, `${PROBLEM_TYPE_BASE}${slug}`])) as {
    readonly [S in ProblemSlug]: `${typeof PROBLEM_TYPE_BASE}${S}`;
  })();

/** The slug of a problem type URI (`https://tahaffuz.dev/problems/not-found` -> `not-found`), or `undefined` for another URI. */
export function problemSlug(typeUri: string): ProblemSlug | undefined {
  if (!typeUri.startsWith(PROBLEM_TYPE_BASE)) return undefined;
  const slug = typeUri.slice(PROBLEM_TYPE_BASE.length);
  return Object.hasOwn(PROBLEM_DEFINITIONS, slug) ? (slug as ProblemSlug) : undefined;
}

/** One invalid field: its JSON path (`victims.count`, `categories[2]`) and why. */
export const InvalidParamSchema = /* @__PURE__ */ (() =>
  z.object({
    name: z.string(),
    reason: z.string(),
  }))();
/** One invalid field. */
export type InvalidParam = z.infer<typeof InvalidParamSchema>;

/**
 * The most `invalid_params` a problem lists. A body of thousands of unknown keys would otherwise
 * be answered with a problem several times its size; past this, `invalid_params_total` says how
 * many there were.
 */
export const MAX_INVALID_PARAMS = 50;

/** An RFC 9457 problem details body (`application/problem+json`). */
export const ProblemSchema = /* @__PURE__ */ (() =>
  z.object({
    type: z.string(),
    title: z.string(),
    status: z.int().check(z.gte(100), z.lte(599)),
    detail: z.optional(z.string()),
    instance: z.optional(z.string()),
    request_id: z.optional(z.string()),
    /** The first {@link MAX_INVALID_PARAMS} invalid fields, in the order they were found. */
    invalid_params: z.optional(z.array(InvalidParamSchema).check(z.maxLength(MAX_INVALID_PARAMS))),
    /**
     * How many invalid fields there were in all, present when that is more than `invalid_params`
     * lists.
     */
    invalid_params_total: z.optional(
      z
        .int()
        .check(
          z.gte(0),
          z.describe('How many invalid fields there were in all, when more than invalid_params lists (it lists the first 50).'),
        ),
    ),
  }))();
/** A problem details body. */
export type Problem = z.infer<typeof ProblemSchema>;

/** The media type of problem details. */
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';
