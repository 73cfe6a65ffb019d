/**
 * What a reviewer must do about a change before (or after) merging it, one
 * line each, for the top of the plan: apply `bootstrap/` by hand when the
 * AppProject, `argocd-cm` or the root Application change (the root app does
 * not manage them); allow or refuse a removed Application; read the change of
 * a protected component knowing what its protection is for; review a CRD that
 * leaves a chart's output; get the rendered diff that is missing.
 */
import type { ComponentSpec } from '../platform/types';
import { fieldChanges } from './field-diff';
import { BOOTSTRAP_DIR } from '../synth/layout';
import type { Plan, PlanEntry } from './plan';
import type { PlanDetails } from './details';

/** One thing a reviewer must do or know. */
export interface ReviewerAction {
  /**
   * `blocking`: do it before merging, or do not merge; `after`: do it once the
   * change is merged and synced; `notice`: read before approving.
   */
  readonly level: 'blocking' | 'after' | 'notice';
  readonly cluster: string;
  /** One line; names in backticks, the instruction in bold. */
  readonly text: string;
}

/** What the reviewer must do, blocking lines first, each group by cluster. */
export function reviewerActions(plan: Plan, outdir: string, catalog: readonly ComponentSpec[], details?: PlanDetails): ReviewerAction[] {
  const actions: ReviewerAction[] = [];
  const clusters = [...new Set(plan.entries.map((e) => e.cluster))].sort();
  for (const cluster of clusters) {
    const entries = plan.entries.filter((e) => e.cluster === cluster);
    actions.push(...bootstrapActions(cluster, entries, outdir));
    actions.push(...removalActions(plan, entries));
    actions.push(...protectedActions(cluster, entries, catalog));
  }
  for (const render of details?.renders ?? []) {
    for (const problem of render.problems) {
      actions.push({
        level: 'blocking',
        cluster: render.cluster,
        text: `**${render.cluster}: the rendered diff of \`${render.component}\` is missing**: ${problem}`,
      });
    }
    for (const change of render.changes) {
      if (change.kind === 'CustomResourceDefinition' && change.change === 'removed') {
        actions.push({
          level: 'notice',
          cluster: render.cluster,
          text:
            `**${render.cluster}: CRD \`${change.name}\` leaves the rendered output of \`${render.component}\`**: ` +
            'the sync prunes it, and deleting a CRD deletes every custom resource of its kind in the cluster',
        });
      }
    }
  }
  const rank = { blocking: 0, after: 1, notice: 2 };
  return actions
    .map((action, i) => ({ action, i }))
    .sort((a, b) => rank[a.action.level] - rank[b.action.level] || a.i - b.i)
    .map(({ action }) => action);
}

/** Applying `bootstrap/`: before merging when it admits more or changes the health check or root app, after merging when it only admits less. */
function bootstrapActions(cluster: string, entries: readonly PlanEntry[], outdir: string): ReviewerAction[] {
  const bootstrap = entries.filter((e) => e.component === BOOTSTRAP_DIR);
  if (bootstrap.length === 0) return [];
  const dir = `${outdir}/${cluster}/${BOOTSTRAP_DIR}/`;
  // A new or removed cluster shows as its root Application coming or going; an AppProject alone coming or
  // going is a component's (one project per component) and is weighed below like any other project change.
  const root = bootstrap.find((e) => e.kind === 'Application');
  if (root?.change === 'added') {
    return [
      {
        level: 'blocking',
        cluster,
        text: `**${cluster} is a new cluster: bootstrap it** as docs/operations.md ("Bootstrap Argo CD on a cluster") says (Cilium, 1Password Connect's Secrets, Argo CD, then \`kubectl apply -f ${dir}\`); merging alone deploys nothing there`,
      },
    ];
  }
  if (root?.change === 'removed') {
    return [
      {
        level: 'after',
        cluster,
        text: `**${cluster}: delete its bootstrap objects by hand after merging** (\`kubectl delete -f\` of the old \`${dir}\`), once its Applications are gone`,
      },
    ];
  }
  const gains: string[] = [];
  const losses: string[] = [];
  const reasons: string[] = [];
  for (const entry of bootstrap) {
    const label = `${entry.kind} \`${entry.name}\``;
    if (entry.kind === 'AppProject') {
      const before = projectGrants(entry.before);
      const after = projectGrants(entry.after);
      const gained = after.filter((g) => !before.includes(g));
      const lost = before.filter((g) => !after.includes(g));
      if (gained.length > 0) gains.push(`${label} now allows ${gained.join(', ')}`);
      if (lost.length > 0) losses.push(`${label} no longer allows ${lost.join(', ')}`);
      if (gained.length === 0 && lost.length === 0) reasons.push(`Argo CD keeps the old ${label} (${changedPaths(entry)})`);
    } else if (entry.kind === 'ConfigMap') {
      reasons.push(`the waves wait by the old Application health check (\`${entry.name}\`: ${changedPaths(entry)})`);
    } else if (entry.kind === 'Application') {
      reasons.push(`Argo CD keeps the old root Application \`${entry.name}\`, which does not manage itself (${changedPaths(entry)})`);
    } else {
      reasons.push(`Argo CD keeps the old ${label}`);
    }
  }
  const apply = `Run \`kubectl apply -f ${dir}\` (the root app does not manage bootstrap/).`;
  if (gains.length === 0 && reasons.length === 0) {
    return [{ level: 'after', cluster, text: `**${cluster}: apply \`${dir}\` after merging**, once Argo CD has synced: ${losses.join('; ')}. ${apply}` }];
  }
  if (gains.length > 0) reasons.unshift(`Argo CD refuses what only the new project allows: ${gains.join('; ')}`);
  const meanwhile = losses.length > 0 ? ` Meanwhile ${losses.join('; ')}: until the merge, Argo CD refuses to sync what still needs that.` : '';
  return [{ level: 'blocking', cluster, text: `**${cluster}: apply \`${dir}\` before merging**, or ${reasons.join('; or ')}. ${apply}${meanwhile}` }];
}

