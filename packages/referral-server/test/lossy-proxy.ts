import { Agent, createServer, request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the proxy does with one request, decided by the seeded generator in arrival order. */
export type LossyFate = 'pass' | 'drop-request' | 'drop-response' | 'stall';

/** Options of {@link startLossyProxy}. */
export interface LossyProxyOptions {
  /** Base URL of the server behind the proxy, e.g. `http://127.0.0.1:8787`. */
  readonly target: string;
  /** Seed of the generator: the same seed gives the same sequence of fates. */
  readonly seed: number;
  /**
   * Share of requests whose socket is closed (reset) before anything is forwarded.
   * @default 0.1
   */
  readonly dropRequestRate?: number;
  /**
   * Share of requests forwarded and answered by the server (which has committed) whose client
   * socket is then reset instead of receiving the response.
   * @default 0.1
   */
  readonly dropResponseRate?: number;
  /**
   * Share of requests that are accepted and never answered; the socket stays open until the
   * client gives up or the proxy closes.
   * @default 0.02
   */
  readonly stallRate?: number;
}

/** Counters kept by a running proxy. */
export interface LossyProxyStats {
  /** Requests received from clients. */
  readonly requests: number;
  readonly passed: number;
  readonly droppedRequests: number;
  readonly droppedResponses: number;
  readonly stalled: number;
  /** Requests the server could not be reached for (the client socket is reset). */
  readonly upstreamErrors: number;
  /** Why, for each of them (error code and message). */
  readonly upstreamFailures: readonly string[];
}

/** A running lossy proxy. */
export interface LossyProxy {
  /** Base URL clients connect to (127.0.0.1, ephemeral port). */
  readonly url: string;
  /** The fate of every request so far, in arrival order. */
  readonly fates: readonly LossyFate[];
  stats(): LossyProxyStats;
  /** Stops listening and destroys every open client and upstream socket. */
  close(): Promise<void>;
}

/**
 * mulberry32: a small, fast 32-bit generator; statistically good enough to draw fates, and fully
 * determined by its seed.
 */
export function createPrng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Returns a function that draws the next fate from `seed` with the given rates. */
export function createFateDrawer(
  seed: number,
  rates: { dropRequestRate: number; dropResponseRate: number; stallRate: number },
): () => LossyFate {
  const { dropRequestRate, dropResponseRate, stallRate } = rates;
  for (const [name, rate] of Object.entries(rates)) {
    if (!(rate >= 0 && rate <= 1)) throw new RangeError(`${name} must be in [0, 1], got ${rate}`);
  }
  if (dropRequestRate + dropResponseRate + stallRate > 1) {
    throw new RangeError('the three rates must add up to at most 1');
  }
  const next = createPrng(seed);
  return () => {
    const u = next();
    if (u < dropRequestRate) return 'drop-request';
    if (u < dropRequestRate + dropResponseRate) return 'drop-response';
    if (u < dropRequestRate + dropResponseRate + stallRate) return 'stall';
    return 'pass';
  };
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

function endToEnd(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}

function readBody(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
    stream.on('aborted', () => reject(new Error('stream aborted')));
  });
}

function reset(socket: Socket): void {
  // A TCP RST, as a lost connection looks to the client; `destroy()` would send a polite FIN.
  if (!socket.destroyed) socket.resetAndDestroy();
}

/**
 * Starts an HTTP proxy on 127.0.0.1 in front of `target` that loses requests and responses and
 * stalls connections at seeded rates, to test that a client and server together lose and
 * duplicate nothing on a bad network.
 *
 * Fates are drawn per request in arrival order, so a run with one sequential client is fully
 * reproducible from its seed; with concurrent clients the sequence of fates is the same and only
 * which request meets which fate depends on scheduling.
 */
export async function startLossyProxy(options: LossyProxyOptions): Promise<LossyProxy> {
  const target = new URL(options.target);
  const drawFate = createFateDrawer(options.seed, {
    dropRequestRate: options.dropRequestRate ?? 0.1,
    dropResponseRate: options.dropResponseRate ?? 0.1,
    stallRate: options.stallRate ?? 0.02,
  });
  const fates: LossyFate[] = [];
  const counts = { passed: 0, droppedRequests: 0, droppedResponses: 0, stalled: 0, upstreamErrors: 0 };
  // A fresh upstream connection per request: reusing idle keep-alive sockets races the server's
  // keep-alive timeout (the server closes a socket just as the proxy reuses it), and that reset
  // would be the proxy's own loss, not one it chose.
  const upstreamAgent = new Agent({ keepAlive: false, maxSockets: 64 });
  const upstreamFailures: string[] = [];
  const sockets = new Set<Socket>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const fate = drawFate();
    fates.push(fate);
    const body = await readBody(req);
    if (fate === 'stall') {
      counts.stalled += 1;
      return; // accepted, read, never answered
    }
    if (fate === 'drop-request') {
      counts.droppedRequests += 1;
      reset(req.socket);
      return;
    }
    const upstream = await new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      const forwarded = httpRequest(
        {
          protocol: target.protocol,
          hostname: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: { ...endToEnd(req.headers), host: target.host, 'content-length': String(body.length) },
          agent: upstreamAgent,
        },
        (response) => {
          readBody(response).then(
            (responseBody) => resolve({ status: response.statusCode ?? 502, headers: response.headers, body: responseBody }),
            reject,
          );
        },
      );
      forwarded.on('error', reject);
      forwarded.end(body);
    }).catch((error: unknown) => {
      upstreamFailures.push(
        error instanceof Error ? `${(error as { code?: string }).code ?? error.name}: ${error.message}` : String(error),
      );
      return undefined;
    });
    if (upstream === undefined) {
      counts.upstreamErrors += 1;
      reset(req.socket);
      return;
    }
    if (fate === 'drop-response') {
      // The server has answered (and so committed); the client never learns it.
      counts.droppedResponses += 1;
      reset(req.socket);
      return;
    }
    counts.passed += 1;
    res.writeHead(upstream.status, { ...endToEnd(upstream.headers), 'content-length': String(upstream.body.length) });
    res.end(upstream.body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => reset(req.socket));
  });
  server.keepAliveTimeout = 30_000;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // A reset by the client (after its timeout) must not crash the proxy.
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    fates,
    stats: () => ({ requests: fates.length, ...counts, upstreamFailures: [...upstreamFailures] }),
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      upstreamAgent.destroy();
      await closed;
    },
  };
}
