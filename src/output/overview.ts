import type { PlatformPlan } from '../platform/_resolve';
import { hostsOf } from '../platform/_hosts';
import { applicationFile } from './layout';

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
        `${cell(hostsOf(spec, env))} |`,
    );
  }
  lines.push('', '## Dependency graph', '', dependencyGraph(plan), '');
  return lines.join('\n');
}
