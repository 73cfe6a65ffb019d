import { isDnsLabel, isDnsSubdomain } from '../config/names';

/** `MAJOR.MINOR.PATCH`, optionally with a leading `v`, a pre-release and build metadata. */
const EXACT_VERSION = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/** Throws unless `value` is a DNS-1123 label of at most `max` characters. */
export function assertDnsLabel(what: string, value: string, max: number): void {
  if (!isDnsLabel(value, max)) {
    throw new Error(`${what} must be a DNS-1123 label of at most ${max} characters, got "${value}"`);
  }
}

/** Throws unless `value` is a DNS-1123 subdomain (the rule for most object names). */
export function assertDnsSubdomain(what: string, value: string): void {
  if (!isDnsSubdomain(value)) {
    throw new Error(`${what} must be a DNS-1123 subdomain, got "${value}"`);
  }
}

/** Throws unless `value` is an exact version (no range, no `latest`). */
export function assertExactVersion(what: string, value: string): void {
  if (!EXACT_VERSION.test(value)) {
    throw new Error(`${what} must be an exact version like 1.2.3, got "${value}"`);
  }
}
