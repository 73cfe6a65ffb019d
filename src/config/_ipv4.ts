/**
 * IPv4 for the environment checks: parsing is the `ipaddr.js` package's (dotted
 * decimal only: octets with leading zeros are refused, because some tools read
 * them as octal); ranges and CIDRs become inclusive intervals of unsigned 32-bit
 * numbers, which is what the overlap and containment checks compare.
 */
import ipaddr from 'ipaddr.js';

/** An inclusive interval of IPv4 addresses, as unsigned 32-bit numbers. */
export interface Ipv4Interval {
  readonly first: number;
  readonly last: number;
}

/** A parsed CIDR. */
export interface Ipv4Cidr extends Ipv4Interval {
  readonly prefix: number;
  /** The address as written; differs from `first` when host bits are set. */
  readonly address: number;
}

function toNumber(address: ipaddr.IPv4): number {
  return address.toByteArray().reduce((value, octet) => value * 256 + octet, 0);
}

/** Parses a dotted-quad IPv4 address (four decimal octets, no leading zeros). */
export function parseIpv4(text: string): number | undefined {
  return ipaddr.IPv4.isValidFourPartDecimal(text) ? toNumber(ipaddr.IPv4.parse(text)) : undefined;
}

/** Parses `A.B.C.D/N`; `first` is the network address, whatever the host bits say. */
export function parseCidr(text: string): Ipv4Cidr | undefined {
  if (!ipaddr.IPv4.isValidCIDRFourPartDecimal(text) || !/\/(?:0|[1-9][0-9]?)$/.test(text)) return undefined;
  const [address, prefix] = ipaddr.IPv4.parseCIDR(text);
  return {
    first: toNumber(ipaddr.IPv4.networkAddressFromCIDR(text)),
    last: toNumber(ipaddr.IPv4.broadcastAddressFromCIDR(text)),
    prefix,
    address: toNumber(address),
  };
}

/** True when a CIDR is written with host bits set, e.g. `10.26.0.1/16`. */
export function hasHostBits(cidr: Ipv4Cidr): boolean {
  return cidr.address !== cidr.first;
}

/** The CIDR as it should be written, with host bits cleared. */
export function formatCidr(cidr: Ipv4Cidr): string {
  return `${ipaddr.fromByteArray([24, 16, 8, 0].map((shift) => (cidr.first >>> shift) & 255)).toString()}/${cidr.prefix}`;
}

/** Parses `A.B.C.D-E.F.G.H` without checking the order of the two ends. */
export function parseRange(text: string): { readonly start: number; readonly stop: number } | undefined {
  const ends = text.split('-');
  if (ends.length !== 2) return undefined;
  const start = parseIpv4(ends[0]);
  const stop = parseIpv4(ends[1]);
  return start === undefined || stop === undefined ? undefined : { start, stop };
}

/** A range (`A.B.C.D-E.F.G.H`, start ≤ stop) or a CIDR as an interval. */
export function parseRangeOrCidr(text: string): Ipv4Interval | undefined {
  const range = parseRange(text);
  if (range !== undefined) {
    return range.start <= range.stop ? { first: range.start, last: range.stop } : undefined;
  }
  return parseCidr(text);
}

/** True when `address` lies inside `interval`. */
export function contains(interval: Ipv4Interval, address: number): boolean {
  return interval.first <= address && address <= interval.last;
}

/** True when the two intervals share at least one address. */
export function overlaps(a: Ipv4Interval, b: Ipv4Interval): boolean {
  return a.first <= b.last && b.first <= a.last;
}
