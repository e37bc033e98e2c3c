import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { problem, startHttpFixture, type HttpFixture } from '../../test/http-fixture.js';
import { isReferralApiError } from '../errors/is-referral-api-error.js';
import type { ReferralApiError } from '../errors/referral-api-error.js';
import type { RequestInfo, ResponseInfo, RetryInfo } from './hooks.js';
import { DEFAULT_RETRY, DEFAULT_TIMEOUT, type RetryOptions, type TimeoutOptions } from './retry-policy.js';
import { createTransport, type TransportRequest } from './transport.js';

let fixture: HttpFixture;
beforeAll(async () => {
  fixture = await startHttpFixture();
});
afterAll(() => fixture.close());
beforeEach(() => fixture.reset());

const FAST: RetryOptions = { ...DEFAULT_RETRY, backoffBase: 2, backoffCap: 10 };

function transport(retry: Partial<RetryOptions> = {}, timeout: Partial<TimeoutOptions> = {}, hooks = {}) {
  return createTransport({
    baseUrl: fixture.url,
    apiKey: 'tz_sk_test_abc',
    retry: { ...FAST, ...retry },
    timeout: { ...DEFAULT_TIMEOUT, ...timeout },
    hooks,
  });
}

const get: TransportRequest = { operation: 'cases.list', method: 'GET', path: '/v1/cases' };
const post: TransportRequest = {
  operation: 'reports.create',
  method: 'POST',
  path: '/v1/reports',
  body: { id: 'x' },
  idempotencyKey: 'key-1',
};

async function failure(promise: Promise<unknown>): Promise<ReferralApiError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!isReferralApiError(error)) throw new Error(`expected a ReferralApiError, got ${String(error)}`);
  return error;
}

describe('createTransport: what is sent', () => {
  it('sends the method, URL with query, key, JSON body and idempotency key', async () => {
    fixture.reply({ status: 201, body: { ok: true } });
    const result = await transport()({ ...post, query: { a: 'b', list: ['x', 'y'], skip: undefined } });
    expect(result.body).toEqual({ ok: true });
    expect(result.status).toBe(201);
    expect(result.requestId).toBe('req_fixture_1');
    const [request] = fixture.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/v1/reports?a=b&list=x&list=y');
    expect(request?.headers['authorization']).toBe('Bearer tz_sk_test_abc');
    expect(request?.headers['idempotency-key']).toBe('key-1');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request?.body ?? '')).toEqual({ id: 'x' });
  });

  it('keeps a path prefix of the base URL', async () => {
    fixture.reply({ status: 200, body: {} });
    const send = createTransport({
      baseUrl: `${fixture.url}/api/`,
      apiKey: 'k',
      retry: FAST,
      timeout: DEFAULT_TIMEOUT,
    });
    await send(get);
    expect(fixture.requests[0]?.path).toBe('/api/v1/cases');
  });

  it('sends through the fetch it is given', async () => {
    fixture.reply({ status: 200, body: { ok: 1 } });
    const send = createTransport({
      baseUrl: fixture.url,
      apiKey: 'k',
      retry: FAST,
      timeout: DEFAULT_TIMEOUT,
      fetch: (input, init) => {
        const headers = new Headers(init?.headers);
        headers.set('x-proxy', 'custom');
        return fetch(input, { ...init, headers });
      },
    });
    expect((await send(get)).body).toEqual({ ok: 1 });
    expect(fixture.requests[0]?.headers['x-proxy']).toBe('custom');
    expect(fixture.requests[0]?.headers['authorization']).toBe('Bearer k');
  });

  it('treats a given fetch that throws instead of rejecting as a failed attempt', async () => {
    fixture.reply({ status: 200, body: { ok: 2 } });
    let calls = 0;
    const send = createTransport({
      baseUrl: fixture.url,
      apiKey: 'k',
      retry: FAST,
      timeout: DEFAULT_TIMEOUT,
      fetch: (input, init) => {
        calls += 1;
        if (calls === 1) throw new TypeError('no route to host');
        return fetch(input, init);
      },
    });
    expect((await send(get)).body).toEqual({ ok: 2 });
    expect(calls).toBe(2);
    expect(fixture.requests).toHaveLength(1);

    const error = await failure(
      createTransport({
        baseUrl: fixture.url,
        apiKey: 'k',
        retry: { ...FAST, limit: 0 },
        timeout: DEFAULT_TIMEOUT,
        fetch: () => {
          throw new TypeError('no route to host');
        },
      })(get),
    );
    expect(isReferralApiError(error, 'NetworkError')).toBe(true);
    expect(error.message).toContain('network error (no route to host)');
  });
});

