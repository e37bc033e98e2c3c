import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the fixture received it. */
export interface RecordedRequest {
  readonly method: string;
  /** Path and query, e.g. `/v1/cases?status=open`. */
  readonly path: string;
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** Milliseconds since the fixture started, when the request arrived. */
  readonly at: number;
}

/** What the fixture does with one request. */
export type Reply =
  | {
      readonly status: number;
      readonly body?: unknown;
      readonly headers?: Readonly<Record<string, string>>;
      /** Wait before answering. */
      readonly delayMs?: number;
      /** Send the headers, then stall without ever finishing the body. */
      readonly stallBody?: boolean;
    }
  /** Close the connection without answering: a network error for the client. */
  | { readonly action: 'destroy' }
  /** Never answer (until the fixture closes). */
  | { readonly action: 'stall' };

/** Answers every request that has no scripted reply (e.g. serving files). */
export type Handler = (request: RecordedRequest) => Reply | undefined;

/** A scripted HTTP server on loopback: each test says what it answers and reads what it got. */
export interface HttpFixture {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Queues replies, answered in order to the next requests. */
  reply(...replies: Reply[]): void;
  /** Sets the answer for requests when the queue is empty. */
  handle(handler: Handler): void;
  /** Forgets recorded requests and queued replies. */
  reset(): void;
  close(): Promise<void>;
}

function contentType(reply: { status: number; body?: unknown }): string {
  if (typeof reply.body === 'string') return 'text/plain; charset=utf-8';
  const isProblem = reply.status >= 400 && typeof reply.body === 'object' && reply.body !== null && 'type' in reply.body;
  return isProblem ? 'application/problem+json' : 'application/json';
}

/** A problem body as the reference server would send it. */
export function problem(slug: string, status: number, extra: Record<string, unknown> = {}) {
  return { type: `https://tahaffuz.dev/problems/${slug}`, title: slug, status, ...extra };
}

/** Starts a fixture on 127.0.0.1 and a free port. */
export async function startHttpFixture(): Promise<HttpFixture> {
  const started = Date.now();
  const queue: Reply[] = [];
  const requests: RecordedRequest[] = [];
  let handler: Handler | undefined;
  let counter = 0;

  const answer = (reply: Reply, response: ServerResponse, request: IncomingMessage) => {
    if ('action' in reply) {
      if (reply.action === 'destroy') request.socket.destroy();
      return;
    }
    counter += 1;
    const body = reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    response.writeHead(reply.status, {
      'content-type': contentType(reply),
      'x-request-id': `req_fixture_${counter}`,
      ...reply.headers,
    });
    if (reply.stallBody === true) {
      response.write(body.slice(0, Math.floor(body.length / 2)));
      return;
    }
    response.end(body);
  };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const recorded: RecordedRequest = {
        method: request.method ?? 'GET',
        path: url.pathname + url.search,
        url,
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now() - started,
      };
      requests.push(recorded);
      const reply = queue.shift() ??
        handler?.(recorded) ?? {
          status: 599,
          body: problem('fixture-unscripted', 599, { detail: `No reply scripted for ${recorded.method} ${recorded.path}` }),
        };
      const delay = 'delayMs' in reply ? (reply.delayMs ?? 0) : 0;
      if (delay > 0) setTimeout(() => answer(reply, response, request), delay);
      else answer(reply, response, request);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reply: (...replies) => queue.push(...replies),
    handle: (next) => {
      handler = next;
    },
    reset: () => {
      queue.length = 0;
      requests.length = 0;
      counter = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
