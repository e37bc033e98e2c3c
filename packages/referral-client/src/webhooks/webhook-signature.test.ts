import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isReferralApiError } from '../errors/is-referral-api-error.js';
import { bytesToBase64 } from './base64.js';
import { verifyWebhook, verifyWebhookSignature, type VerifyWebhookInput } from './verify-webhook.js';
import { constantTimeEqual, signWebhook } from './webhook-signature.js';

// The Standard Webhooks reference vector (standard-webhooks/standard-webhooks, libraries' tests).
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const AT_VECTOR_TIME = VECTOR.timestamp * 1000;

function vectorInput(overrides: Partial<VerifyWebhookInput> = {}): VerifyWebhookInput {
  return {
    body: VECTOR.body,
    headers: {
      'webhook-id': VECTOR.id,
      'webhook-timestamp': String(VECTOR.timestamp),
      'webhook-signature': VECTOR.signature,
    },
    secret: VECTOR.secret,
    now: AT_VECTOR_TIME,
    ...overrides,
  };
}

async function refusal(input: VerifyWebhookInput): Promise<string> {
  const error = await verifyWebhookSignature(input).then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!isReferralApiError(error, 'WebhookVerificationError')) throw new Error('expected a WebhookVerificationError');
  return error.reason;
}

describe('signWebhook', () => {
  it('reproduces the Standard Webhooks reference vector', async () => {
    expect(await signWebhook(VECTOR)).toBe(VECTOR.signature);
  });

  it('signs bytes and strings alike', async () => {
    const bytes = new TextEncoder().encode(VECTOR.body);
    expect(await signWebhook({ ...VECTOR, body: bytes })).toBe(VECTOR.signature);
  });
});

describe('verifyWebhookSignature', () => {
  it('accepts the reference vector and returns the parsed body', async () => {
    expect(await verifyWebhookSignature(vectorInput())).toEqual({ test: 2432232314 });
  });

  it('accepts a Headers object and a Uint8Array body', async () => {
    const input = vectorInput();
    const headers = new Headers(input.headers as Record<string, string>);
    const body = new TextEncoder().encode(VECTOR.body);
    expect(await verifyWebhookSignature({ ...input, headers, body })).toEqual({ test: 2432232314 });
  });

  it('refuses a tampered body', async () => {
    expect(await refusal(vectorInput({ body: '{"test": 2432232315}' }))).toBe('no_matching_signature');
    expect(await refusal(vectorInput({ body: '{"test":2432232314}' }))).toBe('no_matching_signature');
  });

  it('refuses a tampered id', async () => {
    const input = vectorInput();
    expect(await refusal({ ...input, headers: { ...input.headers, 'webhook-id': 'msg_other' } })).toBe('no_matching_signature');
  });

  it('refuses a stale timestamp and one in the future, with the default 5 minutes', async () => {
    expect(await refusal(vectorInput({ now: AT_VECTOR_TIME + 301_000 }))).toBe('timestamp_too_old');
    expect(await refusal(vectorInput({ now: AT_VECTOR_TIME - 301_000 }))).toBe('timestamp_in_future');
    expect(await verifyWebhookSignature(vectorInput({ now: AT_VECTOR_TIME + 299_000 }))).toBeDefined();
    expect(await verifyWebhookSignature(vectorInput({ now: AT_VECTOR_TIME - 299_000 }))).toBeDefined();
  });

  it('honours toleranceSeconds', async () => {
    expect(await refusal(vectorInput({ now: AT_VECTOR_TIME + 11_000, toleranceSeconds: 10 }))).toBe('timestamp_too_old');
  });

  it('refuses the right signature under the current time (a replay)', async () => {
    expect(await refusal(vectorInput({ now: Date.now() }))).toBe('timestamp_too_old');
  });

  it('refuses a wrong secret', async () => {
    expect(await refusal(vectorInput({ secret: `whsec_${bytesToBase64(new Uint8Array(32).fill(7))}` }))).toBe('no_matching_signature');
  });

  it('accepts any of several signatures and any of several secrets (rotation)', async () => {
    const input = vectorInput();
    const oldSecret = `whsec_${bytesToBase64(new Uint8Array(24).fill(1))}`;
    const oldSignature = await signWebhook({ ...VECTOR, secret: oldSecret });
    const headers = { ...input.headers, 'webhook-signature': `v1,bm9wZQ== ${oldSignature} ${VECTOR.signature}` };
    expect(await verifyWebhookSignature({ ...input, headers })).toEqual({ test: 2432232314 });
    // The receiver still on the old secret, and the receiver holding both, accept it too.
    expect(await verifyWebhookSignature({ ...input, headers, secret: oldSecret })).toBeDefined();
    const onlyOld = { ...input.headers, 'webhook-signature': oldSignature };
    expect(await verifyWebhookSignature({ ...input, headers: onlyOld, secret: [VECTOR.secret, oldSecret] })).toBeDefined();
    expect(await refusal({ ...input, headers: onlyOld, secret: [VECTOR.secret] })).toBe('no_matching_signature');
  });

  it('ignores signatures of other versions', async () => {
    const input = vectorInput();
    const headers = { ...input.headers, 'webhook-signature': VECTOR.signature.replace('v1,', 'v2,') };
    expect(await refusal({ ...input, headers })).toBe('no_matching_signature');
  });

  it('refuses missing headers and a non-numeric timestamp', async () => {
    const input = vectorInput();
    expect(await refusal({ ...input, headers: { 'webhook-id': VECTOR.id } })).toBe('missing_header');
    expect(await refusal({ ...input, headers: { ...input.headers, 'webhook-timestamp': '16142653e1' } })).toBe('invalid_timestamp');
  });

  it('refuses a secret that is not base64', async () => {
    expect(await refusal(vectorInput({ secret: 'whsec_not base64!' }))).toBe('invalid_secret');
    expect(await refusal(vectorInput({ secret: [] }))).toBe('invalid_secret');
  });

  it('round-trips: what signWebhook signs, verifyWebhookSignature accepts, and a changed byte is refused', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 24, maxLength: 64 }),
        fc.string({ minLength: 1, maxLength: 40 }).filter((id) => !/\s/u.test(id)),
        fc.integer({ min: 1_000_000_000, max: 4_000_000_000 }),
        fc.json(),
        fc.nat(),
        async (key, id, timestamp, body, flip) => {
          const secret = `whsec_${bytesToBase64(key)}`;
          const signature = await signWebhook({ id, timestamp, body, secret });
          const headers = { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signature };
          const now = timestamp * 1000;
          expect(await verifyWebhookSignature({ body, headers, secret, now })).toEqual(JSON.parse(body));
          const bytes = new TextEncoder().encode(body);
          bytes[flip % bytes.length] = (bytes[flip % bytes.length] ?? 0) ^ 1;
          const reason = await refusal({ body: bytes, headers, secret, now });
          expect(['no_matching_signature']).toContain(reason);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('constantTimeEqual', () => {
  it('agrees with plain equality', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 8 }), fc.uint8Array({ maxLength: 8 }), (a, b) => {
        const equal = a.length === b.length && a.every((byte, index) => byte === b[index]);
        expect(constantTimeEqual(a, b)).toBe(equal);
        expect(constantTimeEqual(a, a.slice())).toBe(true);
      }),
    );
  });
});