describe('createTransport: retry rules', () => {
  const retried = [408, 429, 500, 502, 503, 504];
  const notRetried = [400, 401, 403, 404, 405, 410, 413, 422, 501];

  it.each(retried)('retries %i for GET, PUT, DELETE and a POST with an Idempotency-Key', async (status) => {
    const put: TransportRequest = { operation: 'routing.update', method: 'PUT', path: '/v1/routing', body: { rules: [] } };
    const del: TransportRequest = { operation: 'webhooks.delete', method: 'DELETE', path: '/v1/webhooks/x' };
    for (const request of [get, put, del, post]) {
      fixture.reset();
      fixture.reply({ status, body: problem('x', status) }, { status: 200, body: { n: 1 } });
      const result = await transport()(request);
      expect(result.body).toEqual({ n: 1 });
      expect(fixture.requests.map((r) => r.method)).toEqual([request.method, request.method]);
    }
  });

  it.each(retried)('does not retry %i for a POST without an Idempotency-Key', async (status) => {
    fixture.reply({ status, body: problem('x', status) }, { status: 200, body: {} });
    const error = await failure(transport()({ ...post, idempotencyKey: undefined }));
    expect(error.status).toBe(status);
    expect(fixture.requests).toHaveLength(1);
  });

  it.each(notRetried)('does not retry %i, whatever the method', async (status) => {
    for (const request of [get, post]) {
      fixture.reset();
      fixture.reply({ status, body: problem('x', status) }, { status: 200, body: {} });
      const error = await failure(transport()(request));
      expect(error.status).toBe(status);
      expect(fixture.requests).toHaveLength(1);
    }
  });

  it('retries a 409 idempotency-in-flight, and no other 409', async () => {
    fixture.reply({ status: 409, body: problem('idempotency-in-flight', 409) }, { status: 201, body: { id: 'r' } });
    expect((await transport()(post)).body).toEqual({ id: 'r' });
    expect(fixture.requests).toHaveLength(2);

    fixture.reset();
    fixture.reply({ status: 409, body: problem('id-conflict', 409) }, { status: 201, body: {} });
    const error = await failure(transport()(post));
    expect(isReferralApiError(error, 'ConflictError')).toBe(true);
    expect(error.code).toBe('id-conflict');
    expect(fixture.requests).toHaveLength(1);
  });

  it('retries network errors and gives up after the limit with a NetworkError', async () => {
    fixture.reply({ action: 'destroy' }, { status: 200, body: { ok: 1 } });
    expect((await transport()(post)).body).toEqual({ ok: 1 });
    expect(fixture.requests).toHaveLength(2);

    fixture.reset();
    fixture.reply({ action: 'destroy' }, { action: 'destroy' }, { action: 'destroy' }, { status: 200, body: {} });
    const error = await failure(transport({ limit: 2 })(get));
    expect(isReferralApiError(error, 'NetworkError')).toBe(true);
    expect(error.message).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/v1\/cases failed: network error .*after 3 attempts/u);
    expect(fixture.requests).toHaveLength(3);
  });

  it('makes limit + 1 attempts at most and keeps the Idempotency-Key across them', async () => {
    const busy = { status: 503, body: problem('unavailable', 503) };
    fixture.reply(busy, busy, busy, busy, busy, { status: 201, body: {} });
    const error = await failure(transport({ limit: 3 })(post));
    expect(error.status).toBe(503);
    expect(error.message).toContain('(after 4 attempts)');
    expect(fixture.requests).toHaveLength(4);
    expect(new Set(fixture.requests.map((r) => r.headers['idempotency-key']))).toEqual(new Set(['key-1']));
    expect(new Set(fixture.requests.map((r) => r.body)).size).toBe(1);
  });

  it('uses the default limit of 8 retries', async () => {
    const busy = { status: 502, body: problem('x', 502) };
    fixture.reply(...Array.from({ length: 10 }, () => busy));
    await failure(transport({ limit: DEFAULT_RETRY.limit })(get));
    expect(fixture.requests).toHaveLength(9);
  });
});

