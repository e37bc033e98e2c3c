import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isReferralServerError } from '../errors.js';
import { WebhookTargetPolicy, WebhookTargetRefused, WebhookTargetUnresolved } from './target-policy.js';

/** IPv4 ranges webhooks may never reach unless allow-listed: [network as a 32-bit number, prefix length]. */
const FORBIDDEN_V4: ReadonlyArray<readonly [number, number]> = [
  [0x00000000, 8], // this network
  [0x0a000000, 8], // private
  [0x64400000, 10], // carrier-grade NAT
  [0x7f000000, 8], // loopback
  [0xa9fe0000, 16], // link-local, cloud metadata
  [0xac100000, 12], // private
  [0xc0a80000, 16], // private
  [0xe0000000, 4], // multicast
  [0xf0000000, 4], // reserved, broadcast
];

const dotted = (n: number) => [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff].join('.');

/** An address inside one of the forbidden IPv4 ranges. */
const forbiddenV4 = fc
  .tuple(fc.constantFrom(...FORBIDDEN_V4), fc.integer({ min: 0, max: 0xffffffff }))
  .map(([[network, prefix], bits]) => (network | (bits >>> prefix)) >>> 0);

/** An address outside every special-purpose range (a sample of plainly public /8s). */
const publicV4 = fc
  .tuple(fc.constantFrom(1, 8, 23, 45, 81, 93, 104, 151, 185, 212), fc.integer({ min: 0, max: 0xffffff }))
  .map(([first, rest]) => ((first << 24) | rest) >>> 0);

/** The spellings a WHATWG URL parser reads as the same IPv4 address. */
function spellings(n: number): string[] {
  const [a, b, c, d] = [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
  const hex = (n >>> 0).toString(16).padStart(8, '0');
  return [
    dotted(n),
    String(n),
    `0x${hex}`,
    `0${a.toString(8)}.0${b.toString(8)}.0${c.toString(8)}.0${d.toString(8)}`,
    `${a}.${(b << 16) | (c << 8) | d}`,
    `${a}.${b}.${(c << 8) | d}`,
    `[::ffff:${dotted(n)}]`,
    `[::ffff:${hex.slice(0, 4)}:${hex.slice(4)}]`,
    `[64:ff9b::${dotted(n)}]`,
  ];
}

describe('webhook target policy', () => {
  const policy = new WebhookTargetPolicy();

  it('refuses every spelling of an address in a private, loopback, link-local, CGNAT, multicast or reserved range', () => {
    fc.assert(
      fc.property(forbiddenV4, (n) => {
        for (const host of spellings(n)) {
          expect(() => policy.checkUrl(`http://${host}/hook`, 'test'), host).toThrow(WebhookTargetRefused);
        }
      }),
    );
  });

  it('accepts every spelling of a public address (https for live)', () => {
    fc.assert(
      fc.property(publicV4, (n) => {
        for (const host of spellings(n)) {
          expect(policy.checkUrl(`https://${host}/hook`, 'live').protocol, host).toBe('https:');
        }
      }),
    );
  });

  it('allow-lists ranges, and a name by what it resolves to', async () => {
    const local = new WebhookTargetPolicy({ allow: ['127.0.0.0/8', '::1'], resolve: async () => ['127.0.0.1'] });
    expect(local.permits('127.0.0.1')).toBe(true);
    expect(local.permits('::ffff:127.0.0.1')).toBe(true);
    expect(local.permits('::1')).toBe(true);
    expect(local.permits('10.0.0.1')).toBe(false);
    expect(local.checkUrl('http://localhost:8788/hook', 'test').hostname).toBe('localhost');
    // `localhost` is whichever loopback address is allow-listed.
    const v4Only = new WebhookTargetPolicy({ allow: ['127.0.0.0/8'] });
    await expect(v4Only.resolve(v4Only.checkUrl('http://localhost:8788/', 'test'), 1000)).resolves.toEqual({
      address: '127.0.0.1',
      family: 4,
    });
    expect(() => policy.checkUrl('http://localhost:8788/', 'test')).toThrow(WebhookTargetRefused);
    await expect(local.resolve(new URL('http://receiver.example.com/'), 1000)).resolves.toEqual({ address: '127.0.0.1', family: 4 });
    await expect(policy.resolve(new URL('http://receiver.example.com/'), 1000)).rejects.toThrow(WebhookTargetUnresolved);
  });

  it('tells a name that does not resolve (or not in time) from one that resolves inside', async () => {
    const slow = new WebhookTargetPolicy({ resolve: () => new Promise(() => undefined) });
    await expect(slow.resolve(new URL('https://slow.example.com/'), 50)).rejects.toThrow(WebhookTargetUnresolved);
    const inside = new WebhookTargetPolicy({ resolve: async () => ['93.184.216.34', 'fe80::1'] });
    await expect(inside.resolve(new URL('https://both.example.com/'), 1000)).rejects.toThrow(WebhookTargetRefused);
  });

  it('refuses an allow-list entry that is not an address or a range, naming it', () => {
    for (const entry of ['localhost', '10.0.0.0/33', '::1/129', '']) {
      try {
        new WebhookTargetPolicy({ allow: [entry] });
        expect.unreachable(entry);
      } catch (error) {
        expect(isReferralServerError(error) && error.code === 'invalid_argument', entry).toBe(true);
        expect((error as Error).message).toContain(`"${entry}"`);
      }
    }
  });
});
