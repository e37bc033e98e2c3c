import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { HttpBindings } from '@hono/node-server';
import { type ApiKey, can, toInvalidParams } from '@tahaffuz/referral-contract';
import { type Context, Hono } from 'hono';
import * as z from 'zod/mini';
import { isoAt } from '../clock.js';
import { requestHash, requestHashOfCanonical } from '../canonical-json.js';
import { claimIdempotencyKey, completeIdempotencyKey, releaseIdempotencyKey } from '../idempotency/idempotency-store.js';
import { findApiKey, originAllowedByAnyPublishableKey } from '../keys/api-keys.js';
import { hitRateLimit, type RateLimitOutcome } from '../rate-limit/rate-limiter.js';
import { asClientAbort, CLIENT_CLOSED_REQUEST, ClientAbortError } from './client-abort.js';
import { clientAddress, clientBucket, enforceRateLimit, limitPerClient, rateLimited } from './client-identity.js';
import type { AppEnv, IdempotencyState } from './env.js';
import { HttpProblem, problemResponse } from './http-problem.js';
import { type PreparedBody, prepareBody } from './prepare-body.js';
import { normaliseUuid } from './uuid-input.js';
import { matchRoute, pathAllowsPublishable, type RoutedOperation } from './operation-table.js';
import type { ServerContext } from './server-context.js';
import { responseHeadersFor, setHeaders } from './security-headers.js';
import { refuseNulInQuery } from './text-input.js';

/** What a handler receives: the validated input of one operation and the caller's key. */
export interface HandlerInput {
  readonly c: Context<AppEnv>;
  readonly ctx: ServerContext;
  readonly operation: RoutedOperation;
  readonly key: ApiKey;
  /** The body after schema validation. */
  readonly body: unknown;
  /** The body as parsed from JSON with its UUIDs lower-cased, before validation (its canonical form identifies a report). */
  readonly rawBody: unknown;
  /** `canonicalJson(rawBody)`, computed once per request (`undefined` without a body). */
  readonly canonicalBody: string | undefined;
  /**
   * The canonical form of the body as received, before its UUIDs were lower-cased: what rows and
   * stored responses made before that normalisation were identified by. Equals `canonicalBody`
   * when the body had no upper-case UUID.
   */
  readonly receivedCanonicalBody: string | undefined;
  readonly query: unknown;
  readonly params: { readonly id?: string };
  readonly requestId: string;
  readonly now: number;
  /** What the handler's {@link OperationPreparer} found before the transaction (`undefined` without one). */
  readonly prepared: unknown;
}

/**
 * Work an operation needs done before its transaction opens — a network look-up must not hold
 * SQLite's writer — given the request and its body text as read (neither authenticated nor
 * validated yet: the handler checks everything again). A failure counts as no result.
 */
export type OperationPreparer = (input: {
  readonly c: Context<AppEnv>;
  readonly ctx: ServerContext;
  readonly bodyText: string | undefined;
}) => Promise<unknown>;

/** Answers one operation. Throw an {@link HttpProblem} for anything but success. */
export type OperationHandler = ((input: HandlerInput) => Promise<Response>) & { readonly prepare?: OperationPreparer };

/** What @hono/node-server passes as the environment: the Node request and response. */
type NodeBindings = Partial<HttpBindings>;

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
const EXPOSED_HEADERS = 'X-Request-Id, Retry-After';
const ALLOWED_HEADERS = 'Authorization, Content-Type, Idempotency-Key, X-Request-Id';

/** A stored response body: JSON as it is (no personal data), or else sealed by the field cipher. */
function unseal(stored: string, decrypt: (body: string) => string): string {
  return stored.startsWith('{') || stored.startsWith('[') ? stored : decrypt(stored);
}

function tooLarge(maxBytes: number): HttpProblem {
  return new HttpProblem('payload-too-large', { detail: `The body may be at most ${maxBytes} bytes.` });
}

// Stateless between calls (no `stream: true`), so one decoder serves every request.
const UTF8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new HttpProblem('validation', { invalidParams: [{ name: '$', reason: 'the body is not valid UTF-8' }] });
  }
}

/**
 * The body straight from Node's request: building a WHATWG `Request` and its stream for it costs
 * more CPU than the rest of a small request's HTTP handling. Past `maxBytes` it stops listening;
 * the adapter drains and discards the rest once the answer is sent.
 */
