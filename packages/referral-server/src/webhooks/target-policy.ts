import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { ReferralServerError } from '../errors.js';
import { ipv6Groups, parseIpAddress } from '../rate-limit/client-address.js';
import type { Mode } from '../storage/schema.js';

/*
 * Where a webhook may go (docs/decisions/0019-webhook-targets-and-fairness.md). A subscription URL
 * is chosen by an organisation's admin, and the server sends requests to it from inside its own
 * network: to a metadata service, a database port or an admin page on loopback unless refused.
 * The URL is parsed as WHATWG does (so `2130706433`, `0x7f000001` and `127.1` are `127.0.0.1`), the
 * host is resolved, and every address it resolves to must be a public one; delivery then connects
 * to the address that was checked, not to whatever a second lookup answers.
 */

/** Resolves a host name to all its addresses (IPv4 and IPv6). */
export type HostResolver = (hostname: string) => Promise<readonly string[]>;

/** Where webhooks may be delivered. */
export interface WebhookTargetSettings {
  /**
   * Address ranges webhooks may reach although they are private, loopback, link-local,
   * unique-local, multicast or unspecified (CIDR ranges or single addresses, e.g.
   * `['127.0.0.0/8', '::1']` for receivers on this machine). For development, tests and examples
   * only; `localhost` names mean the allow-listed ones of 127.0.0.1 and ::1. @default [] (only public addresses)
   */
  readonly allow?: readonly string[];
  /** Resolves host names. @default `dns.lookup` with `all: true` */
  readonly resolve?: HostResolver;
}

/** The address a checked target connects to. */
export interface ResolvedTarget {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Why a URL is refused as a webhook target, as a sentence for the problem's `invalid_params`. */
export class WebhookTargetRefused extends Error {
  override name = 'WebhookTargetRefused' as const;
}

/** The host did not resolve (or not in time): not a refusal, the delivery checks again. */
export class WebhookTargetUnresolved extends Error {
  override name = 'WebhookTargetUnresolved' as const;
}

/** Ranges that are not the public internet (IANA special-purpose registries). */
const FORBIDDEN = (() => {
  const list = new BlockList();
  for (const [network, prefix] of [
    ['0.0.0.0', 8], // "this network", 0.0.0.0 included
    ['10.0.0.0', 8],
    ['100.64.0.0', 10], // carrier-grade NAT
    ['127.0.0.0', 8],
    ['169.254.0.0', 16], // link-local, cloud metadata services
    ['172.16.0.0', 12],
    ['192.0.0.0', 24],
    ['192.0.2.0', 24],
    ['192.88.99.0', 24],
    ['192.168.0.0', 16],
    ['198.18.0.0', 15],
    ['198.51.100.0', 24],
    ['203.0.113.0', 24],
    ['224.0.0.0', 4], // multicast
    ['240.0.0.0', 4], // reserved, broadcast
  ] as const) {
    list.addSubnet(network, prefix, 'ipv4');
  }
  for (const [network, prefix] of [
    ['::', 128], // unspecified
    ['::1', 128], // loopback
    ['100::', 64], // discard
    ['2001::', 23], // IETF protocol assignments, Teredo among them
    ['2001:db8::', 32], // documentation
    ['2002::', 16], // 6to4: a tunnel to an IPv4 address
    ['fc00::', 7], // unique-local
    ['fe80::', 10], // link-local
    ['fec0::', 10], // site-local (deprecated)
    ['ff00::', 8], // multicast
  ] as const) {
    list.addSubnet(network, prefix, 'ipv6');
  }
  return list;
})();

/** Names that never mean a public host: RFC 6761's `localhost`, and cloud-internal names. */
const LOOPBACK_NAME = /(^|\.)localhost$/;
const INTERNAL_NAME = /(^|\.)(internal|local|localdomain|home\.arpa)$|^metadata$/;

/** The IPv4 address inside an IPv4-mapped, IPv4-compatible or NAT64 (64:ff9b::/96) IPv6 address. */
function embeddedIpv4(address: string): string | undefined {
  const g = ipv6Groups(address);
  const [g0, g1, g2, g3, g4, g5, g6 = 0, g7 = 0] = g;
  const high = [g0, g1, g2, g3, g4];
  const v4 = `${g6 >> 8}.${g6 & 0xff}.${g7 >> 8}.${g7 & 0xff}`;
  if (high.every((x) => x === 0) && (g5 === 0xffff || (g5 === 0 && (g6 !== 0 || g7 > 1)))) return v4;
  if (g0 === 0x64 && g1 === 0xff9b && [g2, g3, g4, g5].every((x) => x === 0)) return v4;
  return undefined;
}

function parseAllowList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const raw of entries) {
    const entry = raw.trim();
    const slash = entry.indexOf('/');
    const ip = parseIpAddress(slash === -1 ? entry : entry.slice(0, slash));
    if (entry === '' || ip === undefined) {
      throw new ReferralServerError(
        'invalid_argument',
        `Webhook target allow-list entry "${entry}" is not an IP address or a CIDR range (e.g. 127.0.0.0/8 or ::1).`,
      );
    }
    const type = ip.family === 6 ? 'ipv6' : 'ipv4';
    if (slash === -1) {
      list.addAddress(ip.address, type);
      continue;
    }
    const prefixText = entry.slice(slash + 1);
    const max = ip.family === 6 ? 128 : 32;
    if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) {
      throw new ReferralServerError(
        'invalid_argument',
        `Webhook target allow-list entry "${entry}": the prefix length must be a number from 0 to ${max}.`,
      );
    }
    list.addSubnet(ip.address, Number(prefixText), type);
  }
  return list;
}

