import { isDnsLabel, isDnsSubdomain } from '../config/names';
import { isExactVersion } from '../core/versions';

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
  if (!isExactVersion(value)) {
    throw new Error(`${what} must be an exact version like 1.2.3, got "${value}"`);
  }
}
