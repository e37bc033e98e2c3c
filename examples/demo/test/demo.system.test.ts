import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const script = fileURLToPath(new URL('../../../scripts/demo.mjs', import.meta.url));

// `pnpm start` after its build step: the README's demo command must keep working.
test('the demo seeds, serves the API and a partner page with the form, takes an anonymous report and shows it to the intake organisation', async () => {
  // Both servers on ports the system picks (no probe-then-close race); the demo prints them.
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, PORT: '0', SITE_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`demo did not come up:\n${out}`)), 60_000);
      child.on('exit', (code) => reject(new Error(`demo exited with ${code}:\n${out}`)));
      child.stdout.on('data', () => {
        if (out.includes('Ctrl-C stops the server')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    expect(out).toMatch(/reference TZ-[0-9A-Z]{4}-[0-9A-Z]{4}/);
    expect(out).toMatch(/intake sees\s+1 report/);
    const api = /reference referral API with DEMO data at (http:\/\/127\.0\.0\.1:(\d+))/.exec(out);
    const form = /report form\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
    if (api === null || form === null) throw new Error(`the demo printed no addresses:\n${out}`);
    const port = Number(api[2]);
    expect(port).toBeGreaterThan(0);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.ok).toBe(true);
    const openapi = (await (await fetch(`http://127.0.0.1:${port}/openapi.json`)).json()) as { openapi: string };
    expect(openapi.openapi).toMatch(/^3\.1/);

    // The partner's page on its own origin: the form's element and script (pinned by SRI) under the
    // strict CSP that allows the API and nothing else; its publishable key is allowed from there.
    const site = form[1] as string;
    expect(new URL(site).port).not.toBe(String(port));
    const page = await fetch(`${site}/?lang=ur`);
    expect(page.ok).toBe(true);
    const html = await page.text();
    expect(html).toContain('<tz-report-form');
    expect(html).toMatch(/integrity="sha384-[A-Za-z0-9+/=]+"/);
    expect(html).toContain(`api-base="http://127.0.0.1:${port}"`);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`connect-src http://127.0.0.1:${port}`);
    expect(csp).toContain("default-src 'none'");
    const scriptTag = await fetch(`${site}/js/tahaffuz-report-form.js`);
    expect(scriptTag.ok).toBe(true);
    expect((await scriptTag.text()).length).toBeGreaterThan(10_000);
    const preflight = await fetch(`http://127.0.0.1:${port}/v1/reports`, {
      method: 'OPTIONS',
      headers: { origin: site, 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(site);
  } finally {
    child.kill('SIGTERM');
  }
});
