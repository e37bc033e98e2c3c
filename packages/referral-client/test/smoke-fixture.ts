import type { HttpFixture, Reply } from './http-fixture.js';
import { problem } from './http-fixture.js';
import * as sample from './samples.js';

/** Files the fixture serves besides the API, e.g. the page and bundle for Chromium. */
export type StaticFiles = Readonly<Record<string, { readonly type: string; readonly body: string }>>;

/**
 * Makes the fixture answer what `runtime-smoke.mjs` asks: the first attempt of each POST gets
 * 503 (Retry-After: 0) and the retry the receipt of the id it carries; cases in two pages; 404
 * for a case; and the static files.
 */
export function serveSmoke(fixture: HttpFixture, files: StaticFiles = {}): void {
  const seenKeys = new Set<string>();
  const second = { ...sample.kase, id: '11111111-1111-4111-8111-111111111111' };
  fixture.handle((request): Reply => {
    const file = files[request.url.pathname];
    if (file !== undefined) return { status: 200, body: file.body, headers: { 'content-type': file.type } };
    if (request.method === 'POST' && request.url.pathname === '/v1/reports') {
      const key = String(request.headers['idempotency-key']);
      if (!seenKeys.has(key)) {
        seenKeys.add(key);
        return { status: 503, body: problem('unavailable', 503), headers: { 'retry-after': '0' } };
      }
      const { id } = JSON.parse(request.body) as { id: string };
      return { status: 201, body: { ...sample.receipt, id } };
    }
    if (request.method === 'GET' && request.url.pathname === '/v1/cases') {
      return request.url.searchParams.get('page_token') === 'page-2'
        ? { status: 200, body: sample.page([second], null) }
        : { status: 200, body: sample.page([sample.kase], 'page-2') };
    }
    if (request.method === 'GET' && request.url.pathname.startsWith('/v1/cases/')) {
      return { status: 404, body: problem('not-found', 404) };
    }
    return { status: 404, body: `no route for ${request.method} ${request.path}` };
  });
}

/** What every runtime must have seen (`runtime` and the generated id aside). */
export const SMOKE_EXPECTED = {
  caseIds: [sample.IDS.case, '11111111-1111-4111-8111-111111111111'],
  notFound: { guard: true, name: 'NotFoundError', status: 404, code: 'not-found' },
  keyScope: { guard: true, name: 'KeyScopeError', status: null, requestId: null, code: null },
  vector: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
  eventType: 'referral.accepted',
  tampered: { guard: true, name: 'WebhookVerificationError', status: null, requestId: null, code: null },
};
