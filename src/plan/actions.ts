/**
 * What a reviewer must do about a change before (or after) merging it, one
 * line each, for the top of the plan: apply `bootstrap/` by hand when the
 * AppProject, `argocd-cm` or the root Application change (the root app does
 * not manage them); allow or refuse a removed Application; read the change of
 * a protected component knowing what its protection is for; allow or refuse a
 * CRD that leaves a chart's output; review a project that admits a privileged
 * kind; create a new 1Password item; install Argo CD's changed values; get the
 * rendered diff that is missing.
 */
import type { ComponentSpec } from '../platform/types';
import { fieldChanges } from './field-diff';
import { BOOTSTRAP_DIR } from '../synth/layout';
import { crdRemovals, type Plan, type PlanEntry } from './plan';
import type { PlanDetails } from './details';
import type { OnePasswordItemRead, OnePasswordItemRow } from '../synth/one-password-items';

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

/** What the actions know beyond the plan and its renders. */
export interface ActionContext {
  /**
   * The 1Password items each cluster needs after the change (with their fields), by cluster.
   * @default - fields are not named
   */
  readonly onePasswordItems?: ReadonlyMap<string, readonly OnePasswordItemRow[]>;
  /**
   * The 1Password items each cluster needed before the change, as its committed README lists them.
   * @default - a field newly read from an item already read is not named
   */
  readonly baseOnePasswordItems?: ReadonlyMap<string, readonly OnePasswordItemRead[]>;
}

/** What the reviewer must do, blocking lines first, each group by cluster. */
export function reviewerActions(
  plan: Plan,
  outdir: string,
  catalog: readonly ComponentSpec[],
  details?: PlanDetails,
  context: ActionContext = {},
): ReviewerAction[] {
  const actions: ReviewerAction[] = [];
  const clusters = [
    ...new Set([...plan.entries.map((e) => e.cluster), ...(plan.bootstrapValues ?? []).map((v) => v.cluster), ...(context.onePasswordItems?.keys() ?? [])]),
  ].sort();
  for (const cluster of clusters) {
    const entries = plan.entries.filter((e) => e.cluster === cluster);
    actions.push(...bootstrapActions(cluster, entries, outdir));
    actions.push(...privilegedActions(cluster, entries, details));
    actions.push(...valuesActions(plan, cluster, outdir));
    actions.push(...onePasswordActions(cluster, entries, details, context.onePasswordItems?.get(cluster) ?? []));
    actions.push(...onePasswordFieldActions(cluster, context.onePasswordItems?.get(cluster), context.baseOnePasswordItems?.get(cluster)));
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
  }
  for (const removal of crdRemovals(plan, details ?? { renders: [], stats: { applications: 0, renders: 0, helm: 0 }, notes: [] })) {
    const head = `**${removal.cluster}: CRD \`${removal.name}\` leaves the rendered output of \`${removal.component}\`**: the sync prunes it, and deleting a CRD deletes every custom resource of its kind in the cluster (their data with them)`;
    actions.push(
      removal.allowed
        ? { level: 'notice', cluster: removal.cluster, text: `${head}; allowed by --allow-delete` }
        : {
            level: 'blocking',
            cluster: removal.cluster,
            text: `${head}. Not allowed yet: pass \`--allow-delete ${removal.name}\` (in a pull request, a line \`allow-delete: ${removal.name}\` in its description) if that is intended`,
          },
    );
  }
  const rank = { blocking: 0, after: 1, notice: 2 };
  return actions
    .map((action, i) => ({ action, i }))
    .sort((a, b) => rank[a.action.level] - rank[b.action.level] || a.i - b.i)
    .map(({ action }) => action);
}

/**
 * What to do with `bootstrap/`: apply it before merging when it admits more or changes the health
 * check or root app, after merging when it only admits less; and delete by hand the AppProject of a
 * removed component, which `kubectl apply` never removes.
 */
