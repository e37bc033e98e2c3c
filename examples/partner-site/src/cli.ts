#!/usr/bin/env node
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, seedDemo, startReferralServer } from '@tahaffuz/referral-server';
import { startPartnerSite } from './partner-site.js';

/*
 * The partner site and the reference server with DEMO data, on two loopback ports (two origins):
 *   SITE_PORT (default 8080) for the page, API_PORT (default 8787) for the API, DB (default
 *   ./data/partner-site.db). Ctrl-C stops both.
 */
const sitePort = Number(process.env['SITE_PORT'] ?? 8080);
const apiPort = Number(process.env['API_PORT'] ?? 8787);
const dbPath = process.env['DB'] ?? join('data', 'partner-site.db');
mkdirSync(join(dbPath, '..'), { recursive: true });

const origins = [`http://127.0.0.1:${sitePort}`, `http://localhost:${sitePort}`];
const setup = await openDatabase({ sqlite: dbPath });
const keys = await seedDemo(setup.db, { mode: 'test', origins });
await setup.close();
const api = await startReferralServer({ database: { sqlite: dbPath }, port: apiPort, demo: true, log: false });
const site = await startPartnerSite({ apiBase: api.url, publishableKey: keys.publishableKey, port: sitePort });

console.log(`partner site  ${site.url}   (Urdu: ${site.url}/?lang=ur)`);
console.log(`referral API  ${api.url}`);
console.log(`read reports: curl -s ${api.url}/v1/reports -H "Authorization: Bearer ${keys.secretKeys.intake}"`);
console.log('Ctrl-C stops both.');
process.once('SIGINT', () => void Promise.all([site.close(), api.close()]).then(() => process.exit(0)));
