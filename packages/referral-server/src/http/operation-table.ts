import { allowsPublishableKey, matchOperation, OPERATIONS, type OperationSpec } from '@tahaffuz/referral-contract';

/*
 * The server routes from the contract's `OPERATIONS` table: method, path, action, key kinds,
 * request and query schemas all come from there.
 */

/** What the router needs to know about one operation. */
export type RoutedOperation = OperationSpec;

/** The result of matching a request line. */
export type RouteMatch =
  | { readonly kind: 'match'; readonly operation: RoutedOperation; readonly params: { readonly id?: string } }
  | { readonly kind: 'method-not-allowed'; readonly allow: readonly string[] }
  | { readonly kind: 'not-found' };

/** Which operation a method and path name. */
export function matchRoute(method: string, pathname: string): RouteMatch {
  return matchOperation(method, pathname) as RouteMatch;
}

const PUBLISHABLE_PATHS = new Set<string>(OPERATIONS.filter((op) => allowsPublishableKey(op)).map((op) => op.path));

/** Whether any operation on this path accepts publishable keys (these answer browsers, with CORS). */
export function pathAllowsPublishable(pathname: string): boolean {
  return PUBLISHABLE_PATHS.has(pathname);
}