const defaultResolve: HostResolver = async (hostname) => (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

/**
 * The rule for webhook targets: public addresses only, unless allow-listed; https for live
 * subscriptions. Used when a subscription is created, at start-up for the stored ones, and before
 * every delivery.
 */
export class WebhookTargetPolicy {
  readonly #allow: BlockList;
  readonly #resolve: HostResolver;
  /** Whether any range is allow-listed (the start-up pass then has nothing to skip). */
  readonly allowsPrivate: boolean;

  constructor(settings: WebhookTargetSettings = {}) {
    this.#allow = parseAllowList(settings.allow ?? []);
    this.#resolve = settings.resolve ?? defaultResolve;
    this.allowsPrivate = (settings.allow ?? []).length > 0;
  }

  /** The loopback addresses a `localhost` name may reach: those allow-listed. */
  #loopback(): string[] {
    return ['127.0.0.1', '::1'].filter((address) => this.permits(address));
  }

  /** Whether webhooks may connect to this IP address. */
  permits(address: string): boolean {
    const ip = parseIpAddress(address);
    if (ip === undefined) return false;
    const type = ip.family === 6 ? 'ipv6' : 'ipv4';
    if (this.#allow.check(ip.address, type)) return true;
    if (ip.family === 6) {
      const v4 = embeddedIpv4(ip.address);
      if (v4 !== undefined) return this.permits(v4);
    }
    return !FORBIDDEN.check(ip.address, type);
  }

  /**
   * Checks what can be checked without DNS: an http(s) URL without credentials, https for live
   * subscriptions, no internal host name, and an IP address host (in any spelling) that is
   * permitted. Throws {@link WebhookTargetRefused}; returns the parsed URL.
   */
  checkUrl(text: string, mode: Mode): URL {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new WebhookTargetRefused('is not a URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new WebhookTargetRefused('must be an http or https URL');
    if (mode === 'live' && url.protocol !== 'https:') throw new WebhookTargetRefused('must be an https URL for a live subscription');
    if (url.username !== '' || url.password !== '') throw new WebhookTargetRefused('must not carry a user name or password');
    const host = hostOf(url);
    if (isIP(host) !== 0) {
      if (!this.permits(host)) throw refusedAddress();
    } else if (LOOPBACK_NAME.test(host)) {
      if (this.#loopback().length === 0) throw refusedAddress();
    } else if (INTERNAL_NAME.test(host) || !host.includes('.')) {
      throw new WebhookTargetRefused('must name a public host (an internal or single-label name is not one)');
    }
    return url;
  }

  /**
   * Resolves a checked URL's host and checks every address it resolves to, so that no answer of
   * a round-robin name can lead inside. Throws {@link WebhookTargetRefused} or
   * {@link WebhookTargetUnresolved}; returns the address to connect to.
   */
  async resolve(url: URL, timeoutMs: number): Promise<ResolvedTarget> {
    const host = hostOf(url);
    let addresses: readonly string[];
    if (isIP(host) !== 0) addresses = [host];
    else if (LOOPBACK_NAME.test(host)) {
      addresses = this.#loopback();
      if (addresses.length === 0) throw refusedAddress();
    } else {
      let timer: NodeJS.Timeout | undefined;
      try {
        addresses = await Promise.race([
          this.#resolve(host),
          new Promise<never>((_, fail) => {
            timer = setTimeout(() => fail(new WebhookTargetUnresolved('did not resolve in time')), timeoutMs);
          }),
        ]);
      } catch (cause) {
        if (cause instanceof WebhookTargetUnresolved) throw cause;
        throw new WebhookTargetUnresolved('does not resolve', { cause });
      } finally {
        clearTimeout(timer);
      }
    }
    if (addresses.length === 0) throw new WebhookTargetUnresolved('does not resolve');
    if (!addresses.every((address) => this.permits(address))) throw refusedAddress();
    const first = parseIpAddress(addresses[0] as string);
    if (first === undefined) throw new WebhookTargetUnresolved('does not resolve to an IP address');
    return first;
  }
}

function refusedAddress(): WebhookTargetRefused {
  return new WebhookTargetRefused(
    'reaches a private, loopback, link-local, unique-local, multicast or unspecified address, which webhooks may not reach',
  );
}

/** The URL's host, lower case, without brackets or a trailing dot. */
function hostOf(url: URL): string {
  const host = url.hostname.toLowerCase();
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return bare.endsWith('.') ? bare.slice(0, -1) : bare;
}