function readIncomingText(incoming: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const cleanup = () => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onError);
      incoming.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total > maxBytes) {
        cleanup();
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      try {
        resolve(decodeUtf8(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
      } catch (error) {
        reject(error);
      }
    };
    const onError = (error: Error) => {
      cleanup();
      reject(asClientAbort(error));
    };
    const onClose = () => {
      cleanup();
      reject(new ClientAbortError());
    };
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onError);
    incoming.on('close', onClose);
  });
}

async function readBodyText(c: Context<AppEnv>, maxBytes: number): Promise<string> {
  const declared = c.req.header('content-length');
  if (declared !== undefined && Number(declared) > maxBytes) throw tooLarge(maxBytes);
  const incoming = (c.env as NodeBindings | undefined)?.incoming;
  if (incoming !== undefined && !incoming.readableEnded && !incoming.readableDidRead) return readIncomingText(incoming, maxBytes);
  const request = c.req.raw;
  if (request.body === null) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read().catch((error: unknown) => {
      throw asClientAbort(error);
    });
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return decodeUtf8(Buffer.concat(chunks));
}

function queryObject(url: URL): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  for (const name of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(name).map((value) => normaliseUuid(value, name));
    out[name] = values.length === 1 ? (values[0] ?? '') : values;
  }
  return { ...out };
}

function validate(schema: z.core.$ZodType, value: unknown, where: 'body' | 'query'): unknown {
  const result = z.safeParse(schema, value);
  if (result.success) return result.data;
  throw new HttpProblem('validation', {
    detail: where === 'query' ? 'Query parameters are not valid.' : 'The request body is not valid.',
    invalidParams: toInvalidParams(result.error),
  });
}

/** The CORS headers of an answer readable by `origin`. */
function corsHeaders(origin: string): Record<string, string> {
  return { 'access-control-allow-origin': origin, 'access-control-expose-headers': EXPOSED_HEADERS, vary: 'Origin' };
}

