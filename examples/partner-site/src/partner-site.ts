import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const siteDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'site');

/** The script-tag file of `@tahaffuz/report-form`, as the package publishes it. */
export function reportFormScriptPath(): string {
  const manifest = createRequire(import.meta.url).resolve('@tahaffuz/report-form/package.json');
  return join(dirname(manifest), 'dist', 'tahaffuz-report-form.js');
}

/** The Content-Security-Policy the partner site sends: DESIGN.md's, with the API as the only connect-src. */
export function partnerCsp(apiBase: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `connect-src ${new URL(apiBase).origin}`,
    "require-trusted-types-for 'script'",
    "trusted-types lit-html 'allow-duplicates'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Options of {@link startPartnerSite}. */
export interface PartnerSiteOptions {
  /** The referral API, on another origin. Read for every response (a getter may supply it later). */
  readonly apiBase: string;
  /** A publishable key allowed for this site's origin. Read for every page served, so a getter may supply a key made once the site listens. */
  readonly publishableKey: string;
  /** 0 lets the system pick a free port (see `url`). @default 8080 */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
}

/** A running partner site. */
export interface PartnerSite {
  readonly url: string;
  close(): Promise<void>;
}

const escapeAttribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Serves the partner's static page: `index.html` (with the API base, the key, the language and the
 * script's SRI hash filled in), its stylesheet and the report form's script-tag file, every response
 * with the strict CSP.
 */
export async function startPartnerSite(options: PartnerSiteOptions): Promise<PartnerSite> {
  const script = readFileSync(reportFormScriptPath());
  const sri = `sha384-${createHash('sha384').update(script).digest('base64')}`;
  const page = readFileSync(join(siteDir, 'index.html'), 'utf8');
  const css = readFileSync(join(siteDir, 'partner.css'));
  // Read per response: `apiBase` and `publishableKey` may be getters whose values come once the
  // API listens (the demo starts this site first, so the key can allow the origin it got).
  const headers = () => ({
    'content-security-policy': partnerCsp(options.apiBase),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  });
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const send = (type: string, body: string | Buffer) => {
      response.writeHead(200, { ...headers(), 'content-type': type });
      response.end(body);
    };
    if (url.pathname === '/' || url.pathname === '/index.html') {
      const lang = url.searchParams.get('lang') === 'ur' ? 'ur' : 'en';
      const html = page
        .replaceAll('%LANG%', lang)
        .replaceAll('%SRI%', sri)
        .replaceAll('%API_BASE%', escapeAttribute(options.apiBase))
        .replaceAll('%PUBLISHABLE_KEY%', escapeAttribute(options.publishableKey));
      return send('text/html; charset=utf-8', html);
    }
    if (url.pathname === '/partner.css') return send('text/css; charset=utf-8', css);
    if (url.pathname === '/js/tahaffuz-report-form.js') return send('text/javascript; charset=utf-8', script);
    response.writeHead(404, headers()).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8080, options.host ?? '127.0.0.1', resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
