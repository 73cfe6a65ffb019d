import { transitiveReduction } from '../graph/reduction';
import type { Inventory } from '../inventory/inventory';
import type { ComponentId, PlatformPlan } from '../platform/index';
import { hostsOf, manifestsFor, MIMIR_TENANT, servicesOf, valuesFor, workloadsOf } from '../platform/index';
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
export function renderOverview(plan: PlatformPlan, inputs: OverviewInputs = {}): string {
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
    const manifests = manifestsFor(spec, env, inputs.inventory).map((m) => `${m.kind === 'SmokeTest' ? 'PostSync Job' : m.kind} \`${m.name}\``);
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
  const policies = [...(inputs.networkPolicies?.values() ?? [])].flat();
  if (policies.length > 0) {
    lines.push(
      '',
      '## Reachability',
      '',
      "Who may open connections to the team's apps, read from their NetworkPolicies (`<component>/networkpolicy-*.yaml`): " +
        'every namespace listed denies all other ingress. Egress is open, and Cilium admits the node itself (kubelet probes).',
      '',
      ...reachabilityTable(reachability(policies)),
    );
  }
  if (inputs.inventory !== undefined) {
    const ops = operations(plan, inputs.inventory);
    if (ops.length > 0) {
      lines.push(
        '',
        '## Operations',
        '',
        `Commands that work on this cluster: every name comes from what its charts render (\`${inputs.inventory.file}\`). ` +
          'Where the PKE README says otherwise, its command is in the last column (docs/departures.md).',
        '',
        ...operationsTable(ops),
      );
    }
  }
  lines.push('', '## Dependency graph', '', dependencyGraph(plan), '');
  return lines.join('\n');
}

/** What the overview reads besides the plan. */
export interface OverviewInputs {
  /** The cluster's inventory: the operations section's names come from it. */
  readonly inventory?: Inventory;
  /** The synthesized NetworkPolicies (objects as written to `dist/`), by component id. */
  readonly networkPolicies?: ReadonlyMap<string, readonly Record<string, unknown>[]>;
}

/** One row of the reachability table: who may open connections to which pods of a namespace, on which port. */
export interface Reachability {
  readonly namespace: string;
  readonly policy: string;
  /** `label=value, …` of the pods, or `every pod`. */
  readonly pods: string;
  /** `<port>/<protocol>`. */
  readonly port: string;
  /** `namespace <ns>` plus `pods <labels>` when narrowed. */
  readonly from: string;
}

type PolicyJson = {
  readonly metadata: { readonly name: string; readonly namespace: string };
  readonly spec: {
    readonly podSelector?: { readonly matchLabels?: Record<string, string> };
    readonly ingress?: readonly {
      readonly from?: readonly {
        readonly namespaceSelector?: { readonly matchLabels?: Record<string, string> };
        readonly podSelector?: { readonly matchLabels?: Record<string, string> };
      }[];
      readonly ports?: readonly { readonly port?: number | string; readonly protocol?: string }[];
    }[];
  };
};

function labels(selector: Record<string, string> | undefined): string {
  const keys = Object.keys(selector ?? {}).sort();
  return keys.map((key) => `${key}=${(selector as Record<string, string>)[key]}`).join(', ');
}

/**
 * Every connection the NetworkPolicies admit, one row per (policy, peer, port),
 * read from the policy objects themselves: a namespace whose pods are selected
 * by a policy accepts nothing else (the table lists its deny-all policy too).
 */
export function reachability(policies: readonly Record<string, unknown>[]): Reachability[] {
  const rows: Reachability[] = [];
  for (const policy of policies as unknown as PolicyJson[]) {
    const { namespace, name } = policy.metadata;
    const pods = labels(policy.spec.podSelector?.matchLabels) || 'every pod';
    const rules = policy.spec.ingress ?? [];
    if (rules.length === 0) rows.push({ namespace, policy: name, pods, port: '—', from: 'nobody (deny all ingress)' });
    for (const rule of rules) {
      for (const peer of rule.from ?? []) {
        const peerNamespace = peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] ?? '(any namespace)';
        const peerPods = labels(peer.podSelector?.matchLabels);
        for (const port of rule.ports ?? []) {
          rows.push({
            namespace,
            policy: name,
            pods,
            port: `${port.port ?? 'any'}/${port.protocol ?? 'TCP'}`,
            from: `namespace \`${peerNamespace}\`${peerPods === '' ? '' : `, pods ${peerPods}`}`,
          });
        }
      }
    }
  }
  return rows;
}

/** The reachability section's table. */
export function reachabilityTable(rows: readonly Reachability[]): string[] {
  return [
    '| Namespace | Policy | Pods | Port | From |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.namespace} | \`${r.policy}\` | ${r.pods} | ${r.port} | ${r.from} |`),
  ];
}

/** One task of the operations section. */
export interface Operation {
  readonly task: string;
  readonly commands: readonly string[];
  /** The PKE README's command this replaces, when it differs. */
  readonly instead?: string;
  /** Why the README's command fails here. */
  readonly why?: string;
}

/**
 * Commands that work on this cluster, each name taken from what its charts
 * render (the inventory) or from the catalog's supporting manifests, never
 * typed: the PKE README's `svc/loki-query-frontend` (no such Service in
 * SimpleScalable mode), `deployment/connect-api` and `secret grafana` fail here.
 */
