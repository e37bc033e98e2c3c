import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CHROMIUM, ensureBuilt, launchChromium, skipWithoutChromium } from '@tahaffuz/test-kit';
import { startHttpFixture, type HttpFixture } from './http-fixture.js';
import { SMOKE_EXPECTED, serveSmoke } from './smoke-fixture.js';

const run = promisify(execFile);
const clientDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name: string) => join(clientDir, 'node_modules', '.bin', name);
const noChromium = skipWithoutChromium('referral-client in Chromium');

let fixture: HttpFixture;

/** Bundles `import { names } from '<built client entry>'` for the browser, as an application would. */
async function bundle(names: string, entry = './dist/index.js'): Promise<string> {
  const result = await build({
    stdin: {
      contents: `import { ${names} } from '${entry}'; globalThis.kept = [${names}];`,
      resolveDir: clientDir,
      loader: 'js',
    },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
}

beforeAll(async () => {
  // Builds the contract too when it has no dist/ at all (a stale contract build is its own
  // package's business, and rebuilding it here would race with work on it).
  const contractBuilt = existsSync(join(clientDir, '..', 'referral-contract', 'dist', 'index.js'));
  await ensureBuilt(clientDir, 'dist/index.js', contractBuilt ? '@tahaffuz/referral-client' : '@tahaffuz/referral-client...', {
    always: !contractBuilt,
  });
  // The browser gets the built client bundled as an application would bundle it.
  const smokeBundle = await build({
    entryPoints: [join(clientDir, 'test', 'runtime-smoke.mjs')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  fixture = await startHttpFixture();
  serveSmoke(fixture, {
    '/smoke.js': { type: 'text/javascript', body: smokeBundle.outputFiles[0]?.text ?? '' },
    '/smoke.html': {
      type: 'text/html',
      body: `<!doctype html><meta charset="utf-8"><title>smoke</title>
<script type="module">
import { runSmoke } from '/smoke.js';
window.smokeResult = runSmoke(location.origin).catch((error) => ({ error: String(error) }));
</script>`,
    },
  });
}, 240_000);
afterAll(() => fixture?.close());
beforeEach(() => fixture.reset());

/** Checks one runtime's report and what the fixture received from it. */
function checkSmoke(result: Record<string, unknown>, runtime: string): void {
  expect(result).toMatchObject({ ...SMOKE_EXPECTED, runtime });
  const receipt = result['receipt'] as { id: string; reference: string };
  expect(receipt.reference).toBe('TZ-7K3M-Q9XD');
  const posts = fixture.requests.filter((request) => request.method === 'POST' && request.path === '/v1/reports');
  // One 503, one retry: the same Idempotency-Key and the same generated report id both times.
  expect(posts).toHaveLength(2);
  expect(posts[0]?.headers['idempotency-key']).toBe(posts[1]?.headers['idempotency-key']);
  expect(posts.map((post) => (JSON.parse(post.body) as { id: string }).id)).toEqual([receipt.id, receipt.id]);
  expect(fixture.requests.some((request) => request.path.startsWith('/v1/cases?status=open'))).toBe(true);
}

async function runCli(command: string, args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(command, args, {
    cwd: clientDir,
    timeout: 60_000,
    env: { ...process.env, DO_NOT_TRACK: '1', DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
  });
  const line = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(line) as Record<string, unknown>;
}

describe('the built client in every runtime', () => {
  it('works under Node', async () => {
    checkSmoke(await runCli(process.execPath, ['test/runtime-smoke-cli.mjs', fixture.url]), 'node');
  });

  it('works under Bun', async () => {
    checkSmoke(await runCli(bin('bun'), ['test/runtime-smoke-cli.mjs', fixture.url]), 'bun');
  });

  it('works under Deno', async () => {
    const args = ['run', '--no-lock', '--allow-net=127.0.0.1', '--allow-read', '--allow-env'];
    checkSmoke(await runCli(bin('deno'), [...args, 'test/runtime-smoke-cli.mjs', fixture.url]), 'deno');
  });

  it('works in Chromium', async ({ skip }) => {
    // Without CI a missing browser skips with the reason; with CI it fails at launch.
    skip(noChromium, `${CHROMIUM} is missing: apt-get install -y chromium`);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`${fixture.url}/smoke.html`);
      await page.waitForFunction(() => 'smokeResult' in window);
      const result = await page.evaluate(() => (window as unknown as { smokeResult: Promise<unknown> }).smokeResult);
      checkSmoke(result as Record<string, unknown>, 'browser');
    } finally {
      await browser.close();
    }
  });
});

describe('tree-shaking of the built client', () => {
  it('leaves the transport and the operations table out of a bundle that only verifies webhooks', async () => {
    const code = await bundle('verifyWebhook');
    expect(code).toContain('webhook-signature');
    expect(code).not.toContain('idempotency-key'); // transport
    expect(code).not.toContain('/v1/webhooks/{id}/rotate-secret'); // OPERATIONS
  });

  it('leaves the other operations and their schemas out of a bundle that only submits reports', async () => {
    const code = await bundle('createReportSubmitter, isReferralApiError', './dist/reports.js');
    expect(code).toContain('idempotency-key'); // transport
    expect(code).toContain('/v1/reports');
    expect(code).toContain('happening_now'); // the report schema, for input validation
    expect(code).not.toContain('/v1/webhooks/{id}/rotate-secret'); // OPERATIONS
    expect(code).not.toContain('organization_id'); // ReportSchema and the directory
    expect(code).not.toContain('page_token'); // pagination and list queries
    expect(code).not.toContain('webhook-signature');
  });

  it('gives both entries one set of error classes', async () => {
    const main = await import(join(clientDir, 'dist', 'index.js'));
    const reports = await import(join(clientDir, 'dist', 'reports.js'));
    expect(reports.ReferralApiError).toBe(main.ReferralApiError);
    expect(reports.createReportSubmitter).toBe(main.createReportSubmitter);
  });

  it('keeps them in a bundle that creates a client', async () => {
    const code = await bundle('createReferralClient');
    expect(code).toContain('idempotency-key');
    expect(code).toContain('/v1/webhooks/{id}/rotate-secret');
  });
});
