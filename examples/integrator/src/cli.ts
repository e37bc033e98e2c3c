#!/usr/bin/env node
import { main } from './caseworker-day.js';
import { startWebhookReceiver } from './webhook-receiver.js';

/*
 * Runs the caseworker's day against a running server. Keys come from the environment (never from
 * the command line, where other users of the machine can read them):
 *   TZ_BASE_URL (default http://127.0.0.1:8787), TZ_CASEWORKER_KEY, TZ_PROVIDER_KEY,
 *   TZ_ADMIN_KEY (optional: subscribes a local webhook receiver), TZ_SUBMIT_DEMO_REPORT=1.
 */
const env = process.env;
function required(name: string): string {
  const value = env[name];
  if (value === undefined || value === '') {
    console.error(`Set ${name} (see examples/integrator/README.md: tahaffuz-server seed --demo prints the keys).`);
    process.exit(2);
  }
  return value;
}

const caseworkerKey = required('TZ_CASEWORKER_KEY');
const providerKey = required('TZ_PROVIDER_KEY');
const adminKey = env['TZ_ADMIN_KEY'];
const receiver = adminKey === undefined ? undefined : await startWebhookReceiver({ port: Number(env['TZ_WEBHOOK_PORT'] ?? 0) });
try {
  const day = await main({
    baseUrl: env['TZ_BASE_URL'] ?? 'http://127.0.0.1:8787',
    caseworkerKey,
    providerKey,
    adminKey,
    webhooks: receiver,
    submitDemoReport: env['TZ_SUBMIT_DEMO_REPORT'] === '1',
  });
  console.log(`done: case ${day.caseId}, referral ${day.referralId} ${day.referralStatuses.join(' -> ')}`);
} finally {
  await receiver?.close();
}
