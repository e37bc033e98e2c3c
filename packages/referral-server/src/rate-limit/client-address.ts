import { BlockList, isIP } from 'node:net';
import { ReferralServerError } from '../errors.js';

/*
 * Which address a request comes from, for rate limits only (it is hashed before it is stored).
 * Behind a load balancer the socket's peer is the proxy; the client is the hop the proxy appended
 * to X-Forwarded-For. Everything to the left of that hop was written by the client and proves
 * nothing, so the header is read from the right, past the configured proxies, and only when the
 * request really came from one of them.
 */

/** The proxies whose `X-Forwarded-For` is believed: addresses and CIDR ranges. */
export interface TrustedProxies {
  /** Whether `address` (as given by the socket or a header) is one of the trusted proxies. */
  has(address: string): boolean;
  /** True when no proxy is configured (X-Forwarded-For is then ignored). */
  readonly empty: boolean;
}

const MAPPED_V4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** An IP address without brackets, zone or port, IPv4-mapped IPv6 as IPv4; `undefined` when it is none. */
export function parseIpAddress(text: string): { readonly address: string; readonly family: 4 | 6 } | undefined {
  let value = text.trim();
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(value);
  if (bracketed !== null) value = bracketed[1] as string;
  else if (/^\d{1,3}(?:\.\d{1,3}){3}:\d{1,5}$/.test(value)) value = value.slice(0, value.lastIndexOf(':'));
  const zone = value.indexOf('%');
  if (zone !== -1) value = value.slice(0, zone);
  const mapped = MAPPED_V4.exec(value);
  if (mapped !== null) value = mapped[1] as string;
  const family = isIP(value);
  if (family === 4) return { address: value, family: 4 };
  if (family === 6) return { address: value.toLowerCase(), family: 6 };
  return undefined;
}

/** The eight 16-bit groups of an IPv6 address (already checked by `isIP`). */
export function ipv6Groups(address: string): number[] {
  let text = address;
  const dotted = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (dotted !== null) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((group) => Number.parseInt(group, 16)));
  const [head = '', tail] = text.split('::');
  const before = parse(head);
  const after = tail === undefined ? [] : parse(tail);
  return [...before, ...new Array<number>(8 - before.length - after.length).fill(0), ...after];
}

/**
 * The rate-limit identity of a client address: an IPv4 address as it is, an IPv6 address by its
 * /64 (one subscriber usually holds a whole /64 and can pick any address in it). Anything that is
 * not an IP address is kept as given.
 */
export function clientAddressGroup(text: string): string {
  const ip = parseIpAddress(text);
  if (ip === undefined) return text;
  if (ip.family === 4) return ip.address;
  const groups = ipv6Groups(ip.address).slice(0, 4);
  return `${groups.map((group) => group.toString(16)).join(':')}::/64`;
}

/**
 * The trusted proxies from a list of addresses and CIDR ranges (`10.0.0.7`, `10.0.0.0/8`,
 * `2001:db8::/32`). Throws a {@link ReferralServerError} naming the entry that is neither.
 */
export function trustedProxies(entries: readonly string[]): TrustedProxies {
  const list = new BlockList();
  let count = 0;
  for (const raw of entries) {
    const entry = raw.trim();
    if (entry === '') continue;
    const slash = entry.indexOf('/');
    const ip = parseIpAddress(slash === -1 ? entry : entry.slice(0, slash));
    const type = ip?.family === 6 ? 'ipv6' : 'ipv4';
    if (ip === undefined) {
      throw new ReferralServerError(
        'invalid_argument',
        `Trusted proxy "${entry}" is not an IP address or a CIDR range (e.g. 10.0.0.7 or 10.0.0.0/8).`,
      );
    }
    if (slash === -1) {
      list.addAddress(ip.address, type);
    } else {
      const prefixText = entry.slice(slash + 1);
      const prefix = Number(prefixText);
      const max = ip.family === 6 ? 128 : 32;
      if (!/^\d{1,3}$/.test(prefixText) || prefix > max) {
        throw new ReferralServerError('invalid_argument', `Trusted proxy "${entry}": the prefix length must be a number from 0 to ${max}.`);
      }
      list.addSubnet(ip.address, prefix, type);
    }
    count += 1;
  }
  return {
    empty: count === 0,
    has(address) {
      if (count === 0) return false;
      const ip = parseIpAddress(address);
      return ip !== undefined && list.check(ip.address, ip.family === 6 ? 'ipv6' : 'ipv4');
    },
  };
}

/**
 * The client address of a request: the socket's peer, unless that peer is a trusted proxy; then
 * the rightmost `X-Forwarded-For` hop that is not a trusted proxy (the one the outermost trusted
 * proxy saw). Hops the client wrote further left are never used. When every hop is a trusted
 * proxy, the leftmost of them.
 */
export function resolveClientAddress(remote: string, forwardedFor: string | undefined, proxies: TrustedProxies): string {
  if (proxies.empty || forwardedFor === undefined || !proxies.has(remote)) return remote;
  const hops = forwardedFor
    .split(',')
    .map((hop) => hop.trim())
    .filter((hop) => hop !== '');
  let client = remote;
  for (let i = hops.length - 1; i >= 0; i -= 1) {
    const hop = hops[i] as string;
    client = parseIpAddress(hop)?.address ?? hop;
    if (!proxies.has(hop)) return client;
  }
  return client;
}