function bootstrapActions(cluster: string, entries: readonly PlanEntry[], outdir: string): ReviewerAction[] {
  const removedProject = (e: PlanEntry) => e.component === BOOTSTRAP_DIR && e.kind === 'AppProject' && e.change === 'removed';
  const root = entries.find((e) => e.component === BOOTSTRAP_DIR && e.kind === 'Application');
  const gone = root?.change === 'removed' ? [] : entries.filter(removedProject);
  const deletions: ReviewerAction[] =
    gone.length === 0
      ? []
      : [
          {
            level: 'after',
            cluster,
            text: `**${cluster}: delete the AppProject(s) nothing uses any more by hand after merging**, once Argo CD has removed their Applications (\`kubectl apply\` never deletes them): ${gone
              .map(
                (e) =>
                  `\`kubectl -n ${String((e.before?.metadata as { namespace?: unknown } | undefined)?.namespace ?? 'argocd')} delete appproject ${e.name}\``,
              )
              .join(', ')}`,
          },
        ];
  return [...bootstrapApplyActions(cluster, gone.length === 0 ? entries : entries.filter((e) => !removedProject(e)), outdir), ...deletions];
}

/** Applying `bootstrap/`: before merging when it admits more or changes the health check or root app, after merging when it only admits less. */
function bootstrapApplyActions(cluster: string, entries: readonly PlanEntry[], outdir: string): ReviewerAction[] {
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
  const widen: string[] = [];
  for (const entry of bootstrap) {
    const label = `${entry.kind} \`${entry.name}\``;
    if (entry.kind === 'AppProject') {
      const before = projectGrantItems(entry.before);
      const after = projectGrantItems(entry.after);
      const gained = after.filter((g) => !before.some((b) => b.phrase === g.phrase));
      const lost = before.filter((g) => !after.some((a) => a.phrase === g.phrase));
      if (gained.length > 0) {
        gains.push(`${label} now allows ${gained.map((g) => g.phrase).join(', ')}`);
        widen.push(admitCommand(entry, gained));
      }
      if (lost.length > 0) losses.push(`${label} no longer allows ${lost.map((g) => g.phrase).join(', ')}`);
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
  const hides =
    'a project that no longer permits a kind or destination hides the live objects of it from their Application, which then never prunes them, not even on cascade delete';
  if (gains.length === 0 && reasons.length === 0) {
    return [
      {
        level: 'after',
        cluster,
        text: `**${cluster}: apply \`${dir}\` after merging**, once Argo CD has synced and pruned what leaves: ${losses.join('; ')}. ${apply} Not before: ${hides}`,
      },
    ];
  }
  if (gains.length > 0 && losses.length > 0) {
    // Argo CD filters live objects through the project before diffing and before a cascade delete
    // (controller/state.go CompareAppState, appcontroller.go getPermittedAppLiveObjects in v3.5.1):
    // narrowing first would orphan what the change removes. Admit first, narrow last.
    const others = reasons.length > 0 ? ` Apply the rest of \`${dir}\` too (${reasons.join('; ')}), leaving out the AppProject(s).` : '';
    return [
      {
        level: 'blocking',
        cluster,
        text: `**${cluster}, step 1 of 2, before merging: admit what the change needs, without narrowing yet**: ${gains.join('; ')}. Run ${widen.join(' and ')}.${others}`,
      },
      {
        level: 'after',
        cluster,
        text: `**${cluster}, step 2 of 2, after the merge has synced and Argo CD has pruned what leaves: narrow the project**: ${losses.join('; ')}. ${apply} Not earlier: ${hides}`,
      },
    ];
  }
  if (gains.length > 0) reasons.unshift(`Argo CD refuses what only the new project allows: ${gains.join('; ')}`);
  return [{ level: 'blocking', cluster, text: `**${cluster}: apply \`${dir}\` before merging**, or ${reasons.join('; or ')}. ${apply}` }];
}

/** The lists of an AppProject's spec that grant something. */
const GRANT_LISTS = ['destinations', 'clusterResourceWhitelist', 'namespaceResourceWhitelist', 'sourceRepos', 'sourceNamespaces'] as const;

/** One thing an AppProject allows: the list it is in, the item, and a phrase for it. */
interface Grant {
  readonly list: (typeof GRANT_LISTS)[number];
  readonly item: unknown;
  readonly phrase: string;
}

/** What an AppProject allows, one phrase each: destinations, cluster-scoped and namespaced kinds, repositories, Application namespaces. */
function projectGrantItems(project: Readonly<Record<string, unknown>> | undefined): Grant[] {
  const spec = (project?.spec ?? {}) as Record<string, unknown>;
  const list = (key: string): Record<string, unknown>[] => (Array.isArray(spec[key]) ? (spec[key] as Record<string, unknown>[]) : []);
  const kind = (item: Record<string, unknown>) =>
    `${item.group ? `${String(item.group)}/` : ''}${String(item.kind)}\`${item.name ? ` named \`${String(item.name)}\`` : ''}`;
  return [
    ...list('destinations').map((d) => ({
      list: 'destinations' as const,
      item: d,
      phrase: `namespace \`${String(d.namespace ?? '*')}\`${d.server !== undefined && d.server !== 'https://kubernetes.default.svc' ? ` on ${String(d.server)}` : ''}${d.name ? ` on ${String(d.name)}` : ''}`,
    })),
    ...list('clusterResourceWhitelist').map((item) => ({ list: 'clusterResourceWhitelist' as const, item, phrase: `cluster-scoped kind \`${kind(item)}` })),
    ...list('namespaceResourceWhitelist').map((item) => ({ list: 'namespaceResourceWhitelist' as const, item, phrase: `namespaced kind \`${kind(item)}` })),
    ...(Array.isArray(spec.sourceRepos)
      ? spec.sourceRepos.map((repo) => ({ list: 'sourceRepos' as const, item: repo, phrase: `repository \`${String(repo)}\`` }))
      : []),
    ...(Array.isArray(spec.sourceNamespaces)
      ? spec.sourceNamespaces.map((ns) => ({ list: 'sourceNamespaces' as const, item: ns, phrase: `Applications in namespace \`${String(ns)}\`` }))
      : []),
  ];
}

