import { Agent, request } from 'node:http';
import { benchReport } from './bench-server.js';

/**
 * A load generator's `POST /v1/reports` over `node:http` with keep-alive connections (what
 * autocannon and wrk do): a few times less CPU per request than `fetch`, so on a small machine
 * the clients leave the server the CPU it is being measured on.
 */
export function createLoadClient(
  url: string,
  key: string,
  connections: number,
): {
  create(id: string, i: number): Promise<void>;
  close(): void;
} {
  const target = new URL('/v1/reports', url);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  return {
    create(id, i) {
      const body = JSON.stringify(benchReport(id, i));
      return new Promise<void>((resolve, reject) => {
        const req = request(
          target,
          {
            method: 'POST',
            agent,
            headers: {
              authorization: `Bearer ${key}`,
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
              'idempotency-key': `bench-${id}`,
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => {
              if (res.statusCode === 201) resolve();
              else reject(new Error(`create answered ${res.statusCode}: ${Buffer.concat(chunks).toString('utf8').slice(0, 200)}`));
            });
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    },
    close: () => agent.destroy(),
  };
}
