import { parse } from 'yaml';
import type { Environment } from '../config/environment';
import { UserError } from '../config/user-error';
import { applicationFile } from './layout';
import { type FileMap, toYaml } from './render';

/**
 * The Helm values of one component exactly as the rendered Application hands
 * them to Argo CD (read back from the rendered file, so nothing can differ), as
 * a values file with the matching `helm install` line in its header.
 *
 * Use it to install a component out of band before Argo CD exists (Cilium) or
 * to check a running release before Argo CD adopts it: same release name, same
 * namespace, same values, so the adoption shows no diff.
 *
 * @throws UserError when the component is not deployed in this environment
 */
export function renderValuesFile(env: Environment, files: FileMap, outdir: string, componentId: string): string {
  const content = files.get(`${env.cluster}/${applicationFile(componentId)}`);
  if (content === undefined) {
    const deployed = [...files.keys()]
      .filter((path) => /^[^/]+\/[^/]+\.yaml$/.test(path))
      .map((path) => path.slice(env.cluster.length + 1, -'.yaml'.length));
    throw new UserError([
      {
        file: env.file,
        message: `component "${componentId}" is not deployed in this environment (deployed: ${deployed.join(', ')})`,
      },
    ]);
  }
  const app = parse(content);
  const source = app.spec.source ?? app.spec.sources[0];
  const header = [
    `# Helm values of ${componentId} for cluster ${env.cluster}, exactly as ${outdir}/${env.cluster}/${applicationFile(componentId)}`,
    `# gives them to Argo CD (generated from ${env.file}). Chart ${source.chart} ${source.targetRevision}`,
    `# from ${source.repoURL}, release ${source.helm.releaseName} in namespace ${app.spec.destination.namespace}:`,
    `#   helm upgrade --install ${source.helm.releaseName} ${source.chart} --repo ${source.repoURL} \\`,
    `#     --version ${source.targetRevision} --namespace ${app.spec.destination.namespace} --create-namespace -f <this file>`,
  ];
  return `${header.join('\n')}\n${toYaml(source.helm.valuesObject ?? {})}`;
}