/**
 * A `kubectl patch` that adds what a project gains to the live project and
 * takes nothing away (a JSON patch of `add` operations; a list the live
 * project lacks is added whole).
 */
function admitCommand(entry: PlanEntry, gained: readonly Grant[]): string {
  const spec = (entry.before?.spec ?? {}) as Record<string, unknown>;
  const ops: unknown[] = [];
  for (const list of GRANT_LISTS) {
    const items = gained.filter((g) => g.list === list).map((g) => g.item);
    if (items.length === 0) continue;
    if (Array.isArray(spec[list])) for (const item of items) ops.push({ op: 'add', path: `/spec/${list}/-`, value: item });
    else ops.push({ op: 'add', path: `/spec/${list}`, value: items });
  }
  const namespace = (entry.before?.metadata as { namespace?: unknown } | undefined)?.namespace;
  const patch = JSON.stringify(ops).replace(/'/g, "'\\''");
  return `\`kubectl patch appproject ${entry.name}${typeof namespace === 'string' ? ` -n ${namespace}` : ''} --type json -p '${patch}'\``;
}

/** Kinds whose admission lets a chart raise its own privileges or reach every namespace. */
const PRIVILEGED: Readonly<Record<string, string>> = {
  ClusterRoleBinding: 'it can bind any ClusterRole, cluster-admin included, to any subject',
  MutatingWebhookConfiguration: 'an admission webhook sees, and can change, objects of every namespace',
  ValidatingWebhookConfiguration: 'an admission webhook sees objects of every namespace and can refuse them',
  CustomResourceDefinition: 'a CRD adds an API for the whole cluster, and its removal deletes every object of its kind',
  '*': 'every kind is admitted',
};

/** Roles a RoleBinding may not reach without review: they grant (almost) everything in the namespace. */
const ADMIN_ROLES = new Set(['cluster-admin', 'admin', 'edit']);

/**
 * A project that now admits a privileged kind, with the chart that needs it:
 * a blocking line each, for a reviewer to accept the escalation knowingly.
 * Whatever AppProjects `bootstrap/` holds are compared (one shared, or one per component).
 */
function privilegedActions(cluster: string, entries: readonly PlanEntry[], details: PlanDetails | undefined): ReviewerAction[] {
  const projectOf = new Map<string, string>();
  for (const entry of entries) {
    const project = ((entry.after ?? entry.before)?.spec as { project?: unknown } | undefined)?.project;
    if (entry.isApplication && typeof project === 'string') projectOf.set(entry.component, project);
  }
  const renders = (details?.renders ?? []).filter((r) => r.cluster === cluster);
  const actions: ReviewerAction[] = [];
  // A binding to an admin role that a chart adds is an escalation whether or not a project changes with it.
  for (const render of renders) {
    for (const change of render.changes) {
      if (change.change === 'removed' || (change.kind !== 'ClusterRoleBinding' && change.kind !== 'RoleBinding')) continue;
      const role = String((change.after?.roleRef as { name?: unknown } | undefined)?.name);
      const was = String((change.before?.roleRef as { name?: unknown } | undefined)?.name);
      if (!ADMIN_ROLES.has(role) || (change.change === 'changed' && was === role)) continue;
      const chart =
        render.after === undefined
          ? ''
          : ` (${render.before !== undefined && render.before !== render.after ? `${render.before} → ${render.after}` : render.after})`;
      const where = change.namespace === undefined ? 'in every namespace' : `in namespace \`${change.namespace}\``;
      actions.push({
        level: 'blocking',
        cluster,
        text: `**${cluster}: \`${render.component}\`${chart} now binds \`${role}\` ${where}** (${change.kind} \`${change.name}\`): review it as an escalation of privilege before merging`,
      });
    }
  }
  for (const entry of entries.filter((e) => e.component === BOOTSTRAP_DIR && e.kind === 'AppProject')) {
    const before = projectGrantItems(entry.before);
    const gained = projectGrantItems(entry.after).filter((g) => !before.some((b) => b.phrase === g.phrase));
    for (const grant of gained) {
      if (grant.list !== 'clusterResourceWhitelist' && grant.list !== 'namespaceResourceWhitelist') continue;
      const kind = String((grant.item as { kind?: unknown }).kind);
      const users = renders
        .filter((r) => projectOf.get(r.component) === undefined || projectOf.get(r.component) === entry.name)
        .flatMap((r) =>
          r.changes
            .filter((c) => c.change !== 'removed' && (kind === '*' || c.kind === kind))
            .filter((c) => c.kind !== 'RoleBinding' || ADMIN_ROLES.has(String((c.after?.roleRef as { name?: unknown } | undefined)?.name)))
            .map((c) => ({ render: r, change: c })),
        );
      const why = kind === 'RoleBinding' ? 'it binds an admin role (`admin`, `edit` or `cluster-admin`) in its namespace' : PRIVILEGED[kind];
      if (why === undefined || (kind === 'RoleBinding' && users.length === 0)) continue;
      const byComponent = [...new Set(users.map((u) => u.render.component))].map((component) => {
        const render = users.find((u) => u.render.component === component)?.render;
        const names = users.filter((u) => u.render.component === component).map((u) => `\`${u.change.name}\``);
        const chart =
          render?.after === undefined
            ? ''
            : ` (${render.before !== undefined && render.before !== render.after ? `${render.before} → ${render.after}` : render.after})`;
        return `\`${component}\`${chart} renders ${kind} ${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''}`;
      });
      actions.push({
        level: 'blocking',
        cluster,
        text:
          `**${cluster}: AppProject \`${entry.name}\` now admits ${kind === '*' ? 'every kind' : `\`${kind}\``}, a privileged kind** (${why}): ` +
          `${byComponent.length > 0 ? byComponent.join('; ') : 'no chart in this change renders one'}. Review it as an escalation of privilege before merging`,
      });
    }
  }
  return actions;
}

/** Argo CD's own values (installed by hand with Helm): before merging, like the health check they carry. */
function valuesActions(plan: Plan, cluster: string, outdir: string): ReviewerAction[] {
  return (plan.bootstrapValues ?? [])
    .filter((v) => v.cluster === cluster)
    .map((v): ReviewerAction => {
      const paths = fieldChanges(v.before, v.after).map((c) => c.path);
      const what = v.before === undefined ? 'new' : `changed (${paths.slice(0, 3).join(', ')}${paths.length > 3 ? ` and ${paths.length - 3} more` : ''})`;
      if (v.after === undefined) {
        return { level: 'after', cluster, text: `**${cluster}: \`${outdir}/${v.file}\` is removed**: take its settings out of Argo CD's values after merging` };
      }
      return {
        level: 'blocking',
        cluster,
        text:
          `**${cluster}: Argo CD's values \`${outdir}/${v.file}\` are ${what}: install them before merging** ` +
          `(\`helm upgrade --install argocd argo-cd --repo https://argoproj.github.io/argo-helm --namespace argocd -f ${outdir}/${v.file}\`, merged into your own values); nothing syncs them`,
      };
    });
}

