import {
  type Action,
  type KeyKind,
  ReportCreateSchema,
  ReportListQuerySchema,
} from '@tahaffuz/referral-contract';
import type * as z from 'zod/mini';

/*
 * The operations the server routes. The contract's `OPERATIONS` table is the source of truth; this
 * file narrows it to what the router needs and is the one place to swap when the contract's table
 * is published.
 */

/** What the router needs to know about one operation. */
export interface RoutedOperation {
  readonly id: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly action: Action;
  readonly keys: readonly KeyKind[];
  readonly request?: z.core.$ZodType;
  readonly query?: z.core.$ZodType;
  readonly status: 200 | 201 | 204;
}

/** The operations served so far. */
export const ROUTED_OPERATIONS: readonly RoutedOperation[] = [
  {
    id: 'reports.create',
    method: 'POST',
    path: '/v1/reports',
    action: 'reports:create',
    keys: ['publishable', 'secret'],
    request: ReportCreateSchema,
    status: 201,
  },
  { id: 'reports.list', method: 'GET', path: '/v1/reports', action: 'reports:read', keys: ['secret'], query: ReportListQuerySchema, status: 200 },
  { id: 'reports.get', method: 'GET', path: '/v1/reports/{id}', action: 'reports:read', keys: ['secret'], status: 200 },
];

/** The result of matching a request line. */
export type RouteMatch =
  | { readonly kind: 'match'; readonly operation: RoutedOperation; readonly params: { readonly id?: string } }
  | { readonly kind: 'method-not-allowed'; readonly allow: readonly string[] }
  | { readonly kind: 'not-found' };

function matchPath(template: string, pathname: string): { id?: string } | undefined {
  const want = template.split('/');
  const have = pathname.split('/');
  if (want.length !== have.length) return undefined;
  const params: { id?: string } = {};
  for (let i = 0; i < want.length; i += 1) {
    const w = want[i] ?? '';
    const h = have[i] ?? '';
    if (w === '{id}') {
      if (h === '') return undefined;
      try {
        params.id = decodeURIComponent(h);
      } catch {
        return undefined;
      }
    } else if (w !== h) return undefined;
  }
  return params;
}

/** Which operation a method and path name. */
export function matchRoute(method: string, pathname: string): RouteMatch {
  const allow: string[] = [];
  for (const operation of ROUTED_OPERATIONS) {
    const params = matchPath(operation.path, pathname);
    if (params === undefined) continue;
    if (operation.method === method.toUpperCase()) return { kind: 'match', operation, params };
    allow.push(operation.method);
  }
  return allow.length > 0 ? { kind: 'method-not-allowed', allow } : { kind: 'not-found' };
}

/** Whether any operation on this path accepts publishable keys (these answer browsers, with CORS). */
export function pathAllowsPublishable(pathname: string): boolean {
  return ROUTED_OPERATIONS.some((op) => op.keys.includes('publishable') && matchPath(op.path, pathname) !== undefined);
}
