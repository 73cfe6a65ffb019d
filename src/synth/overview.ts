import { transitiveReduction } from '../graph/reduction';
import type { PlatformPlan } from '../platform/index';
import { hostsOf } from '../platform/index';
import { applicationFile } from './layout';
import { onePasswordItems, onePasswordItemsTable } from './one-password-items';

function nodeId(id: string): string {
  return `c_${id.replace(/-/g, '_')}`;
}

/** Marks the invisible links of a dependency graph in its Mermaid source. */
export const LAYOUT_COMMENT = '  %% invisible links: each wave in its own column, in order';

/**
 * The dependency graph of one cluster as a Mermaid flowchart, left to right: one
 * box per wave, in wave order, and an arrow from a dependency to its dependent
 * only where no other path implies it (the transitive reduction; the overview's
 * table lists every dependency).
 *
 * Mermaid ranks nodes by the longest path of links, so a wave-9 app that needs
 * only a wave-2 component would be drawn in the third column, its box stretched
 * over the boxes between. Invisible links (`~~~`) pin every node to its wave's
 * column: from the first node of the previous wave to each node that has no arrow
 * from there, and from each node that has no arrow into the next wave to that
 * wave's first node.
 */
export function dependencyGraph(plan: PlatformPlan): string {
  const lines = ['```mermaid', 'flowchart LR'];
  const waves = [...new Set(plan.components.map((c) => c.wave))];
  const members = waves.map((wave) => plan.components.filter((c) => c.wave === wave).map((c) => c.spec.id as string));
  for (const [index, wave] of waves.entries()) {
    lines.push(`  subgraph wave${wave}["wave ${wave}"]`);
    for (const id of members[index]) lines.push(`    ${nodeId(id)}["${id}"]`);
    lines.push('  end');
  }
  const reduced = transitiveReduction(new Map(plan.components.map((c) => [c.spec.id as string, [...c.dependsOn].sort()])));
  const waveOf = new Map(plan.components.map((c) => [c.spec.id as string, waves.indexOf(c.wave)]));
  for (const component of plan.components) {
    for (const dep of reduced.get(component.spec.id) ?? []) {
      lines.push(`  ${nodeId(dep)} --> ${nodeId(component.spec.id)}`);
    }
  }
  const layout: string[] = [];
  const fromPrevious = (id: string): boolean => (reduced.get(id) ?? []).some((dep) => waveOf.get(dep) === (waveOf.get(id) as number) - 1);
  const intoNext = (id: string): boolean => [...reduced].some(([other, deps]) => deps.includes(id) && waveOf.get(other) === (waveOf.get(id) as number) + 1);
  for (const [index, ids] of members.entries()) {
    for (const id of ids) {
      if (index > 0 && !fromPrevious(id)) layout.push(`  ${nodeId(members[index - 1][0])} ~~~ ${nodeId(id)}`);
      if (index < members.length - 1 && !intoNext(id)) layout.push(`  ${nodeId(id)} ~~~ ${nodeId(members[index + 1][0])}`);
    }
  }
  if (layout.length > 0) lines.push(LAYOUT_COMMENT, ...new Set(layout));
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
      `\`${env.argocd.namespace}\`: one Application per component, each in its own project \`${env.argocd.project}-<component>\` ` +
      `(bootstrap/, allowing only what its chart renders), ` +
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
