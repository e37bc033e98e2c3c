/** Milliseconds since the epoch; replaceable so tests can move time. */
export type Clock = () => number;

/** The system clock. */
export const systemClock: Clock = () => Date.now();

/** RFC 3339 UTC with milliseconds; such strings sort in time order, which the queries rely on. */
export function isoAt(ms: number): string {
  // A request formats the same instant several times (created, updated, audit, event, lease).
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString();
    lastMs = ms;
  }
  return lastIso;
}
let lastMs = Number.NaN;
let lastIso = '';