describe('createTransport: Retry-After', () => {
  it('waits the seconds of Retry-After', async () => {
    fixture.reply({ status: 429, body: problem('rate-limited', 429), headers: { 'retry-after': '1' } }, { status: 200, body: {} });
    await transport()(get);
    const [first, second] = fixture.requests;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
  });

  it('waits until an HTTP date in Retry-After', async () => {
    const date = new Date(Date.now() + 2000).toUTCString();
    fixture.reply({ status: 503, body: problem('unavailable', 503), headers: { 'retry-after': date } }, { status: 200 });
    await transport()(get);
    const [first, second] = fixture.requests;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(900);
  });

  it('gives up at once when Retry-After exceeds maxRetryAfter, saying when to come back', async () => {
    fixture.reply({ status: 429, body: problem('rate-limited', 429), headers: { 'retry-after': '120' } });
    const started = Date.now();
    const error = await failure(transport()(get));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(isReferralApiError(error, 'RateLimitError')).toBe(true);
    if (isReferralApiError(error, 'RateLimitError')) expect(error.retryAfter).toBe(120);
    expect(fixture.requests).toHaveLength(1);
  });

  it('gives up when the wait would pass the total deadline', async () => {
    fixture.reply({ status: 503, body: problem('unavailable', 503), headers: { 'retry-after': '5' } });
    const started = Date.now();
    const error = await failure(transport({}, { total: 2000 })(get));
    expect(error.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('createTransport: timeouts and cancellation', () => {
  it('times out a stalled attempt and retries it', async () => {
    fixture.reply({ action: 'stall' }, { status: 200, body: { ok: 2 } });
    const started = Date.now();
    const result = await transport({}, { attempt: 300 })(post);
    expect(result.body).toEqual({ ok: 2 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(fixture.requests).toHaveLength(2);
    expect(fixture.requests[1]?.headers['idempotency-key']).toBe('key-1');
  });

  it('times out an attempt whose body stalls after the headers', async () => {
    fixture.reply({ status: 200, body: { long: 'x'.repeat(100) }, stallBody: true }, { status: 200, body: { ok: 3 } });
    const result = await transport({}, { attempt: 300 })(get);
    expect(result.body).toEqual({ ok: 3 });
    expect(fixture.requests).toHaveLength(2);
  });

  it('reports a TimeoutError of kind attempt when every attempt stalls', async () => {
    fixture.reply({ action: 'stall' }, { action: 'stall' });
    const error = await failure(transport({ limit: 1 }, { attempt: 150 })(get));
    expect(isReferralApiError(error, 'TimeoutError')).toBe(true);
    if (isReferralApiError(error, 'TimeoutError')) {
      expect(error.kind).toBe('attempt');
      expect(error.timeout).toBe(150);
    }
    expect(fixture.requests).toHaveLength(2);
  });

  it('ends the call at the total deadline', async () => {
    fixture.handle(() => ({ action: 'stall' }));
    const started = Date.now();
    const error = await failure(transport({}, { attempt: 200, total: 700 })(get));
    const elapsed = Date.now() - started;
    fixture.handle(() => undefined);
    expect(isReferralApiError(error, 'TimeoutError')).toBe(true);
    if (isReferralApiError(error, 'TimeoutError')) expect(error.kind).toBe('deadline');
    expect(elapsed).toBeGreaterThanOrEqual(650);
    expect(elapsed).toBeLessThan(1500);
    expect(fixture.requests.length).toBeGreaterThanOrEqual(3);
  });

  it('rejects with the signal reason at once when aborted mid-request', async () => {
    fixture.reply({ action: 'stall' });
    const controller = new AbortController();
    const reason = new Error('user left the page');
    setTimeout(() => controller.abort(reason), 100);
    const started = Date.now();
    await expect(transport()({ ...get, signal: controller.signal })).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('rejects with the signal reason at once when aborted mid-backoff', async () => {
    fixture.reply({ status: 503, body: problem('unavailable', 503), headers: { 'retry-after': '10' } }, { status: 200 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const started = Date.now();
    const error = await transport()({ ...post, signal: controller.signal }).catch((reason: unknown) => reason);
    expect(error).toBe(controller.signal.reason);
    expect((error as Error).name).toBe('AbortError');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(fixture.requests).toHaveLength(1);
  });

  it('sends nothing when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled'));
    await expect(transport()({ ...get, signal: controller.signal })).rejects.toThrow('cancelled');
    expect(fixture.requests).toHaveLength(0);
  });
});

describe('createTransport: errors and hooks', () => {
  it('builds an actionable error from a problem document', async () => {
    fixture.reply({
      status: 422,
      body: problem('validation', 422, {
        invalid_params: [{ name: 'categories[0]', reason: 'Invalid option' }],
        request_id: 'req_body',
      }),
      headers: { 'x-request-id': 'req_header' },
    });
    const error = await failure(transport()(post));
    expect(error.message).toBe(`POST ${fixture.url}/v1/reports failed: 422 Unprocessable Content — categories[0]: Invalid option`);
    expect(isReferralApiError(error, 'ValidationError')).toBe(true);
    expect(error.requestId).toBe('req_header');
    expect(error.method).toBe('POST');
    expect(error.url).toBe(`${fixture.url}/v1/reports`);
    expect(error.problem?.invalid_params).toEqual([{ name: 'categories[0]', reason: 'Invalid option' }]);
    expect(error.code).toBe('validation');
  });

  it('says how many invalid fields there were when the server listed only the first of them', async () => {
    const listed = Array.from({ length: 50 }, (_, i) => ({ name: `k${i}`, reason: 'unknown field' }));
    fixture.reply({ status: 400, body: problem('validation', 400, { invalid_params: listed, invalid_params_total: 22_006 }) });
    const error = await failure(transport()(post));
    expect(error.message).toBe(
      `POST ${fixture.url}/v1/reports failed: 400 Bad Request — k0: unknown field; k1: unknown field; k2: unknown field (and 22003 more)`,
    );
    expect(error.problem?.invalid_params_total).toBe(22_006);
  });

  it('keeps the status when the error body is not a problem', async () => {
    fixture.reply({ status: 404, body: '<html>not here</html>' });
    const error = await failure(transport()(get));
    expect(isReferralApiError(error, 'NotFoundError')).toBe(true);
    expect(error.message).toBe(`GET ${fixture.url}/v1/cases failed: 404 Not Found`);
    expect(error.problem).toBeUndefined();
  });

  it('refuses a success body that is not JSON without retrying', async () => {
    fixture.reply({ status: 200, body: 'oops' }, { status: 200, body: {} });
    const error = await failure(transport()(get));
    expect(isReferralApiError(error, 'ResponseValidationError')).toBe(true);
    expect(fixture.requests).toHaveLength(1);
  });

  it('tells the hooks about attempts, responses and retries, with ids only', async () => {
    const seen: (RequestInfo | ResponseInfo | RetryInfo)[] = [];
    const hooks = {
      beforeRequest: (info: RequestInfo) => seen.push(info),
      afterResponse: (info: ResponseInfo) => seen.push(info),
      beforeRetry: (info: RetryInfo) => seen.push(info),
    };
    fixture.reply({ status: 503, body: problem('unavailable', 503), headers: { 'retry-after': '0' } }, { status: 201, body: {} });
    await transport({}, {}, hooks)(post);
    expect(seen.map((info) => ('delayMs' in info ? 'retry' : 'status' in info ? info.status : 'send'))).toEqual([
      'send',
      503,
      'retry',
      'send',
      201,
    ]);
    expect(seen[2]).toMatchObject({ reason: 503, delayMs: 0, attempt: 1, idempotencyKey: 'key-1' });
    expect(seen[4]).toMatchObject({ attempt: 2, operation: 'reports.create', requestId: 'req_fixture_2' });
    for (const info of seen) expect(JSON.stringify(info)).not.toContain('"id":"x"');
  });

  it('fails the call when a hook throws, without retrying', async () => {
    fixture.reply({ status: 200, body: {} });
    const boom = new Error('hook failed');
    const send = transport(
      {},
      {},
      {
        afterResponse: () => {
          throw boom;
        },
      },
    );
    await expect(send(get)).rejects.toBe(boom);
    expect(fixture.requests).toHaveLength(1);
  });
});
