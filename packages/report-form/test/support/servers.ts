import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  generateEncryptionKey,
  openDatabase,
  seedDemo,
  startReferralServer,
  type DemoSeed,
  type ReferralServer,
} from '@tahaffuz/referral-server';

/** The CSP of DESIGN.md, enforced: the form must work under it. */
export function strictCsp(apiOrigin: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `connect-src ${apiOrigin}`,
    "require-trusted-types-for 'script'",
    "trusted-types lit-html 'allow-duplicates'",
  ].join('; ');
}

const escapeAttribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A loopback page server: `/form.html?lang=…` is a page with the form, under the strict CSP. */
export interface PageServer {
  readonly origin: string;
  /** The API the page's form talks to; set before the page is loaded. */
  api: { url: string; key: string };
  close(): Promise<void>;
}

const HARNESS = `
window.__events = [];
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__violations.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample });
});
for (const type of ['tz-submitted', 'tz-queued', 'tz-step-change', 'tz-error', 'tz-quick-exit']) {
  document.addEventListener(type, (e) => {
    const copy = { type };
    for (const key of ['reportId', 'reference', 'receivedAt', 'fromQueue', 'expiresAt', 'code', 'status', 'requestId', 'step', 'name']) {
      if (e[key] !== undefined) copy[key] = e[key];
    }
    window.__events.push(copy);
  });
}
`;

/** Starts the page server; the script-tag file is served from `scriptPath`. */
export async function startPageServer(scriptPath: string): Promise<PageServer> {
  const script = readFileSync(scriptPath);
  const state = { api: { url: 'http://127.0.0.1:9', key: 'tz_pk_test_unset' } };
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const csp = strictCsp(new URL(state.api.url).origin);
    const send = (type: string, body: string | Buffer) => {
      response.writeHead(200, { 'content-type': type, 'content-security-policy': csp, 'cache-control': 'no-store' });
      response.end(body);
    };
    if (url.pathname === '/tahaffuz-report-form.js') return send('text/javascript; charset=utf-8', script);
    // As a server that names no charset serves it (nginx's default for .js).
    if (url.pathname === '/bare/tahaffuz-report-form.js') return send('text/javascript', script);
    if (url.pathname === '/harness.js') return send('text/javascript; charset=utf-8', HARNESS);
    if (url.pathname === '/exit.html')
      return send('text/html; charset=utf-8', '<!doctype html><title>Weather</title><p id="exited">Weather</p>');
    if (url.pathname === '/form.html') {
      const lang = url.searchParams.get('lang') ?? 'en';
      const days = url.searchParams.get('offline-days');
      // `legacy`: a page in windows-1256 (an older Urdu site) loading the file from a server that names no charset.
      const legacy = url.searchParams.has('legacy');
      const charset = legacy ? 'windows-1256' : 'utf-8';
      return send(
        `text/html; charset=${charset}`,
        `<!doctype html><html lang="en"><meta charset="${charset}"><title>Partner</title>
<script src="/harness.js"></script>
<script src="${legacy ? '/bare' : ''}/tahaffuz-report-form.js" defer></script>
<tz-report-form api-base="${escapeAttribute(state.api.url)}" publishable-key="${escapeAttribute(state.api.key)}" lang="${escapeAttribute(lang)}" exit-url="/exit.html"${days === null ? '' : ` offline-days="${escapeAttribute(days)}"`}>
  <p id="fallback">Punjab Child Protection Bureau: <a href="tel:1121">1121</a></p>
</tz-report-form></html>`,
      );
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    get api() {
      return state.api;
    },
    set api(value) {
      state.api = value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The reference server on a SQLite file, seeded with the demo keys, that can be stopped and restarted. */
export interface Api {
  readonly url: string;
  readonly keys: DemoSeed;
  readonly running: boolean;
  stop(): Promise<void>;
  restart(): Promise<void>;
  /** Stops the server and removes its database. */
  dispose(): Promise<void>;
}

/** Starts the reference server with publishable keys allowed from `pageOrigin`. */
export async function startApi(pageOrigin: string): Promise<Api> {
  const dir = mkdtempSync(join(tmpdir(), 'tahaffuz-report-form-'));
  const database = { sqlite: join(dir, 'tahaffuz.db') };
  const encryptionKey = generateEncryptionKey();
  const setup = await openDatabase(database);
  const keys = await seedDemo(setup.db, { mode: 'test', origins: [pageOrigin] });
  await setup.close();
  const start = (port: number) => startReferralServer({ database, port, encryptionKey, log: false, rateLimit: false, webhooks: false });
  let server: ReferralServer | undefined = await start(0);
  const url = server.url;
  const port = Number(new URL(url).port);
  return {
    url,
    keys,
    get running() {
      return server !== undefined;
    },
    async stop() {
      await server?.close();
      server = undefined;
    },
    async restart() {
      server ??= await start(port);
    },
    async dispose() {
      await server?.close();
      server = undefined;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
