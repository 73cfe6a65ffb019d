import { createHash } from 'node:crypto';

/**
 * The Kubernetes name rules, once: the environment schema checks what a person
 * writes with them, and the constructs assert what they render with the same
 * ones, so a name the schema accepts can never fail later with a stack trace.
 */

/** A DNS-1123 label: lower-case alphanumerics and `-`, starting and ending alphanumeric. */
export const DNS_LABEL = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$/;

/** A DNS-1123 subdomain: dot-separated DNS-1123 labels. */
export const DNS_SUBDOMAIN = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;

/** Longest DNS-1123 label (namespaces, most label values). */
export const MAX_DNS_LABEL = 63;

/** Longest DNS-1123 subdomain (most object names). */
export const MAX_DNS_SUBDOMAIN = 253;

/** What the root Application's AppProject adds to the name of the children's project. */
export const ROOT_PROJECT_SUFFIX = '-root';

/** Longest `argocd.project`: the root's project `<project>-root` must still be a label. */
export const MAX_PROJECT_NAME = MAX_DNS_LABEL - ROOT_PROJECT_SUFFIX.length;

/** True for a DNS-1123 label of at most `max` characters. */
export function isDnsLabel(value: string, max: number = MAX_DNS_LABEL): boolean {
  return value.length <= max && DNS_LABEL.test(value);
}

/** True for a DNS-1123 subdomain of at most `max` characters. */
export function isDnsSubdomain(value: string, max: number = MAX_DNS_SUBDOMAIN): boolean {
  return value.length <= max && DNS_SUBDOMAIN.test(value);
}

/** True for a name `argocd.project` may take: a label that leaves room for {@link ROOT_PROJECT_SUFFIX}. */
export function isProjectName(value: string): boolean {
  return isDnsLabel(value, MAX_PROJECT_NAME);
}

/** Characters of the SHA-256 that ends a component's project name too long to be a label. */
const PROJECT_HASH_LENGTH = 8;

/**
 * The AppProject of one component's Application: `<project>-<component>`
 * (`platform-grafana`), a DNS-1123 label. A name longer than 63 characters is
 * cut to leave room for `-` and the first {@link PROJECT_HASH_LENGTH} hex digits
 * of the SHA-256 of the whole name, so two long names never meet and the same
 * inputs always give the same name.
 */
export function componentProjectName(project: string, componentId: string): string {
  const full = `${project}-${componentId}`;
  if (full.length <= MAX_DNS_LABEL) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, PROJECT_HASH_LENGTH);
  return `${full.slice(0, MAX_DNS_LABEL - PROJECT_HASH_LENGTH - 1).replace(/-+$/, '')}-${hash}`;
}
