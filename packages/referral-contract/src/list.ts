import * as z from 'zod/mini';

/** The largest page a list answers. */
export const MAX_PAGE_SIZE = 100;
/** The page size when none is asked for. */
export const DEFAULT_PAGE_SIZE = 50;

/** `page_size` (1..100, default 50; a numeric string from a query string is accepted) and `page_token`. */
export const PageQueryShape = /* @__PURE__ */ (() => ({
  page_size: z._default(z.pipe(z.coerce.number<number | string>(), z.int().check(z.gte(1), z.lte(MAX_PAGE_SIZE))), DEFAULT_PAGE_SIZE),
  page_token: z.optional(z.string().check(z.minLength(1), z.maxLength(512))),
}))();

/** The paging parameters every list takes. */
export const PageQuerySchema = /* @__PURE__ */ z.strictObject(PageQueryShape);
/** The paging parameters every list takes. */
export type PageQuery = z.infer<typeof PageQuerySchema>;

/**
 * The envelope of every list response: one page of `data` and the token of the next page
 * (`null` at the end).
 *
 * @example
 * ```ts
 * const ReportPageSchema = listEnvelope(ReportSchema);
 * ```
 */
export function listEnvelope<T extends z.core.SomeType>(item: T) {
  return z.object({
    data: z.array(item),
    next_page_token: z.nullable(z.string()),
  });
}
/** One page of a list. */
export interface ListPage<T> {
  data: T[];
  next_page_token: string | null;
}
