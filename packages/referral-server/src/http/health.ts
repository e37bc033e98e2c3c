import type { Hono } from 'hono';
import { sql } from 'kysely';
import { limitPerClient, peerAddress } from './client-identity.js';
import type { AppEnv } from './env.js';
import { HttpProblem, problemResponse } from './http-problem.js';
import type { ServerContext } from './server-context.js';

/**
 * `GET /healthz` (liveness) and `GET /readyz` (readiness), kept apart (docs/decisions/0020-hardening.md).
 *
 * - `/healthz` answers a constant `ok`: no database query, no rate limit, nothing about the backend
 *   or demo mode. A load balancer polls it often, and an attacker learns nothing from it.
 * - `/readyz` checks that the database answers (503 if not). It costs a query, so it is rate
 *   limited per client address like the API, except for requests whose peer is one of the
 *   configured proxies (`trustProxy`): the load balancer's own polling is never refused.
 */
export function mountHealthRoutes(app: Hono<AppEnv>, ctx: ServerContext): void {
  app.get('/healthz', () => new Response('ok', { headers: { 'content-type': 'text/plain; charset=utf-8' } }));
  app.get('/readyz', async (c) => {
    const requestId = c.get('requestId');
    try {
      if (!ctx.trustedProxies.has(peerAddress(c))) await limitPerClient(c, ctx);
    } catch (error) {
      if (error instanceof HttpProblem) return problemResponse(error, requestId);
      throw error;
    }
    try {
      await sql`select 1`.execute(ctx.db);
    } catch {
      return problemResponse(
        new HttpProblem('unavailable', { detail: 'The database does not answer.', headers: { 'retry-after': '5' } }),
        requestId,
      );
    }
    return new Response('ready', { headers: { 'content-type': 'text/plain; charset=utf-8' } });
  });
}
