import type { InvalidParam, ProblemDetails } from '../errors/referral-api-error.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads an error body as an RFC 9457 problem, tolerantly: a proxy's HTML page or an empty body
 * gives `undefined` rather than a second error hiding the status.
 */
export function readProblem(text: string): ProblemDetails | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed)) return undefined;
  const type = typeof parsed['type'] === 'string' ? parsed['type'] : 'about:blank';
  const invalid = Array.isArray(parsed['invalid_params'])
    ? parsed['invalid_params'].filter(
        (entry): entry is InvalidParam => isRecord(entry) && typeof entry['name'] === 'string' && typeof entry['reason'] === 'string',
      )
    : undefined;
  return {
    ...parsed,
    type,
    title: typeof parsed['title'] === 'string' ? parsed['title'] : undefined,
    status: typeof parsed['status'] === 'number' ? parsed['status'] : undefined,
    detail: typeof parsed['detail'] === 'string' ? parsed['detail'] : undefined,
    request_id: typeof parsed['request_id'] === 'string' ? parsed['request_id'] : undefined,
    invalid_params: invalid,
    invalid_params_total:
      typeof parsed['invalid_params_total'] === 'number' && Number.isInteger(parsed['invalid_params_total'])
        ? parsed['invalid_params_total']
        : undefined,
  };
}
