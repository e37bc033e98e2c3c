/** Milliseconds since the epoch; replaceable so tests can move time. */
export type Clock = () => number;

/** The system clock. */
export const systemClock: Clock = () => Date.now();

/** RFC 3339 UTC with milliseconds; such strings sort in time order, which the queries rely on. */
export function isoAt(ms: number): string {
  return new Date(ms).toISOString();
}
