import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the receiver does with one attempt: 500, no answer, 204, or a 302 to `/redirected` on itself. */
export type ReceiverAnswer = 'fail' | 'hang' | 'accept' | 'redirect';

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
  /** The port it listens on. */
  readonly port: number;
  readonly attempts: ReceivedAttempt[];
  /** How to answer the next attempts, in order; once used up, `fallback`. */
  script: ReceiverAnswer[];
  fallback: ReceiverAnswer;
  /** When set, answers by the request's path and query before `script` and `fallback` are asked. */
  answerFor: ((url: string) => ReceiverAnswer) | undefined;
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
    port: 0,
    attempts,
    script: [] as ReceiverAnswer[],
    fallback: 'accept' as ReceiverAnswer,
    answerFor: undefined as ((url: string) => ReceiverAnswer) | undefined,
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const answer = receiver.answerFor?.(request.url ?? '') ?? receiver.script.shift() ?? receiver.fallback;
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
      else if (answer === 'redirect') response.writeHead(302, { location: '/redirected' }).end();
      else {
        hanging.add(response);
        response.on('close', () => hanging.delete(response));
      }
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  receiver.port = (server.address() as AddressInfo).port;
  receiver.url = `http://127.0.0.1:${receiver.port}/hooks/tahaffuz`;
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
