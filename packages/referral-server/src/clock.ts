/** Milliseconds since the epoch; replaceable so tests can move time. */
export type Clock = () => number;

/** The system clock. */
export const systemClock: Clock = () => Date.now();

/** RFC 3339 UTC with milliseconds; such strings sort in time order, which the queries rely on. */
export function isoAt(ms: number): string {
  // A request formats the same few instants several times (now, a lease's end, a window's end).
  for (let i = 0; i < RECENT; i += 1) if (recentMs[i] === ms) return recentIso[i] as string;
  const iso = new Date(ms).toISOString();
  recentMs[next] = ms;
  recentIso[next] = iso;
  next = (next + 1) % RECENT;
  return iso;
}
const RECENT = 4;
const recentMs: number[] = new Array<number>(RECENT).fill(Number.NaN);
const recentIso: string[] = new Array<string>(RECENT).fill('');
let next = 0;
