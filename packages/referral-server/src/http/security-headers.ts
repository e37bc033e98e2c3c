/*
 * Headers that protect what the server sends, set in one place so that no route can forget them.
 * API answers carry reports, narratives and reporter contact: no cache (a browser's, a proxy's)
 * may keep them. Nothing the server sends is to be sniffed into another type.
 */

/** Set on every response. */
const EVERY_RESPONSE_HEADERS: Readonly<Record<string, string>> = { 'x-content-type-options': 'nosniff' };

/** Set on every answer under `/v1/` (they are authenticated or refusals of it) and on health checks. */
const NO_STORE_HEADERS: Readonly<Record<string, string>> = { 'cache-control': 'no-store' };

/**
 * The Content-Security-Policy of `--static` pages: their own scripts, styles, images and the API on
 * the same origin, nothing inline, not framed, no `<base>` and no forms posting anywhere.
 */
export const STATIC_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Set on every `--static` file: the policy above, and no Referer leaking a page's address onwards. */
export const STATIC_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': STATIC_PAGE_CSP,
  'referrer-policy': 'no-referrer',
};

/** Sets the headers on a response in place (a response built by the app, so its headers are mutable). */
export function setHeaders(response: Response, headers: Readonly<Record<string, string>>): void {
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
}

/** The headers every response of `pathname` gets from the app. */
export function responseHeadersFor(pathname: string): Readonly<Record<string, string>> {
  return pathname.startsWith('/v1/') || pathname === '/healthz' || pathname === '/readyz'
    ? { ...EVERY_RESPONSE_HEADERS, ...NO_STORE_HEADERS }
    : EVERY_RESPONSE_HEADERS;
}
