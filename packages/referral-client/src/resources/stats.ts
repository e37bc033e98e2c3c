import type { HotspotStats } from '@tahaffuz/referral-contract';
import type { OperationCaller } from '../client/operation-caller.js';
import type { CallOptions, OperationQuery } from '../client/operation-types.js';

/** `tz.stats`: aggregate counts, small counts suppressed. */
export interface StatsResource {
  /**
   * Report or case counts by admin area and category over one calendar bucket.
   *
   * @example
   * ```ts
   * const stats = await tz.stats.hotspots({ bucket: 'quarter', period: '2026-Q4', category: 'bonded_labour' });
   * ```
   */
  hotspots(query: OperationQuery<'stats.hotspots'>, options?: CallOptions): Promise<HotspotStats>;
}

/** Builds `tz.stats`. */
export function statsResource(caller: OperationCaller): StatsResource {
  return { hotspots: (query, options) => caller.call('stats.hotspots', { query }, options) };
}
