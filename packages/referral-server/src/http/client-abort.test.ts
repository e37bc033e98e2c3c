import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { describeEachBackend } from '@tahaffuz/test-kit';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { RequestLogEntry } from './server-context.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

describeEachBackend('clients that go away mid-request', (backend) => {
  let t: TestServer;
  const entries: RequestLogEntry[] = [];
  beforeAll(async () => {
    t = await startTestServer(backend, { log: (entry) => entries.push(entry) });
  });
  afterAll(async () => t?.stop());

  /** Sends the head and half a body of a report, then resets the connection. */
  const abandon = (requestId: string) =>
    new Promise<void>((resolve, reject) => {
      const { port } = new URL(t.server.url);
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(
          [
            'POST /v1/reports HTTP/1.1',
            `Host: 127.0.0.1:${port}`,
            `Authorization: Bearer ${t.keys.publishableKey}`,
            'Content-Type: application/json',
            `Idempotency-Key: ${randomUUID()}`,
            `X-Request-Id: ${requestId}`,
            'Content-Length: 5000',
            '',
            '{"id":"',
          ].join('\r\n'),
          () =>
            setImmediate(() => {
              socket.resetAndDestroy();
              resolve();
            }),
        );
      });
      socket.on('error', reject);
    });

  it('logs an abandoned request as aborted (499), never as a 500, and reports no server error', async () => {
    const stderr = vi.spyOn(process.stderr, 'write');
    try {
      const requestId = `abandon-${randomUUID()}`;
      await abandon(requestId);
      await vi.waitFor(() => expect(entries.some((entry) => entry.request_id === requestId)).toBe(true), { timeout: 10_000 });
      const entry = entries.find((e) => e.request_id === requestId);
      expect(entry).toMatchObject({ status: 499, aborted: true, route: '/v1/reports' });
      const reported = stderr.mock.calls.map(([chunk]) => String(chunk)).filter((line) => line.includes(requestId));
      expect(reported).toEqual([]);
    } finally {
      stderr.mockRestore();
    }
  });
});
