import { type SelectQueryBuilder, sql } from 'kysely';
import { decodePageToken, encodePageToken } from '../http/page-token.js';
import type { Database } from './schema.js';

/** How {@link keysetPage} orders, cuts and filters a list. */
export interface KeysetPageOptions<Row> {
  /** The sort column (qualified when the query joins: `webhook_outbox.created_at`). */
  readonly orderBy: string;
  /** The unique tie-breaker column. @default 'id' */
  readonly idColumn?: string;
  /** The row's value of `orderBy` and its id, as the page token carries them. */
  readonly keyOf: (row: Row) => readonly [string, string];
  readonly pageSize: number;
  /** The token of the previous page (`undefined`: the first page). A foreign token answers 400. */
  readonly pageToken: string | undefined;
  /**
   * A condition SQL does not express here (JSON fields): rows failing it are skipped and the scan
   * goes on in chunks until the page is full or the table ends, so a page is never cut short.
   */
  readonly filter?: (row: Row) => boolean;
  /** Rows read per round when `filter` is given. @default 500 */
  readonly scanChunk?: number;
}

/**
 * One page of a list in (`orderBy`, id) order after the page token's position, and the token of
 * the next page (null at the end). Keyset paging: a row-value comparison `(at, id) > (?, ?)`,
 * which SQLite and PostgreSQL both index, so page N costs what page 1 does and rows inserted
 * meanwhile are neither skipped nor repeated.
 */
export async function keysetPage<Row>(
  // Any tables and joins: the helper only adds a condition, an order and a limit.
  // biome-ignore lint/suspicious/noExplicitAny: the joined tables of the caller's query are not this helper's concern.
  select: SelectQueryBuilder<Database, any, Row>,
  options: KeysetPageOptions<Row>,
): Promise<{ page: Row[]; next_page_token: string | null }> {
  const order = sql.ref(options.orderBy);
  const id = sql.ref(options.idColumn ?? 'id');
  const wanted = options.pageSize + 1;
  const chunk = options.filter === undefined ? wanted : Math.max(wanted, options.scanChunk ?? 500);
  let after = options.pageToken === undefined ? undefined : (decodePageToken(options.pageToken, 2) as [string, string]);
  const matched: Row[] = [];
  for (;;) {
    const query = after === undefined ? select : select.where(sql<boolean>`(${order}, ${id}) > (${after[0]}, ${after[1]})`);
    const rows = await query.orderBy(order).orderBy(id).limit(chunk).execute();
    for (const row of rows) {
      if (options.filter !== undefined && !options.filter(row)) continue;
      matched.push(row);
      if (matched.length === wanted) break;
    }
    const last = rows.at(-1);
    if (matched.length === wanted || rows.length < chunk || last === undefined) break;
    after = [...options.keyOf(last)] as [string, string];
  }
  const page = matched.slice(0, options.pageSize);
  const last = page.at(-1);
  return {
    page,
    next_page_token: matched.length > options.pageSize && last !== undefined ? encodePageToken(options.keyOf(last)) : null,
  };
}