function withHeaders(response: Response, headers: Record<string, string>): Response {
  // A copy turns a string body into a stream the Node adapter must pump: only copy when needed.
  if (Object.keys(headers).length === 0) return response;
  const copy = new Response(response.body, response);
  for (const [name, value] of Object.entries(headers)) copy.headers.set(name, value);
  return copy;
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** The body as read off the network and prepared (before any lock is taken), or why it could not be. */
type PreRead = { readonly prepared: PreparedBody } | { readonly error: unknown } | undefined;

/**
 * One operation. The body is read, parsed and validated first, outside any transaction: a slow
 * client or a costly body must never hold a lock. On SQLite the rest — limits, auth, the idempotency claim, the work, the stored response —
 * then runs in one savepoint of a `begin immediate` transaction shared with the requests queued
 * with it (group commit, decision 0010): one WAL sync per group instead of four per request, and since
 * SQLite has one writer at a time no other process could observe the claim in between anyway. The
 * answer waits for the commit. On PostgreSQL the claim commits on its own, so other processes see
 * it in flight.
 */
async function runOperation(
  c: Context<AppEnv>,
  ctx: ServerContext,
  operation: RoutedOperation,
  params: { id?: string },
  handlers: Readonly<Record<string, OperationHandler>>,
  origin: string | undefined,
): Promise<Response> {
  let preRead: PreRead;
  if (operation.request !== undefined && JSON_TYPE.test(c.req.header('content-type') ?? '')) {
    try {
      preRead = { prepared: prepareBody(operation.request, await readBodyText(c, ctx.maxBodyBytes)) };
    } catch (error) {
      preRead = { error };
    }
  }
  const prepare = handlers[operation.id]?.prepare;
  const prepared =
    prepare === undefined
      ? undefined
      : await prepare({ c, ctx, bodyText: preRead !== undefined && 'prepared' in preRead ? preRead.prepared.text : undefined }).catch(
          () => undefined,
        );
  if (ctx.groupCommit === undefined)
    return afterCommit(c, ctx, await runOperationIn(c, ctx, operation, params, handlers, origin, preRead, prepared));
  const requestId = c.get('requestId');
  // Refusals (401, 403, 429, 400) commit too: the rate-limit hits they made must count.
  const response = await ctx.groupCommit.run((trx) =>
    runOperationIn(c, { ...ctx, db: trx }, operation, params, handlers, origin, preRead, prepared).catch((error: unknown) => {
      if (error instanceof HttpProblem || error instanceof ClientAbortError) return errorResponse(error, requestId);
      throw error;
    }),
  );
  return afterCommit(c, ctx, response);
}

// An erasure's old content leaves the WAL once the erasure committed, before the client hears of it.
function afterCommit(c: Context<AppEnv>, ctx: ServerContext, response: Response): Response {
  if (c.get('checkpointWal') === true) ctx.checkpointWal?.();
  return response;
}

async function runOperationIn(
  c: Context<AppEnv>,
  ctx: ServerContext,
  operation: RoutedOperation,
  params: { id?: string },
  handlers: Readonly<Record<string, OperationHandler>>,
  origin: string | undefined,
  preRead: PreRead,
  prepared: unknown,
): Promise<Response> {
  const requestId = c.get('requestId');
  const limits = ctx.rateLimit;
  const client = limits === false ? '' : clientBucket(ctx, clientAddress(c, ctx));
  if (limits !== false) await enforceRateLimit(ctx, `client:${client}`, limits.perClient);

  const authorization = c.req.header('authorization') ?? '';
  const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
  const key = token === undefined ? undefined : await findApiKey(ctx.db, token);
  if (key === undefined) {
    throw new HttpProblem('unauthorized', {
      detail: 'Send a valid, unrevoked API key as "Authorization: Bearer tz_…".',
      headers: { 'www-authenticate': 'Bearer' },
    });
  }
  c.set('apiKey', key);
  if (!operation.keys.includes(key.kind)) {
    throw new HttpProblem('forbidden', { detail: `A ${key.kind} key cannot call ${operation.id}.` });
  }
  if (key.kind === 'publishable') {
    if (origin !== undefined && !key.allowed_origins.includes(origin)) {
      throw new HttpProblem('forbidden', { detail: 'This publishable key is not allowed from this origin.' });
    }
  } else if (key.role === null || !can(key.role, operation.action)) {
    throw new HttpProblem('forbidden', { detail: `Role ${key.role ?? 'none'} may not ${operation.action}.` });
  }
  // A publishable key is used by the whole country: each address has its own budget with it, so an
  // abusive client spends its own budget only (refusals included), never a genuine reporter's.
  let sender: RateLimitOutcome | undefined;
  if (limits !== false) {
    sender =
      key.kind === 'publishable'
        ? await enforceRateLimit(ctx, `pk:${key.id}:${client}`, limits.perPublishableClient)
        : await enforceRateLimit(ctx, `key:${key.id}`, limits.perKey);
  }

  const idempotencyKey = c.req.header('idempotency-key');
  if (operation.method === 'POST') {
    if (idempotencyKey === undefined || !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new HttpProblem(idempotencyKey === undefined ? 'idempotency-key-missing' : 'validation', {
        detail: 'Every POST needs an Idempotency-Key header of 1 to 255 printable ASCII characters (a UUID is best).',
        ...(idempotencyKey === undefined
          ? {}
          : { invalidParams: [{ name: 'Idempotency-Key', reason: 'must be 1 to 255 printable ASCII characters' }] }),
      });
    }
  }

  let rawText = '';
  let rawBody: unknown;
  let canonicalBody: string | undefined;
  let receivedCanonicalBody: string | undefined;
  let body: unknown;
  if (operation.request !== undefined) {
    if (preRead === undefined) {
      throw new HttpProblem('unsupported-media-type', { detail: 'Send the body as Content-Type: application/json.' });
    }
    if ('error' in preRead) throw preRead.error;
    ({ text: rawText, parsed: rawBody, body, canonical: canonicalBody, receivedCanonical: receivedCanonicalBody } = preRead.prepared);
  }
  const url = c.get('url');
  refuseNulInQuery(url.searchParams);
  const pathParams = params.id === undefined ? params : { id: normaliseUuid(params.id, 'id') };
  const query = operation.query === undefined ? undefined : validate(operation.query, queryObject(url), 'query');
  if (operation.query === undefined && url.searchParams.size > 0) {
    throw new HttpProblem('validation', {
      detail: 'This operation takes no query parameters.',
      invalidParams: [...new Set(url.searchParams.keys())].map((name) => ({ name, reason: 'unknown query parameter' })),
    });
  }
  if (limits !== false && key.kind === 'publishable' && sender !== undefined) {
    // Only valid requests reach the key's shared ceiling: a refused one costs its sender alone.
    const ceiling = limits.publishableCeiling;
    const overall = await hitRateLimit(ctx.db, `key:${key.id}`, ceiling, ctx.clock);
    if (!overall.allowed && sender.count > ceiling.clientAllowance) {
      throw rateLimited(
        ceiling,
        overall,
        `This key is receiving unusually many requests; each address may send ${ceiling.clientAllowance} per ${ceiling.windowMs / 1000} s until it calms down.`,
      );
    }
  }

  let idempotency: IdempotencyState | undefined;
  if (operation.method === 'POST' && idempotencyKey !== undefined) {
    const hash =
      canonicalBody === undefined
        ? requestHash(operation.method, url.pathname, rawText)
        : requestHashOfCanonical(operation.method, url.pathname, canonicalBody);
    let claim = await claimIdempotencyKey(ctx.db, key.id, idempotencyKey, hash, { leaseMs: ctx.leaseMs, clock: ctx.clock });
    if (claim.kind === 'mismatch' && receivedCanonicalBody !== undefined && receivedCanonicalBody !== canonicalBody) {
      // Stored before UUIDs were normalised: it is identified by the body as it was received.
      const receivedHash = requestHashOfCanonical(operation.method, url.pathname, receivedCanonicalBody);
      claim = await claimIdempotencyKey(ctx.db, key.id, idempotencyKey, receivedHash, { leaseMs: ctx.leaseMs, clock: ctx.clock });
    }
    const sealContext = `idempotency_keys.response_body:${key.id}:${idempotencyKey}`;
    switch (claim.kind) {
      case 'mismatch':
        throw new HttpProblem('idempotency-key-reused', {
          detail: 'This Idempotency-Key was first used with a different request body; use a new key for a new request.',
        });
      case 'in_flight':
        throw new HttpProblem('idempotency-in-flight', {
          detail: 'The first request with this Idempotency-Key is still running; retry shortly with the same key.',
          headers: { 'retry-after': String(claim.retryAfterSeconds) },
        });
      case 'replay':
        return new Response(
          unseal(claim.response.body, (body) => ctx.cipher.decrypt(body, sealContext)),
          {
            status: claim.response.status,
            headers: { ...claim.response.headers, 'idempotent-replayed': 'true' },
          },
        );
      case 'claimed':
        idempotency = {
          scope: key.id,
          key: idempotencyKey,
          leaseToken: claim.leaseToken,
          claimedAt: isoAt(ctx.clock()),
          seal: (text) => ctx.cipher.encrypt(text, sealContext),
          completed: false,
        };
    }
  }
  c.set('idempotency', idempotency);

  const handler = handlers[operation.id];
  let response: Response;
  try {
    if (handler === undefined) {
      throw new HttpProblem('not-found', { detail: `${operation.id} is not implemented by this server yet.` });
    }
    response = await handler({
      c,
      ctx,
      operation,
      key,
      body,
      rawBody,
      canonicalBody,
      receivedCanonicalBody,
      query,
      params: pathParams,
      requestId,
      now: ctx.clock(),
      prepared,
    });
  } catch (error) {
    response = errorResponse(error, requestId, ctx);
  }
  if (idempotency !== undefined && !idempotency.completed) {
    if (response.status >= 500) {
      await releaseIdempotencyKey(ctx.db, idempotency.scope, idempotency.key, idempotency.leaseToken);
    } else {
      const text = await response.clone().text();
      const headers: Record<string, string> = { 'content-type': response.headers.get('content-type') ?? 'application/json' };
      const retryAfter = response.headers.get('retry-after');
      if (retryAfter !== null) headers['retry-after'] = retryAfter;
      if (response.status === 409 || response.status === 429) {
        // Conflicts that may clear (in flight, rate limited) are not final answers: let a retry run.
        await releaseIdempotencyKey(ctx.db, idempotency.scope, idempotency.key, idempotency.leaseToken);
      } else {
        await completeIdempotencyKey(ctx.db, idempotency.scope, idempotency.key, idempotency.leaseToken, {
          status: response.status,
          headers,
          body: idempotency.seal(text),
        });
      }
    }
  }
  return response;
}

function errorResponse(error: unknown, requestId: string, ctx?: ServerContext): Response {
  if (error instanceof HttpProblem) return problemResponse(error, requestId);
  // Nobody is there to read an answer, and nothing failed here: logged as aborted, not reported.
  if (error instanceof ClientAbortError) return new Response(null, { status: CLIENT_CLOSED_REQUEST });
  ctx?.reportError(requestId, error);
  return problemResponse(
    new HttpProblem('internal', { detail: `Something failed on the server; quote request id ${requestId} when reporting it.` }),
    requestId,
  );
}

/** Options of {@link createApp} beyond the server context. */
export interface CreateAppOptions {
  readonly handlers: Readonly<Record<string, OperationHandler>>;
  /** Extra plain routes (health, OpenAPI, static files) mounted before the API. */
  readonly extraRoutes?: (app: Hono<AppEnv>) => void;
}

/** The Hono application of the referral API. */
export function createApp(ctx: ServerContext, options: CreateAppOptions): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.use('*', async (c, next) => {
    const started = performance.now();
    const incoming = c.req.header('x-request-id');
    const requestId = incoming !== undefined && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    c.set('requestId', requestId);
    const url = new URL(c.req.url);
    c.set('url', url);
    c.set('routeTemplate', url.pathname.startsWith('/v1/') ? '/v1/(unmatched)' : url.pathname);
    await next();
    c.res.headers.set('x-request-id', requestId);
    setHeaders(c.res, responseHeadersFor(url.pathname));
    const key = c.get('apiKey') as ApiKey | undefined;
    const operation = c.get('operationId') as string | undefined;
    ctx.log({
      request_id: requestId,
      method: c.req.method,
      route: c.get('routeTemplate'),
      status: c.res.status,
      duration_ms: Math.round((performance.now() - started) * 10) / 10,
      ...(key === undefined ? {} : { key_id: key.id }),
      ...(operation === undefined ? {} : { operation }),
      ...(c.res.status === CLIENT_CLOSED_REQUEST ? { aborted: true as const } : {}),
    });
  });

  options.extraRoutes?.(app);

  app.all('/v1/*', async (c) => {
    const requestId = c.get('requestId');
    const url = c.get('url');
    const originHeader = c.req.header('origin');
    const publishablePath = pathAllowsPublishable(url.pathname);

    if (c.req.method === 'OPTIONS') {
      // Preflights cost a lookup each and come before any key: they have their address's budget.
      try {
        await limitPerClient(c, ctx);
      } catch (error) {
        if (error instanceof HttpProblem) return problemResponse(error, requestId);
        throw error;
      }
      if (originHeader === undefined || !publishablePath) {
        return problemResponse(
          new HttpProblem('forbidden', { detail: 'Only the report endpoint may be called from a browser.' }),
          requestId,
        );
      }
      /*
       * Any page may ask: whether its origin is allowed is the publishable key's to say, on the
       * request itself, where a refusal is a 403 the page can read (the form tells its owner that
       * its key does not allow this page). The preflight alone grants nothing.
       */
      return new Response(null, {
        status: 204,
        headers: {
          ...corsHeaders(originHeader),
          'access-control-allow-methods': 'POST',
          'access-control-allow-headers': ALLOWED_HEADERS,
          'access-control-max-age': '600',
        },
      });
    }

    const corsOrigin =
      originHeader !== undefined && publishablePath && (await originAllowedByAnyPublishableKey(ctx.db, originHeader))
        ? originHeader
        : undefined;
    const cors: Record<string, string> = corsOrigin === undefined ? {} : corsHeaders(corsOrigin);

    const match = matchRoute(c.req.method, url.pathname);
    if (match.kind === 'not-found') {
      return problemResponse(new HttpProblem('not-found', { detail: 'No such endpoint.' }), requestId, cors);
    }
    if (match.kind === 'method-not-allowed') {
      return problemResponse(new HttpProblem('method-not-allowed'), requestId, { ...cors, allow: match.allow.join(', ') });
    }
    c.set('routeTemplate', match.operation.path);
    c.set('operationId', match.operation.id);
    let response: Response;
    try {
      response = await runOperation(c, ctx, match.operation, match.params, options.handlers, originHeader);
    } catch (error) {
      response = errorResponse(error, requestId, ctx);
    }
    const key = c.get('apiKey') as ApiKey | undefined;
    const keyRefusesOrigin = key?.kind === 'publishable' && originHeader !== undefined && !key.allowed_origins.includes(originHeader);
    // The refusal itself is readable by the refused page: it says only that this key does not allow it.
    if (keyRefusesOrigin) return withHeaders(response, corsHeaders(originHeader));
    return key?.kind === 'secret' ? response : withHeaders(response, cors);
  });

  app.notFound((c) => problemResponse(new HttpProblem('not-found', { detail: 'No such endpoint.' }), c.get('requestId')));
  app.onError((error, c) => errorResponse(error, c.get('requestId'), ctx));
  return app;
}
