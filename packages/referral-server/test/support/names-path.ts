import { formatPath } from '@tahaffuz/referral-contract';
import type { JsonPath } from '@tahaffuz/test-kit';

/**
 * Whether an `invalid_params` name points at the mutated path: the same field, a field inside it,
 * or the object holding it (unions and refinements report at the enclosing object).
 */
export function namesPath(name: string, path: JsonPath): boolean {
  const p = formatPath(path);
  if (p === '$') return true;
  const inside = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || a.startsWith(`${b}[`);
  return inside(name, p) || inside(p, name);
}
