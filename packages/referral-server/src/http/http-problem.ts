import {
  type InvalidParam,
  MAX_INVALID_PARAMS,
  PROBLEM_DEFINITIONS,
  PROBLEM_MEDIA_TYPE,
  PROBLEM_TYPES,
  type Problem,
  type ProblemSlug,
} from '@tahaffuz/referral-contract';

/**
 * A problem an HTTP handler answers with (RFC 9457): thrown anywhere in a request, turned into an
 * `application/problem+json` response by the app's error handler. Details name ids and fields only.
 */
export class HttpProblem extends Error {
  override name = 'HttpProblem' as const;
  readonly slug: ProblemSlug;
  readonly status: number;
  readonly detail: string | undefined;
  readonly invalidParams: readonly InvalidParam[] | undefined;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    slug: ProblemSlug,
    options: {
      detail?: string;
      invalidParams?: readonly InvalidParam[];
      headers?: Record<string, string>;
      cause?: unknown;
    } = {},
  ) {
    super(options.detail ?? PROBLEM_DEFINITIONS[slug].title, { cause: options.cause });
    this.slug = slug;
    this.status = PROBLEM_DEFINITIONS[slug].status;
    this.detail = options.detail;
    this.invalidParams = options.invalidParams;
    this.headers = options.headers ?? {};
  }
}

/** The problem+json body of a problem: at most `MAX_INVALID_PARAMS` of its invalid fields, and how many there were past that. */
export function problemBody(problem: HttpProblem, requestId: string): Problem {
  const body: Problem = {
    type: PROBLEM_TYPES[problem.slug],
    title: PROBLEM_DEFINITIONS[problem.slug].title,
    status: problem.status,
    request_id: requestId,
  };
  if (problem.detail !== undefined) body.detail = problem.detail;
  if (problem.invalidParams !== undefined) {
    body.invalid_params = problem.invalidParams.slice(0, MAX_INVALID_PARAMS);
    if (problem.invalidParams.length > MAX_INVALID_PARAMS) body.invalid_params_total = problem.invalidParams.length;
  }
  return body;
}

/** A problem+json `Response`. */
export function problemResponse(problem: HttpProblem, requestId: string, extraHeaders: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(problemBody(problem, requestId)), {
    status: problem.status,
    headers: { 'content-type': PROBLEM_MEDIA_TYPE, ...problem.headers, ...extraHeaders },
  });
}
