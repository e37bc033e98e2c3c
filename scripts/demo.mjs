#!/usr/bin/env node
// The demo behind `pnpm start`: a reference referral server on a fresh SQLite file with the DEMO
// directory; a partner's static page with <tz-report-form> on another origin (the partner-site
// example: one script tag, strict CSP); one anonymous report sent through the built typed client
// with the publishable key, and the intake organisation reading it back with its secret key. Both
// keep running until Ctrl-C.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'packages/referral-server/dist/cli.js');
const db = join(root, 'data/demo.db');
// PORT=0 / SITE_PORT=0 let the system pick free ports; the lines printed below give the real ones.
const port = process.env.PORT ?? '8787';
const sitePort = Number(process.env.SITE_PORT ?? 8080);
let baseUrl = `http://127.0.0.1:${port}`;

function run(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`tahaffuz-server ${args[0]} exited with ${code}`))));
  });
}

/** The URL the server prints once it listens (its stderr is passed on as it comes). */
function listeningUrl(server) {
  return new Promise((resolve, reject) => {
    let seen = '';
    server.stderr.on('data', (chunk) => {
      process.stderr.write(chunk);
      seen += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(seen);
      if (match) resolve(match[1]);
    });
    server.on('exit', (code) => reject(new Error(`the server exited with ${code}`)));
  });
}

async function waitForHealth(server) {
  for (let i = 0; i < 100; i += 1) {
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}`);
    try {
      if ((await fetch(`${baseUrl}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the server did not answer ${baseUrl}/healthz within 10 s`);
}

// Demo data is disposable: every start begins from a fresh file so the keys printed are the live ones.
mkdirSync(dirname(db), { recursive: true });
for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });

// The partner's page, on its own origin: the form talks to the API below. It listens first, so the
// publishable key can allow the origin it got; it reads the API's address and the key per page.
let publishableKey = '';
const { startPartnerSite } = await import('../examples/partner-site/dist/index.js');
const site = await startPartnerSite({
  get apiBase() {
    return baseUrl;
  },
  get publishableKey() {
    return publishableKey;
  },
  port: sitePort,
});
const { port: siteBound } = new URL(site.url);
const siteOrigins = [`http://127.0.0.1:${siteBound}`, `http://localhost:${siteBound}`];
const seeded = await run(['seed', '--demo', '--db', db, ...siteOrigins.flatMap((origin) => ['--origin', origin])]);
process.stdout.write(seeded);
const key = (label) => {
  const match = new RegExp(`^\\s*${label}\\s+(tz_[a-z]{2}_test_\\S+)`, 'm').exec(seeded);
  if (!match) throw new Error(`seed --demo printed no ${label} key`);
  return match[1];
};
publishableKey = key('publishable');

const server = spawn(process.execPath, [cli, 'start', '--demo', '--db', db, '--port', port], {
  stdio: ['ignore', 'ignore', 'pipe'],
});
const stop = () => {
  server.kill('SIGTERM');
  void site.close();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
baseUrl = await listeningUrl(server);
await waitForHealth(server);

const { createReferralClient } = await import('../packages/referral-client/dist/index.js');
const { REQUEST_EXAMPLES } = await import('../packages/referral-contract/dist/index.js');

// What the report form does: the publishable key, an anonymous report, a receipt with a reference.
const { reporter: _contact, ...example } = REQUEST_EXAMPLES['reports.create'];
const publicSite = createReferralClient({ baseUrl, apiKey: key('publishable') });
const receipt = await publicSite.reports.create({
  ...example,
  id: crypto.randomUUID(),
  reporter: { mode: 'anonymous' },
  locale: 'en',
});

// What the intake organisation of that district sees with its own secret key.
const intake = createReferralClient({ baseUrl, apiKey: key('intake') });
const page = await intake.reports.list({ page_size: 10 });

console.log(`
Tahaffuz demo — the reference referral API with DEMO data at ${baseUrl}
  report form        ${site.url}   (Urdu: ${site.url}/?lang=ur) — a partner's page with <tz-report-form>
  OpenAPI document   ${baseUrl}/openapi.json
  a report was sent  reference ${receipt.reference} (anonymous, through the typed client and the publishable key)
  intake sees        ${page.data.length} report(s) routed to its organisation
  read them          curl -s ${baseUrl}/v1/reports -H "Authorization: Bearer ${key('intake')}"
  other provinces    each intake organisation reads its own province's reports: see "Who reads which reports" above
  routing            only the operator key changes it: curl -s ${baseUrl}/v1/routing -H "Authorization: Bearer ${key('operator')}"
Use the keys above with the typed client or curl. Ctrl-C stops the server.`);

await new Promise((resolve) => server.on('exit', resolve));
await site.close();
