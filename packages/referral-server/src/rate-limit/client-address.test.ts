import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReferralServerError } from '../errors.js';
import { clientAddressGroup, parseIpAddress, resolveClientAddress, trustedProxies } from './client-address.js';

describe('clientAddressGroup', () => {
  it('groups IPv6 addresses by their /64 and keeps IPv4 addresses whole', () => {
    expect(clientAddressGroup('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(clientAddressGroup('2001:DB8:1:2::ffff')).toBe('2001:db8:1:2::/64');
    expect(clientAddressGroup('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(clientAddressGroup('::1')).toBe('0:0:0:0::/64');
    expect(clientAddressGroup('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(clientAddressGroup('64:ff9b::1.2.3.4')).toBe('64:ff9b:0:0::/64');
    expect(clientAddressGroup('127.0.0.2')).toBe('127.0.0.2');
    expect(clientAddressGroup('::ffff:127.0.0.2')).toBe('127.0.0.2');
    expect(clientAddressGroup('[2001:db8::1]:443')).toBe('2001:db8:0:0::/64');
    expect(clientAddressGroup('unknown')).toBe('unknown');
  });

  it('gives every address of one /64 the same group, and different /64s different groups (property)', () => {
    const group = fc.integer({ min: 0, max: 0xffff });
    const groups = (n: number) => fc.array(group, { minLength: n, maxLength: n });
    fc.assert(
      fc.property(groups(4), groups(4), groups(4), (prefix, a, b) => {
        const text = (host: number[]) => [...prefix, ...host].map((g) => g.toString(16)).join(':');
        expect(clientAddressGroup(text(a))).toBe(clientAddressGroup(text(b)));
        const other = [...prefix];
        other[3] = ((other[3] as number) + 1) % 0x10000;
        expect(clientAddressGroup([...other, ...a].map((g) => g.toString(16)).join(':'))).not.toBe(clientAddressGroup(text(a)));
      }),
    );
  });

  it('parses addresses with ports and brackets, and refuses what is not an address', () => {
    expect(parseIpAddress('1.2.3.4:8080')).toEqual({ address: '1.2.3.4', family: 4 });
    expect(parseIpAddress('[::1]:80')).toEqual({ address: '::1', family: 6 });
    expect(parseIpAddress('evil.example')).toBeUndefined();
    expect(parseIpAddress('')).toBeUndefined();
  });
});

describe('resolveClientAddress', () => {
  const proxies = trustedProxies(['127.0.0.1', '10.0.0.0/8']);

  it('ignores X-Forwarded-For without configured proxies', () => {
    expect(resolveClientAddress('127.0.0.1', '203.0.113.9', trustedProxies([]))).toBe('127.0.0.1');
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', () => {
    expect(resolveClientAddress('198.51.100.4', '203.0.113.9', proxies)).toBe('198.51.100.4');
  });

  it('takes the rightmost hop that is not a trusted proxy, never what the client wrote to its left', () => {
    // The client sent "X-Forwarded-For: 203.0.113.9"; the load balancer appended the real peer.
    expect(resolveClientAddress('127.0.0.1', '203.0.113.9, 198.51.100.4', proxies)).toBe('198.51.100.4');
    // Through two trusted proxies.
    expect(resolveClientAddress('127.0.0.1', '203.0.113.9, 198.51.100.4, 10.1.2.3', proxies)).toBe('198.51.100.4');
    expect(resolveClientAddress('::ffff:127.0.0.1', '198.51.100.4', proxies)).toBe('198.51.100.4');
    // Only proxies: the leftmost of them.
    expect(resolveClientAddress('127.0.0.1', '10.9.9.9, 10.1.2.3', proxies)).toBe('10.9.9.9');
    expect(resolveClientAddress('127.0.0.1', undefined, proxies)).toBe('127.0.0.1');
  });

  it('refuses a trusted proxy that is neither an address nor a CIDR range, naming it', () => {
    expect(() => trustedProxies(['lb.internal'])).toThrow(ReferralServerError);
    expect(() => trustedProxies(['lb.internal'])).toThrow(/"lb\.internal"/);
    expect(() => trustedProxies(['10.0.0.0/33'])).toThrow(/prefix length/);
    expect(trustedProxies(['2001:db8::/32']).has('2001:db8:ffff::1')).toBe(true);
    expect(trustedProxies(['2001:db8::/32']).has('2001:db9::1')).toBe(false);
  });
});
