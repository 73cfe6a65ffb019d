import { DNS_LABEL, DNS_SUBDOMAIN } from '../../config/names';
import type { Finding } from '../finding';
import { applicationSources, field, findingAt, isApplication, type PolicyRule } from './_context';

const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

interface NameRule {
  readonly pattern: RegExp;
  readonly max: number;
  /** What the name must be, in words. */
  readonly what: string;
}

/** Longest Application name: it is the Helm release name of the component, which Helm caps at 53. */
export const MAX_APPLICATION_NAME = 53;

const LABEL_53: NameRule = {
  pattern: DNS_LABEL,
  max: MAX_APPLICATION_NAME,
  what: 'a DNS-1123 label (lower-case alphanumerics and -) of at most 53 characters (it is the Helm release name)',
};
const LABEL_63: NameRule = { pattern: DNS_LABEL, max: 63, what: 'a DNS-1123 label (lower-case alphanumerics and -) of at most 63 characters' };
const DNS_1035: NameRule = { pattern: DNS_1035_LABEL, max: 63, what: 'a DNS-1035 label (starting with a letter) of at most 63 characters' };
const SUBDOMAIN_63: NameRule = {
  pattern: DNS_SUBDOMAIN,
  max: 63,
  what: 'a DNS-1123 subdomain (dot-separated labels) of at most 63 characters (platform policy: every name fits a label value)',
};
const RELEASE: NameRule = { pattern: DNS_SUBDOMAIN, max: MAX_APPLICATION_NAME, what: 'a Helm release name: a DNS-1123 subdomain of at most 53 characters' };

/** Which rule applies to the name of which kind; every other kind's name is a subdomain of at most 63 characters. */
const BY_KIND: Readonly<Record<string, NameRule>> = {
  'argoproj.io Application': LABEL_53,
  ' Namespace': LABEL_63,
  ' Service': DNS_1035,
};

function check(rule: NameRule, value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined; // a missing or non-string name is a schema finding
  if (!rule.pattern.test(value) || value.length > rule.max) {
    return `expected ${rule.what}, got ${JSON.stringify(value)}${value.length > rule.max ? ` (${value.length} characters)` : ''}`;
  }
  return undefined;
}

/**
 * `names`: object names are DNS-1123 names, by kind: Applications are labels of
 * at most 53 characters (the component id, which is also the Helm release
 * name), Namespaces labels and Services DNS-1035 labels of at most 63, every
 * other name a subdomain (dots allowed, e.g. a Certificate named after its
 * host) of at most 63. An Application's Helm release name and destination
 * namespace are checked too.
 */
export const namesRule: PolicyRule = {
  name: 'names',
  description: 'names are DNS-1123: Applications ≤ 53 characters (Helm release names), other names ≤ 63',
  check({ objects }) {
    const findings: Finding[] = [];
    for (const rendered of objects) {
      const group = rendered.object.apiVersion.includes('/') ? rendered.object.apiVersion.split('/')[0] : '';
      const rule = BY_KIND[`${group} ${rendered.object.kind}`] ?? SUBDOMAIN_63;
      const problem = check(rule, field(rendered.object, 'metadata', 'name'));
      if (problem !== undefined)
        findings.push(findingAt(rendered, 'names', '/metadata/name', problem, 'rename the object (for a component: its id in src/platform/)'));
      if (!isApplication(rendered)) continue;
      const namespace = check(LABEL_63, field(rendered.object, 'spec', 'destination', 'namespace'));
      if (namespace !== undefined) findings.push(findingAt(rendered, 'names', '/spec/destination/namespace', namespace, 'use a valid namespace name'));
      for (const { path, source } of applicationSources(rendered)) {
        const release = check(RELEASE, field(source, 'helm', 'releaseName'));
        if (release !== undefined) findings.push(findingAt(rendered, 'names', `${path}/helm/releaseName`, release, 'shorten the release name'));
      }
    }
    return findings;
  },
};