/** What an AppProject allows, one phrase each: destinations, cluster-scoped and namespaced kinds, repositories, Application namespaces. */
function projectGrants(project: Readonly<Record<string, unknown>> | undefined): string[] {
  const spec = (project?.spec ?? {}) as Record<string, unknown>;
  const list = (key: string): Record<string, unknown>[] => (Array.isArray(spec[key]) ? (spec[key] as Record<string, unknown>[]) : []);
  const kind = (item: Record<string, unknown>) =>
    `${item.group ? `${String(item.group)}/` : ''}${String(item.kind)}\`${item.name ? ` named \`${String(item.name)}\`` : ''}`;
  return [
    ...list('destinations').map(
      (d) =>
        `namespace \`${String(d.namespace ?? '*')}\`${d.server !== undefined && d.server !== 'https://kubernetes.default.svc' ? ` on ${String(d.server)}` : ''}${d.name ? ` on ${String(d.name)}` : ''}`,
    ),
    ...list('clusterResourceWhitelist').map((item) => `cluster-scoped kind \`${kind(item)}`),
    ...list('namespaceResourceWhitelist').map((item) => `namespaced kind \`${kind(item)}`),
    ...(Array.isArray(spec.sourceRepos) ? spec.sourceRepos.map((repo) => `repository \`${String(repo)}\``) : []),
    ...(Array.isArray(spec.sourceNamespaces) ? spec.sourceNamespaces.map((ns) => `Applications in namespace \`${String(ns)}\``) : []),
  ];
}

/** The first few changed field paths of an entry. */
function changedPaths(entry: PlanEntry): string {
  if (entry.change !== 'changed') return entry.change;
  const paths = fieldChanges(entry.before, entry.after).map((c) => c.path);
  return paths.length <= 3 ? paths.join(', ') : `${paths.slice(0, 3).join(', ')} and ${paths.length - 3} more`;
}

function removalActions(plan: Plan, entries: readonly PlanEntry[]): ReviewerAction[] {
  return entries
    .filter((e) => e.isApplication && e.change === 'removed')
    .map((entry): ReviewerAction => {
      const head = `**${entry.cluster}: \`${entry.component}\` is removed**`;
      const consequence = entry.cascades ? 'Argo CD deletes everything it installed' : 'Argo CD deletes the Application (not what it installed)';
      if (plan.refused.includes(entry)) {
        return {
          level: 'blocking',
          cluster: entry.cluster,
          text: `${head}, but it is protected: REFUSED. Remove \`protected\` from its catalog file in a change of its own, merge and sync that, then remove it`,
        };
      }
      if (plan.blocked.includes(entry)) {
        return {
          level: 'blocking',
          cluster: entry.cluster,
          text: `${head}: ${consequence}. Not allowed yet: pass \`--allow-delete ${entry.component}\` (in a pull request, a line \`allow-delete: ${entry.component}\` in its description) if that is intended`,
        };
      }
      return { level: 'notice', cluster: entry.cluster, text: `${head} (allowed by --allow-delete): ${consequence}` };
    });
}

function protectedActions(cluster: string, entries: readonly PlanEntry[], catalog: readonly ComponentSpec[]): ReviewerAction[] {
  const touched = [...new Set(entries.filter((e) => e.component !== BOOTSTRAP_DIR && !(e.isApplication && e.change === 'removed')).map((e) => e.component))];
  return touched.flatMap((component): ReviewerAction[] => {
    const reason = catalog.find((spec) => spec.id === component)?.protected;
    if (reason === undefined) return [];
    return [
      {
        level: 'notice',
        cluster,
        text: `**${cluster}: \`${component}\` is protected**, and this change touches it; read its diff below. Why it is protected: ${reason}`,
      },
    ];
  });
}
