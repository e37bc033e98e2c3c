import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqliteBackend } from '@tahaffuz/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import { STATIC_PAGE_CSP } from './security-headers.js';

// Files are served the same way on either backend: one is enough.
describe('the --static folder', () => {
  let t: TestServer;
  const base = mkdtempSync(join(tmpdir(), 'tahaffuz-static-guard-'));
  const site = join(base, 'site');
  const outside = join(base, 'outside');
  beforeAll(async () => {
    mkdirSync(join(site, '.git'), { recursive: true });
    mkdirSync(join(site, 'docs'), { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(site, 'index.html'), '<!doctype html><title>partner site</title>');
    writeFileSync(join(site, 'docs', 'index.html'), '<!doctype html><title>docs</title>');
    writeFileSync(join(site, '.env'), 'SECRET=marker-env');
    writeFileSync(join(site, '.git', 'config'), '[core] marker-git');
    writeFileSync(join(outside, 'secret.txt'), 'marker-outside');
    symlinkSync(join(outside, 'secret.txt'), join(site, 'leak.txt'));
    symlinkSync(outside, join(site, 'linked'));
    writeFileSync(join(site, 'real.txt'), 'inside');
    symlinkSync(join(site, 'real.txt'), join(site, 'alias.txt'));
    t = await startTestServer(sqliteBackend, { webhooks: false, static: site });
  });
  afterAll(async () => {
    await t?.stop();
    rmSync(base, { recursive: true, force: true });
  });

  it('serves pages with a CSP, Referrer-Policy: no-referrer and nosniff', async () => {
    for (const path of ['/', '/index.html', '/docs/']) {
      const page = await fetch(`${t.server.url}${path}`);
      expect(page.status, path).toBe(200);
      expect(page.headers.get('content-security-policy')).toBe(STATIC_PAGE_CSP);
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');
      expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    }
    expect(STATIC_PAGE_CSP).toContain("default-src 'none'");
  });

  it('refuses dotfiles and dot-folders, however the path is spelled', async () => {
    for (const path of ['/.env', '/.git/config', '/%2eenv', '/docs/../.env', '/.git/', '/docs/%2e%2e/.env']) {
      const answer = await fetch(`${t.server.url}${path}`);
      const text = await answer.text();
      expect(answer.status, path).toBe(404);
      expect(text).not.toContain('marker');
    }
  });

  it('refuses symbolic links that lead out of the folder, and serves those that stay inside', async () => {
    for (const path of ['/leak.txt', '/linked/secret.txt']) {
      const answer = await fetch(`${t.server.url}${path}`);
      expect(answer.status, path).toBe(404);
      expect(await answer.text()).not.toContain('marker');
    }
    const alias = await fetch(`${t.server.url}/alias.txt`);
    expect(alias.status).toBe(200);
    expect(await alias.text()).toBe('inside');
  });

  it('leaves the API its own headers', async () => {
    const api = await fetch(`${t.server.url}/v1/reports`);
    expect(api.status).toBe(401);
    expect(api.headers.get('content-security-policy')).toBeNull();
  });
});
