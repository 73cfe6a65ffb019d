import { parse } from 'yaml';
import type { Environment } from '../config/environment';
import { fullKubeVersion } from '../inventory/inventory';
import { UserError } from '../core/user-error';
import { applicationFile } from '../synth/layout';
import { type FileMap, toYaml } from '../synth/cluster-files';

/** The Helm source of a rendered Application, as `synth/` writes it. */
export interface RenderedHelmSource {
  /** Chart repository URL. */
  readonly repoURL: string;
  /** Chart name. */
  readonly chart: string;
  /** Exact chart version. */
  readonly targetRevision: string;
  readonly helm: { readonly releaseName: string; readonly skipCrds?: boolean; readonly valuesObject?: unknown };
}

/** One component's chart as its rendered Application installs it. */
export interface RenderedRelease {
  /** The Helm source (the first source of a two-source Application). */
  readonly source: RenderedHelmSource;
  /** Destination namespace. */
  readonly namespace: string;
  /** The cluster's Kubernetes version, as `--kube-version` takes it (`1.33.0`). */
  readonly kubeVersion: string;
}

/**
 * Reads a component's chart, release, namespace and values back from the
 * rendered Application, so nothing printed can differ from what Argo CD gets.
 *
 * @throws UserError when the component is not deployed in this environment
 */
export function renderedRelease(env: Environment, files: FileMap, componentId: string): RenderedRelease {
  const content = files.get(`${env.cluster}/${applicationFile(componentId)}`);
  if (content === undefined) {
    const deployed = [...files.keys()].filter((path) => /^[^/]+\/[^/]+\.yaml$/.test(path)).map((path) => path.slice(env.cluster.length + 1, -'.yaml'.length));
    throw new UserError([
      {
        file: env.file,
        message: `component "${componentId}" is not deployed in this environment (deployed: ${deployed.join(', ')})`,
      },
    ]);
  }
  const app = parse(content);
  return {
    source: app.spec.source ?? app.spec.sources[0],
    namespace: app.spec.destination.namespace,
    kubeVersion: fullKubeVersion(env.clusterSettings.kubernetesVersion),
  };
}

/**
 * The CRD flag Argo CD gives `helm template` for a source: `--include-crds`,
 * or `--skip-crds` when the Application sets `helm.skipCrds` (another
 * Application owns the chart's CRDs).
 */
export function crdFlag(source: RenderedHelmSource): '--include-crds' | '--skip-crds' {
  return source.helm.skipCrds === true ? '--skip-crds' : '--include-crds';
}

/**
 * `helm template` as Argo CD runs it for a release, reading values from
 * `values`. Argo CD also passes every API version the cluster serves
 * (`--api-versions`); `inventory/<cluster>.yaml` lists those `npm run render` used.
 */
export function helmTemplateCommand(release: RenderedRelease, values: string): string {
  const { source, namespace } = release;
  return (
    `helm template ${source.helm.releaseName} ${source.chart} --repo ${source.repoURL} --version ${source.targetRevision} ` +
    `--namespace ${namespace} --kube-version ${release.kubeVersion} ${crdFlag(source)} -f ${values}`
  );
}

/**
 * `helm upgrade --install` with the same chart, release, namespace and CRD
 * choice (`--skip-crds` where Argo CD skips them; Helm installs a chart's CRDs
 * otherwise), for installing before Argo CD exists.
 */
export function helmInstallCommand(release: RenderedRelease, values: string): string {
  const { source, namespace } = release;
  const skip = source.helm.skipCrds === true ? ' --skip-crds' : '';
  return (
    `helm upgrade --install ${source.helm.releaseName} ${source.chart} --repo ${source.repoURL} ` +
    `--version ${source.targetRevision} --namespace ${namespace} --create-namespace${skip} -f ${values}`
  );
}

/** A JSON value with the keys of every object sorted, as `jq -S` prints it. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}

/**
 * The Helm values of one component exactly as the rendered Application hands
 * them to Argo CD, as a values file whose header has the `helm template` line
 * Argo CD runs (same CRD flag) and the matching `helm upgrade --install` line.
 *
 * Use it to install a component out of band before Argo CD exists (Cilium) or
 * to check a running release before Argo CD adopts it: same release name, same
 * namespace, same values, so the adoption shows no diff. With `json`, the
 * values alone as JSON with sorted keys, to compare with
 * `helm get values <release> -o json | jq -S .`.
 *
 * @throws UserError when the component is not deployed in this environment
 */
export function renderValuesFile(env: Environment, files: FileMap, outdir: string, componentId: string, options: { readonly json?: boolean } = {}): string {
  const release = renderedRelease(env, files, componentId);
  const values = release.source.helm.valuesObject ?? {};
  if (options.json === true) {
    return `${JSON.stringify(sortKeys(values), null, 2)}\n`;
  }
  const { source, namespace } = release;
  const header = [
    `# Helm values of ${componentId} for cluster ${env.cluster}, exactly as ${outdir}/${env.cluster}/${applicationFile(componentId)}`,
    `# gives them to Argo CD (generated from ${env.file}). Chart ${source.chart} ${source.targetRevision}`,
    `# from ${source.repoURL}, release ${source.helm.releaseName} in namespace ${namespace}.`,
    "# Argo CD renders it as (adding the cluster's --kube-version and --api-versions):",
    `#   ${helmTemplateCommand(release, '<this file>')}`,
    '# Install or upgrade it by hand with the same release, namespace and CRD choice:',
    `#   ${helmInstallCommand(release, '<this file>')}`,
  ];
  return `${header.join('\n')}\n${toYaml(values)}`;
}
