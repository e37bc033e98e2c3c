import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { PROBLEM_TYPES } from '@tahaffuz/referral-contract';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '@tahaffuz/test-kit';
import { sampleReport, startTestServer, type TestServer } from '../test-support/test-server.js';

interface Answer {
  readonly status: number;
  readonly body: string;
  readonly socket: unknown;
}

/*
 * The body is read from Node's request, not through a WHATWG stream: these pin what that path must
 * keep — chunked bodies of any split, the size limit without a Content-Length, and a keep-alive
 * connection that stays usable after a refused body.
 */
describeEachBackend('request bodies over keep-alive connections', (backend) => {
  let t: TestServer;
  let agent: Agent;
  beforeAll(async () => {
    t = await startTestServer(backend, { maxBodyBytes: 64 * 1024 });
    agent = new Agent({ keepAlive: true, maxSockets: 1 });
  });
  afterAll(async () => {
    agent?.destroy();
    await t?.stop();
  });

  const post = (chunks: readonly (string | Uint8Array)[], declareLength: boolean) =>
    new Promise<Answer>((resolve, reject) => {
      const total = chunks.reduce((n, chunk) => n + Buffer.byteLength(chunk), 0);
      const req = request(`${t.server.url}/v1/reports`, {
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${t.keys.publishableKey}`,
          'content-type': 'application/json',
          'idempotency-key': randomUUID(),
          ...(declareLength ? { 'content-length': String(total) } : {}),
        },
      });
      req.on('response', (res) => {
        const parts: Buffer[] = [];
        res.on('data', (part: Buffer) => parts.push(part));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8'), socket: req.socket }));
      });
      req.on('error', reject);
      const write = (i: number) => {
        if (i === chunks.length) {
          req.end();
          return;
        }
        req.write(chunks[i] as string | Uint8Array, () => setImmediate(() => write(i + 1)));
      };
      write(0);
    });

  const split = (text: string, pieces: number): string[] => {
    const size = Math.ceil(text.length / pieces);
    return Array.from({ length: pieces }, (_, i) => text.slice(i * size, (i + 1) * size)).filter((piece) => piece !== '');
  };

  it('reads a chunked body in many pieces, multi-byte characters split across them', async () => {
    const report = sampleReport({ narrative: 'اینٹوں کے بھٹے پر بچے — '.repeat(40) });
    const bytes = Buffer.from(JSON.stringify(report), 'utf8');
    // Cut the bytes (not the characters) so that some pieces end inside an Urdu letter.
    const pieces = Array.from({ length: 13 }, (_, i) =>
      bytes.subarray(Math.floor((i * bytes.length) / 13), Math.floor(((i + 1) * bytes.length) / 13)),
    );
    const answer = await post(pieces, false);
    expect(answer.status).toBe(201);
    expect(JSON.parse(answer.body)).toMatchObject({ id: report['id'] });
  });

  it('refuses a body past the limit without a Content-Length, stores nothing, and serves the next request on the same connection', async () => {
    const report = sampleReport({ narrative: 'x'.repeat(100 * 1024) });
    const refused = await post(split(JSON.stringify(report), 20), false);
    expect(refused.status).toBe(413);
    expect(JSON.parse(refused.body)).toMatchObject({ type: PROBLEM_TYPES['payload-too-large'] });
    const next = await post([JSON.stringify(sampleReport())], true);
    expect(next.status).toBe(201);
    const stored = await t.server.database.db.selectFrom('reports').select('id').where('id', '=', String(report['id'])).execute();
    expect(stored).toEqual([]);
  });

  it('refuses a declared length past the limit before reading, and an invalid UTF-8 body with a field path', async () => {
    const declared = await post([JSON.stringify(sampleReport({ narrative: 'y'.repeat(70 * 1024) }))], true);
    expect(declared.status).toBe(413);
    const invalid = await post([new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])], false);
    expect(invalid.status).toBe(400);
    expect(JSON.parse(invalid.body)).toMatchObject({ invalid_params: [{ name: '$', reason: 'the body is not valid UTF-8' }] });
  });
});