/** An OnePasswordItem (supporting manifest or chart object) that reads an item the cluster did not read before. */
function onePasswordActions(
  cluster: string,
  entries: readonly PlanEntry[],
  details: PlanDetails | undefined,
  rows: readonly OnePasswordItemRow[],
): ReviewerAction[] {
  const itemPath = (object: Readonly<Record<string, unknown>> | undefined) => {
    const path = (object?.spec as { itemPath?: unknown } | undefined)?.itemPath;
    return typeof path === 'string' ? path : undefined;
  };
  const reads: { component: string; name: string; path: string; before?: string }[] = [];
  for (const entry of entries) {
    if (entry.kind !== 'OnePasswordItem' || entry.change === 'removed') continue;
    const path = itemPath(entry.after);
    const before = itemPath(entry.before);
    if (path !== undefined && path !== before) reads.push({ component: entry.component, name: entry.name, path, ...(before === undefined ? {} : { before }) });
  }
  for (const render of (details?.renders ?? []).filter((r) => r.cluster === cluster)) {
    for (const change of render.changes) {
      if (change.kind !== 'OnePasswordItem' || change.change === 'removed' || change.supporting) continue;
      const path = itemPath(change.after);
      const before = itemPath(change.before);
      if (path !== undefined && path !== before)
        reads.push({ component: render.component, name: change.name, path, ...(before === undefined ? {} : { before }) });
    }
  }
  const seen = new Set<string>();
  return reads.flatMap((read): ReviewerAction[] => {
    if (seen.has(`${read.component}/${read.name}`)) return [];
    seen.add(`${read.component}/${read.name}`);
    const match = /^vaults\/([^/]+)\/items\/([^/]+)$/.exec(read.path);
    const [vault, item] = match === null ? ['?', read.path] : [match[1], match[2]];
    const row = rows.find((r) => r.component === read.component && r.vault === vault && r.item === item);
    const fields = row === undefined ? '' : ` with field(s) ${row.keys.map((k) => `\`${k}\``).join(', ')}`;
    const was = read.before === undefined ? 'a new 1Password item' : `another 1Password item (was \`${read.before}\`)`;
    return [
      {
        level: 'blocking',
        cluster,
        text: `**${cluster}: \`${read.component}\` reads ${was}: make sure item \`${item}\` exists in vault \`${vault}\`${fields} before merging**; until it does, the 1Password operator creates no Secret \`${read.name}\` and what reads it does not start`,
      },
    ];
  });
}