describe('verifyWebhook', () => {
  const secret = `whsec_${bytesToBase64(new Uint8Array(32).fill(42))}`;
  const payload = {
    type: 'referral.accepted',
    timestamp: '2026-11-20T10:15:00Z',
    data: { referral_id: '6f7a8b9c-0d1e-4f2a-9b3c-4d5e6f7a8b9c', case_id: '5b1c3e0a-8f2d-4c6e-9a7b-2d4f6e8a0c1e' },
  };

  async function signed(body: string, timestamp = Math.floor(Date.now() / 1000)) {
    const signature = await signWebhook({ id: 'msg_1', timestamp, body, secret });
    return { 'webhook-id': 'msg_1', 'webhook-timestamp': String(timestamp), 'webhook-signature': signature };
  }

  it('returns the payload of a signed event, checked against the contract', async () => {
    const body = JSON.stringify(payload);
    expect(await verifyWebhook({ body, headers: await signed(body), secret })).toEqual(payload);
  });

  it('accepts the reference vector signature, then refuses its payload, which is no event', async () => {
    const error = await verifyWebhook(vectorInput()).catch((reason: unknown) => reason);
    expect(isReferralApiError(error, 'WebhookVerificationError')).toBe(true);
    if (isReferralApiError(error, 'WebhookVerificationError')) expect(error.reason).toBe('invalid_payload');
  });

  it('refuses a payload carrying more than ids', async () => {
    const body = JSON.stringify({ ...payload, data: { ...payload.data, referral_id: 'Ayesha' } });
    const error = await verifyWebhook({ body, headers: await signed(body), secret }).catch((reason: unknown) => reason);
    if (!isReferralApiError(error, 'WebhookVerificationError')) throw new Error('expected a WebhookVerificationError');
    expect(error.reason).toBe('invalid_payload');
    expect(error.message).toContain('data.referral_id');
    expect(error.message).not.toContain('Ayesha');
  });
});
