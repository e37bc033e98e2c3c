import { ReferralApiError } from '../errors/referral-api-error.js';

/** One page of a list: the items and the token of the next page (`null` on the last page). */
export interface Page<Item> {
  readonly data: Item[];
  readonly next_page_token: string | null;
}

/** Fetches the page that a token names (`undefined`: the first page). */
export type PageFetcher<Item> = (pageToken: string | undefined) => Promise<Page<Item>>;

/**
 * The result of a `list` call. Awaited, it gives the first page; iterated with `for await`, it
 * yields every item of every page, fetching each page when the previous one is used up. Nothing is
 * requested until it is awaited or iterated.
 *
 * @example
 * ```ts
 * const first = await tz.cases.list({ status: 'open' });
 * for await (const c of tz.cases.list({ status: 'open' })) console.log(c.id);
 * ```
 */
export class PagePromise<Item> implements PromiseLike<Page<Item>>, AsyncIterable<Item> {
  readonly #fetchPage: PageFetcher<Item>;
  #first: Promise<Page<Item>> | undefined;

  constructor(fetchPage: PageFetcher<Item>) {
    this.#fetchPage = fetchPage;
  }

  get [Symbol.toStringTag](): string {
    return 'PagePromise';
  }

  #firstPage(): Promise<Page<Item>> {
    this.#first ??= this.#fetchPage(undefined);
    return this.#first;
  }

  // biome-ignore lint/suspicious/noThenProperty: a page promise is thenable on purpose (`await client.reports.list()`).
  then<Result1 = Page<Item>, Result2 = never>(
    onFulfilled?: ((page: Page<Item>) => Result1 | PromiseLike<Result1>) | null,
    onRejected?: ((reason: unknown) => Result2 | PromiseLike<Result2>) | null,
  ): Promise<Result1 | Result2> {
    return this.#firstPage().then(onFulfilled, onRejected);
  }

  catch<Result = never>(onRejected?: ((reason: unknown) => Result | PromiseLike<Result>) | null): Promise<Page<Item> | Result> {
    return this.#firstPage().catch(onRejected);
  }

  finally(onFinally?: (() => void) | null): Promise<Page<Item>> {
    return this.#firstPage().finally(onFinally);
  }

  /** Every page in turn, starting with the first. */
  async *pages(): AsyncGenerator<Page<Item>, void, undefined> {
    let page = await this.#firstPage();
    yield page;
    // A server repeating a token would otherwise loop forever.
    const seen = new Set<string>();
    while (page.next_page_token !== null) {
      if (seen.has(page.next_page_token)) {
        throw new ReferralApiError(`The API returned page token ${page.next_page_token} twice; stopping to avoid an endless loop`);
      }
      seen.add(page.next_page_token);
      page = await this.#fetchPage(page.next_page_token);
      yield page;
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Item, void, undefined> {
    for await (const page of this.pages()) yield* page.data;
  }
}
