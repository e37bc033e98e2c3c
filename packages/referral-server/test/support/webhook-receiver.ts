import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the receiver does with one attempt. */
export type ReceiverAnswer = 'fail' | 'hang' | 'accept';

/** One request the receiver got. */
export interface ReceivedAttempt {
  /** The request's path and query. */
  readonly url: string;
  readonly id: string | undefined;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  readonly answer: ReceiverAnswer;
}

/** A local webhook receiver on 127.0.0.1 whose answers a test scripts. */
export interface WebhookReceiver {
  readonly url: string;
  readonly attempts: ReceivedAttempt[];
  /** How to answer the next attempts, in order; once used up, `fallback`. */
  script: ReceiverAnswer[];
  fallback: ReceiverAnswer;
  /** Resolves when the receiver has seen `n` attempts. */
  waitForAttempts(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts a webhook receiver on 127.0.0.1 with a free port. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const attempts: ReceivedAttempt[] = [];
  const hanging = new Set<ServerResponse>();
  const waiters: Array<() => void> = [];
  const receiver = {
    url: '',
    attempts,
    script: [] as ReceiverAnswer[],
    fallback: 'accept' as ReceiverAnswer,
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const answer = receiver.script.shift() ?? receiver.fallback;
      const id = request.headers['webhook-id'];
      attempts.push({
        url: request.url ?? '',
        id: typeof id === 'string' ? id : undefined,
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        answer,
      });
      for (const wake of waiters.splice(0)) wake();
      if (answer === 'fail') response.writeHead(500).end('receiver failing on purpose');
      else if (answer === 'accept') response.writeHead(204).end();
      else {
        hanging.add(response);
        response.on('close', () => hanging.delete(response));
      }
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/tahaffuz`;
  return Object.assign(receiver, {
    async waitForAttempts(n: number, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (attempts.length < n) {
        if (Date.now() > deadline) throw new Error(`the receiver saw ${attempts.length} attempts, not ${n}, within ${timeoutMs} ms`);
        await new Promise<void>((wake) => {
          waiters.push(wake);
          setTimeout(wake, 200).unref();
        });
      }
    },
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  });
}
