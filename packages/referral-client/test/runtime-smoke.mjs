// Real calls from the BUILT client (dist/), run unchanged by Node, Bun, Deno and Chromium against
// the scripted fixture of built-client.browser.test.ts. It returns what it saw; the test judges it.
import { createReferralClient, isReferralApiError, signWebhook, verifyWebhook } from '../dist/index.js';

function runtimeName() {
  if (typeof globalThis.Deno !== 'undefined') return 'deno';
  if (typeof globalThis.Bun !== 'undefined') return 'bun';
  if (typeof globalThis.window !== 'undefined') return 'browser';
  return 'node';
}

async function failureOf(promise) {
  try {
    await promise;
    return { name: 'none' };
  } catch (error) {
    return {
      guard: isReferralApiError(error),
      name: error.name,
      status: error.status ?? null,
      requestId: error.requestId ?? null,
      code: error.code ?? null,
    };
  }
}

/** Runs the smoke calls against `baseUrl` with the client's default retry and timeout settings. */
export async function runSmoke(baseUrl) {
  const tz = createReferralClient({ baseUrl, apiKey: 'tz_sk_test_smoke0123456789abcdef' });

  // The fixture answers the first attempt of each POST with 503 and Retry-After: 0.
  const receipt = await tz.reports.create({
    categories: ['bonded_labour'],
    happening_now: true,
    location: { admin_area: 'PK-PB-KSR', place_type: 'brick_kiln' },
    reporter: { mode: 'anonymous' },
    locale: 'ur',
  });

  const caseIds = [];
  for await (const item of tz.cases.list({ status: 'open', page_size: 1 })) caseIds.push(item.id);

  const notFound = await failureOf(tz.cases.get('00000000-0000-4000-8000-000000000000'));
  const keyScope = await failureOf(createReferralClient({ baseUrl, apiKey: 'tz_pk_test_smoke0123456789abcdef' }).cases.list());

  const vector = await signWebhook({
    id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
    timestamp: 1614265330,
    body: '{"test": 2432232314}',
    secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  });
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const body = JSON.stringify({
    type: 'referral.accepted',
    timestamp: new Date().toISOString(),
    data: { referral_id: '6f7a8b9c-0d1e-4f2a-9b3c-4d5e6f7a8b9c' },
  });
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = {
    'webhook-id': 'msg_smoke',
    'webhook-timestamp': String(timestamp),
    'webhook-signature': await signWebhook({ id: 'msg_smoke', timestamp, body, secret }),
  };
  const event = await verifyWebhook({ body, headers, secret });
  const tampered = await failureOf(verifyWebhook({ body: body.replace('accepted', 'rejected'), headers, secret }));

  return {
    runtime: runtimeName(),
    receipt,
    caseIds,
    notFound,
    keyScope,
    vector,
    eventType: event.type,
    tampered,
  };
}
