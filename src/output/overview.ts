import type { PlatformPlan, PlannedComponent } from '../platform/_resolve';
import type { JsonValue } from '../platform/types';
import { applicationFile } from './layout';
import { onePasswordItems, onePasswordItemsTable } from './one-password-items';

/** Keys whose string values (or lists of strings, or lists of `{ host }`) are hosts a chart serves. */
const HOST_KEYS = new Set(['host', 'hosts', 'hostname']);
/** Annotation external-dns publishes a Service under. */
const EXTERNAL_DNS_HOSTNAME = 'external-dns.alpha.kubernetes.io/hostname';
/** A fully qualified host name (at least one dot). */
const FQDN = /^(?=.{4,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/;

/**
 * The hosts a component serves, read from what it renders: Ingress `host`/`hosts`/
 * `hostname` values, Traefik `Host(...)` rules, external-dns hostname annotations and
 * Certificate DNS names. Sorted, without duplicates.
 */
export function hostsOf(component: PlannedComponent, plan: PlatformPlan): string[] {
  const hosts = new Set<string>();
  const visit = (value: JsonValue, key: string | undefined): void => {
    if (typeof value === 'string') {
      if ((key !== undefined && HOST_KEYS.has(key)) || key === EXTERNAL_DNS_HOSTNAME) {
        if (FQDN.test(value)) hosts.add(value);
      }
      for (const match of value.matchAll(/Host\(`([^`]+)`\)/g)) hosts.add(match[1]);
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item, key);
    } else if (value !== null && typeof value === 'object') {
      for (const [child, inner] of Object.entries(value)) visit(inner, child);
    }
  };
  visit(component.spec.values(plan.env), undefined);
  for (const manifest of component.spec.manifests?.(plan.env) ?? []) {
    if (manifest.kind === 'Certificate') manifest.dnsNames.forEach((name) => hosts.add(name));
  }
  return [...hosts].sort();
}

function nodeId(id: string): string {
  return `c_${id.replace(/-/g, '_')}`;
}

/**
 * The dependency graph of one cluster as a Mermaid flowchart: one box per wave,
 * an arrow from each dependency to its dependent.
 */
export function dependencyGraph(plan: PlatformPlan): string {
  const lines = ['```mermaid', 'flowchart LR'];
  const waves = [...new Set(plan.components.map((c) => c.wave))];
  for (const wave of waves) {
    lines.push(`  subgraph wave${wave}["wave ${wave}"]`);
    for (const component of plan.components.filter((c) => c.wave === wave)) {
      lines.push(`    ${nodeId(component.spec.id)}["${component.spec.id}"]`);
    }
    lines.push('  end');
  }
  for (const component of plan.components) {
    for (const dep of [...component.dependsOn].sort()) {
      lines.push(`  ${nodeId(dep)} --> ${nodeId(component.spec.id)}`);
    }
  }
  lines.push('```');
  return lines.join('\n');
}

function cell(values: readonly string[]): string {
  return values.length === 0 ? '—' : values.join(', ');
}

/**
 * `dist/<cluster>/README.md`: what the cluster runs, by wave, with the dependency
 * graph. Generated from the same plan as the manifests, so it cannot drift.
 */
export function renderOverview(plan: PlatformPlan): string {
  const { env } = plan;
  const lines = [
    `# Cluster \`${env.cluster}\``,
    '',
    `<!-- Generated from ${env.file} by \`npm run synth\`. Do not edit. -->`,
    '',
    `The root Application \`root-app\` (in \`bootstrap/\`) syncs every \`*.yaml\` of this folder into namespace ` +
      `\`${env.argocd.namespace}\`: one Application per component, in project \`${env.argocd.project}\`, ` +
      `wave by wave. Repository ${env.git.repoUrl} at \`${env.git.revision}\`.`,
    '',
    '## Components by wave',
    '',
    '| Wave | Component | Chart | Namespace | Depends on | Protected | Supporting manifests | Hosts |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const component of plan.components) {
    const { spec } = component;
    const manifests = (spec.manifests?.(env) ?? []).map((m) => `${m.kind} \`${m.name}\``);
    lines.push(
      `| ${component.wave} | [${spec.id}](${applicationFile(spec.id)}) | ${spec.chart}@${component.version} | ${spec.namespace} | ` +
        `${cell([...component.dependsOn].sort())} | ${spec.protected === undefined ? 'no' : '**yes**'} | ${cell(manifests)} | ` +
        `${cell(hostsOf(component, plan))} |`,
    );
  }
  lines.push(
    '',
    '## 1Password items',
    '',
    'Each item must exist, with these fields, before its component first syncs; the 1Password operator turns it ' +
      `into the Secret named here. \`npm run cutover -- ${env.cluster}\` prints a check for every one.`,
    '',
    ...onePasswordItemsTable(onePasswordItems(plan)),
  );
  lines.push('', '## Dependency graph', '', dependencyGraph(plan), '');
  return lines.join('\n');
}
