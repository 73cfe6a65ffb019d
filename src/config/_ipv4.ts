/**
 * IPv4 arithmetic for the environment checks: addresses as unsigned 32-bit
 * numbers, and ranges and CIDRs as inclusive intervals of them.
 */

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

const OCTET = /^(?:0|[1-9][0-9]{0,2})$/;

/**
 * Parses a dotted-quad IPv4 address. Octets with leading zeros are rejected,
 * because some tools read them as octal.
 */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) {
    return undefined;
  }
  let value = 0;
  for (const part of parts) {
    if (!OCTET.test(part) || Number(part) > 255) {
      return undefined;
    }
    value = value * 256 + Number(part);
  }
  return value;
}

/** Formats an unsigned 32-bit number as a dotted quad. */
export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join('.');
}

/** Parses `A.B.C.D/N`; `first` is the network address, whatever the host bits say. */
export function parseCidr(text: string): Ipv4Cidr | undefined {
  const match = /^([0-9.]+)\/(0|[1-9][0-9]?)$/.exec(text);
  if (match === null) {
    return undefined;
  }
  const address = parseIpv4(match[1]);
  const prefix = Number(match[2]);
  if (address === undefined || prefix > 32) {
    return undefined;
  }
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const first = (address & mask) >>> 0;
  const last = (first | (~mask >>> 0)) >>> 0;
  return { first, last, prefix, address };
}

/** True when a CIDR is written with host bits set, e.g. `10.26.0.1/16`. */
export function hasHostBits(cidr: Ipv4Cidr): boolean {
  return cidr.address !== cidr.first;
}

/** The CIDR as it should be written, with host bits cleared. */
export function formatCidr(cidr: Ipv4Cidr): string {
  return `${formatIpv4(cidr.first)}/${cidr.prefix}`;
}

/** Parses `A.B.C.D-E.F.G.H` without checking the order of the two ends. */
export function parseRange(text: string): { readonly start: number; readonly stop: number } | undefined {
  const ends = text.split('-');
  if (ends.length !== 2) {
    return undefined;
  }
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