export function operations(plan: PlatformPlan, inventory: Inventory): Operation[] {
  const { env } = plan;
  const ops: Operation[] = [];
  const enabled = (id: ComponentId) => plan.components.find((c) => c.spec.id === id);
  const grafana = enabled('grafana');
  if (grafana !== undefined) {
    const admin = (valuesFor(grafana.spec, env) as { admin?: { existingSecret?: string; passwordKey?: string } }).admin;
    const item = manifestsFor(grafana.spec, env, inventory).find((m) => m.kind === 'OnePasswordItem' && m.name === admin?.existingSecret);
    if (admin?.existingSecret !== undefined && item?.kind === 'OnePasswordItem') {
      const [, vault, , title] = item.itemPath.split('/');
      ops.push({
        task: 'Grafana admin password',
        commands: [
          `op item get '${title}' --vault '${vault}' --fields label=${admin.passwordKey ?? 'admin-password'} --reveal`,
          `kubectl -n ${grafana.spec.namespace} get secret ${admin.existingSecret} -o jsonpath="{.data.${admin.passwordKey ?? 'admin-password'}}" | base64 -d`,
        ],
        instead: 'kubectl -n grafana get secret grafana -o jsonpath="{.data.admin-password}" | base64 -d',
        why: `the chart generates no Secret \`grafana\`: the login is in Secret \`${admin.existingSecret}\`, synced from 1Password`,
      });
    }
  }
  const service = (id: ComponentId, name: string) => servicesOf(inventory, id).find((s) => s.name === name);
  const mimir = enabled('mimir');
  const frontend = mimir === undefined ? undefined : service('mimir', `${mimir.spec.releaseName}-query-frontend`);
  if (mimir !== undefined && frontend !== undefined) {
    const port = frontend.ports.find((p) => p.name?.startsWith('http') === true) ?? frontend.ports[0];
    ops.push({
      task: 'Query Mimir',
      commands: [
        `kubectl -n ${frontend.namespace} port-forward svc/${frontend.name} ${port.port}:${port.port}`,
        `curl -H 'X-Scope-OrgID: ${MIMIR_TENANT}' 'http://localhost:${port.port}/prometheus/api/v1/query?query=up'`,
      ],
      instead: `kubectl port-forward -n mimir svc/mimir-query-frontend 8080:8080`,
      why: 'its curl sends no X-Scope-OrgID header, which multi-tenant Mimir requires',
    });
  }
  const loki = enabled('loki');
  const read =
    loki === undefined ? undefined : (service('loki', `${loki.spec.releaseName}-query-frontend`) ?? service('loki', `${loki.spec.releaseName}-read`));
  if (loki !== undefined && read !== undefined) {
    const port = read.ports.find((p) => p.name?.startsWith('http') === true) ?? read.ports[0];
    ops.push({
      task: 'Loki ready',
      commands: [`kubectl -n ${read.namespace} port-forward svc/${read.name} ${port.port}:${port.port}`, `curl http://localhost:${port.port}/ready`],
      instead: 'kubectl port-forward -n loki svc/loki-query-frontend 3100:3100',
      why: `no such Service: Loki runs in ${String((valuesFor(loki.spec, env) as { deploymentMode?: unknown }).deploymentMode ?? 'its default')} mode`,
    });
  }
  if (loki !== undefined) {
    const workloads = workloadsOf(inventory, 'loki');
    if (workloads.length > 0)
      ops.push({ task: 'Loki logs', commands: workloads.map((w) => `kubectl -n ${w.namespace} logs ${w.kind.toLowerCase()}/${w.name} --all-containers`) });
  }
  const connect = enabled('1password-connect');
  if (connect !== undefined) {
    const names = new Set(servicesOf(inventory, '1password-connect').map((s) => s.name));
    const server = workloadsOf(inventory, '1password-connect').find((w) => names.has(w.name));
    if (server !== undefined) {
      ops.push({
        task: '1Password Connect logs',
        commands: [`kubectl -n ${server.namespace} logs ${server.kind.toLowerCase()}/${server.name} --all-containers`],
        instead: 'kubectl -n 1password logs deployment/connect-api',
        why: `no such Deployment: the chart names it \`${server.name}\``,
      });
    }
  }
  const smoke = plan.components.flatMap((c) =>
    manifestsFor(c.spec, env, inventory)
      .filter((m) => m.kind === 'SmokeTest')
      .map((m) => ({ namespace: c.spec.namespace, name: m.name })),
  );
  if (smoke.length > 0) {
    ops.push({
      task: 'Last smoke test of a component (PostSync hook)',
      commands: smoke.map((s) => `kubectl -n ${s.namespace} logs job/${s.name}`),
      instead: 'helm test',
      why: 'Argo CD never runs Helm test hooks',
    });
  }
  return ops;
}

/** The operations section's table. */
export function operationsTable(ops: readonly Operation[]): string[] {
  const code = (command: string) => `\`${command.replace(/\|/g, '\\|')}\``;
  return [
    "| Task | Commands | Instead of the PKE README's | Why |",
    '|---|---|---|---|',
    ...ops.map((op) => `| ${op.task} | ${op.commands.map(code).join('<br>')} | ${op.instead === undefined ? '—' : code(op.instead)} | ${op.why ?? '—'} |`),
  ];
}