/**
 * A component that now reads a field of an item it already read (the catalog's `keys` grew): the
 * item path is the same, so no object of `dist/` says so, only the cluster README's item table.
 * Until the field exists, the operator's Secret lacks the key and what reads it does not start.
 */
function onePasswordFieldActions(
  cluster: string,
  rows: readonly OnePasswordItemRow[] | undefined,
  base: readonly OnePasswordItemRead[] | undefined,
): ReviewerAction[] {
  if (rows === undefined || base === undefined || base.length === 0) return [];
  return rows.flatMap((row): ReviewerAction[] => {
    const before = base.find((b) => b.component === row.component && b.vault === row.vault && b.item === row.item);
    const added = before === undefined ? [] : row.keys.filter((key) => !before.keys.includes(key));
    if (added.length === 0) return [];
    return [
      {
        level: 'blocking',
        cluster,
        text: `**${cluster}: \`${row.component}\` now reads field(s) ${added.map((k) => `\`${k}\``).join(', ')} of item \`${row.item}\` in vault \`${row.vault}\`: add them before merging**; until they exist, the Secret the 1Password operator writes lacks them and what reads them does not start`,
      },
    ];
  });
}

/** The first few changed field paths of an entry. */
function changedPaths(entry: PlanEntry): string {
  if (entry.change !== 'changed') return entry.change;
  const paths = fieldChanges(entry.before, entry.after).map((c) => c.path);
  return paths.length <= 3 ? paths.join(', ') : `${paths.slice(0, 3).join(', ')} and ${paths.length - 3} more`;
}

/** Removed Applications, in the order the root app prunes them: the highest wave first (gitops-engine reverses the waves of prune tasks). */
function removalActions(plan: Plan, entries: readonly PlanEntry[]): ReviewerAction[] {
  return entries
    .filter((e) => e.isApplication && e.change === 'removed')
    .sort((a, b) => (b.wave ?? 0) - (a.wave ?? 0))
    .map((entry): ReviewerAction => {
      const moved =
        entry.identityChange === undefined ? '' : ` (its identity changes: ${entry.identityChange}; Argo CD sees one Application deleted and another created)`;
      const head = `**${entry.cluster}: \`${entry.component}\` is removed**${moved}`;
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
