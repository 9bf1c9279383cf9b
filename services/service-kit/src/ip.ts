import { isIPv4, isIPv6 } from 'node:net';

/**
 * IP address classification for the SSRF rules: which addresses a service may fetch from. Addresses are
 * compared as bytes, so every spelling of an address (IPv4-mapped IPv6, NAT64, 6to4, compressed zeros) is
 * judged by the IPv4 address it carries.
 */

export function parseIPv4(ip: string): number[] | undefined {
  if (!isIPv4(ip)) return undefined;
  return ip.split('.').map(Number);
}

export function parseIPv6(input: string): number[] | undefined {
  let ip = input.replace(/^\[|\]$/g, '');
  if (!isIPv6(ip) || ip.includes('%')) return undefined;
  // A trailing dotted quad (::ffff:127.0.0.1) becomes two hexadecimal groups.
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    ip = `${ip.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [l, r] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const left = l ? l.split(':') : [];
  const right = r ? r.split(':') : [];
  const groups =
    r === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  if (groups.length !== 8) return undefined;
  return groups.flatMap((g) => {
    const n = Number.parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
}

/** [prefix bytes, prefix length in bits, why] */
type Range = [number[], number, string];

const V4_BLOCKED: Range[] = [
  [[0], 8, 'this network (0.0.0.0/8)'],
  [[10], 8, 'private (10.0.0.0/8)'],
  [[100, 64], 10, 'carrier-grade NAT (100.64.0.0/10)'],
  [[127], 8, 'loopback (127.0.0.0/8)'],
  [[169, 254], 16, 'link-local (169.254.0.0/16, cloud metadata)'],
  [[172, 16], 12, 'private (172.16.0.0/12)'],
  [[192, 0, 0], 24, 'IETF protocol assignments (192.0.0.0/24)'],
  [[192, 0, 2], 24, 'documentation (192.0.2.0/24)'],
  [[192, 88, 99], 24, '6to4 relay (192.88.99.0/24)'],
  [[192, 168], 16, 'private (192.168.0.0/16)'],
  [[198, 18], 15, 'benchmarking (198.18.0.0/15)'],
  [[198, 51, 100], 24, 'documentation (198.51.100.0/24)'],
  [[203, 0, 113], 24, 'documentation (203.0.113.0/24)'],
  [[224], 4, 'multicast (224.0.0.0/4)'],
  [[240], 4, 'reserved (240.0.0.0/4)'],
];

const hex = (s: string) => parseIPv6(s)!;
const V6_BLOCKED: Range[] = [
  [hex('::'), 128, 'unspecified (::)'],
  [hex('::1'), 128, 'loopback (::1)'],
  [hex('100::'), 64, 'discard (100::/64)'],
  [hex('2001::'), 32, 'Teredo (2001::/32)'],
  [hex('2001:db8::'), 32, 'documentation (2001:db8::/32)'],
  [hex('fc00::'), 7, 'unique local (fc00::/7)'],
  [hex('fe80::'), 10, 'link-local (fe80::/10)'],
  [hex('fec0::'), 10, 'site-local (fec0::/10)'],
  [hex('ff00::'), 8, 'multicast (ff00::/8)'],
];

function inPrefix(bytes: readonly number[], prefix: readonly number[], bits: number): boolean {
  for (let i = 0; i < bits; i += 8) {
    const take = Math.min(8, bits - i);
    const mask = (0xff << (8 - take)) & 0xff;
    if (((bytes[i / 8] ?? 0) & mask) !== ((prefix[i / 8] ?? 0) & mask)) return false;
  }
  return true;
}

/** The IPv4 address an IPv6 address stands for (mapped, compatible, NAT64, 6to4), if any. */
export function embeddedIPv4(b: readonly number[]): number[] | undefined {
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return b.slice(12, 16); // ::ffff:a.b.c.d
  if (zeros(0, 12) && !(zeros(12, 15) && (b[15] ?? 0) <= 1)) return b.slice(12, 16); // ::a.b.c.d (deprecated)
  if (inPrefix(b, hex('64:ff9b::'), 96)) return b.slice(12, 16); // NAT64 well-known prefix
  if (inPrefix(b, hex('64:ff9b:1::'), 48)) return b.slice(12, 16); // local-use NAT64
  if (b[0] === 0x20 && b[1] === 0x02) return b.slice(2, 6); // 6to4
  return undefined;
}

/** Why an address must not be fetched from by default (loopback, private, link-local…), or undefined. */
export function blockedReason(ip: string): string | undefined {
  const v4 = parseIPv4(ip);
  if (v4) return V4_BLOCKED.find(([p, bits]) => inPrefix(v4, p, bits))?.[2];
  const v6 = parseIPv6(ip);
  if (!v6) return 'not an IP address';
  const inner = embeddedIPv4(v6);
  if (inner) {
    const why = V4_BLOCKED.find(([p, bits]) => inPrefix(inner, p, bits))?.[2];
    return why ? `${why} inside an IPv6 address` : undefined;
  }
  return V6_BLOCKED.find(([p, bits]) => inPrefix(v6, p, bits))?.[2];
}

/** One allow-list entry: `10.0.0.0/8`, `127.0.0.1:9000`, `[::1]:8080`, `[fd00::]/8` (CIDR, optional port). */
export interface AllowEntry {
  bytes: number[];
  bits: number;
  port?: number;
  text: string;
}

export function parseAllowEntry(text: string): AllowEntry {
  const t = text.trim();
  const m6 = /^\[([0-9a-fA-F:.]+)\](?:\/(\d{1,3}))?(?::(\d{1,5}))?$/.exec(t);
  const m4 = /^(\d{1,3}(?:\.\d{1,3}){3})(?:\/(\d{1,2}))?(?::(\d{1,5}))?$/.exec(t);
  const m = m6 ?? m4;
  const bytes = m ? (m6 ? parseIPv6(m[1]!) : parseIPv4(m[1]!)) : undefined;
  const max = m6 ? 128 : 32;
  const bits = m?.[2] !== undefined ? Number(m[2]) : max;
  const port = m?.[3] !== undefined ? Number(m[3]) : undefined;
  if (!m || !bytes || bits > max || (port !== undefined && (port < 1 || port > 65535)))
    throw new Error(
      `allow-list entry "${text}" is not an address or CIDR with an optional port (e.g. 10.0.0.0/8, 127.0.0.1:9000, [::1]:8080)`,
    );
  return { bytes, bits, port, text: t };
}

/** Whether the allow-list lets this (blocked) address and port through. */
export function allowed(ip: string, port: number, list: readonly AllowEntry[]): boolean {
  const v4 = parseIPv4(ip);
  const v6 = v4 ? undefined : parseIPv6(ip);
  const inner = v6 ? embeddedIPv4(v6) : undefined;
  return list.some((e) => {
    if (e.port !== undefined && e.port !== port) return false;
    const addr = e.bytes.length === 4 ? (v4 ?? inner) : v6;
    return !!addr && inPrefix(addr, e.bytes, e.bits);
  });
}
