import type { PlatformPlan } from '../platform/index';
import { grafana } from '../platform/grafana';
import { cilium } from '../platform/cilium';
import { onePasswordItems } from '../synth/one-password-items';
import { type FileMap } from '../synth/cluster-files';
import { renderedRelease } from './values-file';

/** Quotes a word for POSIX sh. */
function sh(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'"'"'`)}'`;
}

/** A regular expression matching exactly `name` (for `helm list -f`). */
function exactly(name: string): string {
  return `^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
}

/**
 * The cut-over of one cluster from Helmfile to Argo CD, as commands and checks
 * for a person to read and run (nothing is run for them), in wave order:
 *
 * 1. every 1Password item the cluster needs exists with its fields (checked
 *    with `op read`, which prints nothing);
 * 2. Grafana's admin login moves from the Secret its chart generated to the
 *    1Password item `grafana-admin`, with the same password;
 * 3. per component, before Argo CD exists: the running Helm release has the
 *    release name and namespace the Application uses (`helm list`), and its
 *    values against the ones the Application carries (`helm get values`);
 * 4. the bootstrap (docs/operations.md, "Bootstrap Argo CD on a cluster");
 * 5. per component, once its Application is Synced and Healthy: the Helm
 *    release records (`sh.helm.release.v1.<release>.v<N>` Secrets) to delete;
 * 6. from then on, a rollback is `git revert`, never `helm rollback`.
 *
 * The release, namespace and chart version are read back from the rendered
 * Applications, so the guide cannot disagree with what Argo CD applies.
 */
export function cutoverGuide(plan: PlatformPlan, files: FileMap): string {
  const { env } = plan;
  const releases = plan.components.map((component) => ({ component, release: renderedRelease(env, files, component.spec.id) }));
  const out: string[] = [];
  const say = (...lines: string[]) => out.push(...lines);

  say(
    `# Cut-over of cluster ${env.cluster} from Helmfile to Argo CD (generated from ${env.file}).`,
    '# Printed, not run: read each step, then run it with a kubeconfig for this cluster, a signed-in',
    '# 1Password CLI (op 2.x), helm, jq, kubectl and bash. Components come in wave order, the order Argo CD',
    '# syncs them in. Stop running helmfile for this cluster first: from the cut-over on, Argo CD owns',
    '# every release below, and a helmfile apply would undo what it syncs.',
    '',
    '## 1. Every 1Password item exists with its fields',
    '# A missing field prints "missing: <vault>/<item>/<field>"; the values themselves are never printed.',
  );
  for (const item of onePasswordItems(plan)) {
    const reference = (key: string) => sh(`op://${item.vault}/${item.item}/${key}`);
    say(
      `# wave ${item.wave} ${item.component}: ${item.usedBy}; becomes ${item.secrets.join(', ')}`,
      ...item.keys.map((key) => `op read ${reference(key)} >/dev/null || echo ${sh(`missing: ${item.vault}/${item.item}/${key}`)}`),
    );
  }

  const grafanaRelease = releases.find(({ component }) => component.spec.id === grafana.id);
  const grafanaItem = onePasswordItems(plan).find((item) => item.component === grafana.id);
  if (grafanaRelease !== undefined && grafanaItem !== undefined) {
    const { namespace, source } = grafanaRelease.release;
    // The chart's fullname: the release name when it contains the chart name, as grafana's own helper decides.
    const old = source.helm.releaseName.includes(source.chart) ? source.helm.releaseName : `${source.helm.releaseName}-${source.chart}`;
    const field = (key: string, type: string) => `{label: "${key}", type: "${type}", value: (.data["${key}"] | @base64d)}`;
    say(
      '',
      "## 2. Grafana's admin password moves to 1Password",
      `# The Helmfile-era chart generated the admin login into Secret ${namespace}/${old}; the Application`,
      `# reads ${grafanaItem.secrets.join(', ')}, synced from the 1Password item ${grafanaItem.item}. Grafana keeps the`,
      '# password in its database from its first start, so store the same one (skip this if the item exists).',
      '# The values never reach a command line (ps shows those to every user): jq decodes them from the',
      "# Secret's JSON into an item template in a file only you can read (mode 0600), which op reads.",
      'template="$(umask 077 && mktemp)"',
      `kubectl -n ${namespace} get secret ${old} -o json | jq ${sh(`{title: "${grafanaItem.item}", category: "LOGIN", fields: [${field('admin-user', 'STRING')}, ${field('admin-password', 'CONCEALED')}]}`)} > "$template"`,
      `op item create --vault ${sh(grafanaItem.vault)} --template "$template"`,
      'rm -f "$template"',
      `# Once Grafana runs from its Application, delete the old Secret: kubectl -n ${namespace} delete secret ${old}`,
    );
  }

  say(
    '',
    '## 3. Before the bootstrap: the running releases match the Applications',
    '# helm list prints the chart and status of the release the Application adopts: expect the line in the',
    '# comment. Another chart version is upgraded by the first sync; nothing at all means the release runs',
    '# under another name or namespace (helm list -A): fix the catalog first, or Argo CD installs a second',
    '# copy. The values diff prints nothing when the first sync changes no value; every line it prints is a',
    '# change Argo CD makes: read it.',
  );
  for (const { component, release } of releases) {
    const { source, namespace } = release;
    const name = source.helm.releaseName;
    say(
      `# wave ${component.wave} ${component.spec.id}: release ${name} in namespace ${namespace}`,
      `helm list -n ${namespace} -f ${sh(exactly(name))} -o json | jq -r '.[] | .chart + " " + .status'   # ${source.chart}-${source.targetRevision} deployed`,
      `diff <(helm get values ${name} -n ${namespace} -o json | jq -S .) <(npm run -s values -- ${env.cluster} ${component.spec.id} --json)`,
    );
  }

  say(
    '',
    '## 4. Bootstrap Argo CD (docs/operations.md, "Bootstrap Argo CD on a cluster"): the running Cilium is adopted, not',
    `# installed again; npm run -s bootstrap-secrets -- ${env.cluster} re-creates Connect's Secrets from 1Password.`,
    `# Then kubectl apply -f dist/${env.cluster}/bootstrap/ and watch the waves: kubectl -n ${env.argocd.namespace} get applications`,
    '',
    '## 5. After adoption: remove the Helm release records',
    '# Argo CD renders charts with helm template and keeps no Helm release; the old records only invite',
    '# helm rollback/upgrade/uninstall, which would fight Argo CD. Each command below deletes them only',
    "# once the component's Application is Synced and Healthy; deleting the records leaves the workload alone.",
  );
  for (const { component, release } of releases) {
    const { source, namespace } = release;
    const name = source.helm.releaseName;
    const status = `kubectl -n ${env.argocd.namespace} get application ${component.spec.id} -o jsonpath='{.status.sync.status} {.status.health.status}'`;
    say(
      `# wave ${component.wave} ${component.spec.id}: the Secrets sh.helm.release.v1.${name}.v<N> in ${namespace}` +
        (component.spec.id === cilium.id ? ' (also after a fresh bootstrap, which installs Cilium with helm)' : ''),
      `test "$(${status})" = 'Synced Healthy' && kubectl -n ${namespace} delete secrets -l owner=helm,name=${name}`,
    );
  }

  say(
    '',
    '## 6. From now on',
    '# Never helm rollback, upgrade or uninstall these releases: automated sync with self-heal puts back',
    '# what Git says. To roll back, revert the commit (git revert <commit>, push, merge); the root syncs',
    '# the children again in wave order. Protected components are never removed by a sync (docs/operations.md,',
    '# "Protected components and deleting things").',
    '',
  );
  return out.join('\n');
}
