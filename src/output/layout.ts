import type { Environment } from '../config/environment';
import type { ClusterLayout } from '../constructs/cluster-platform';

/** Folder (inside a cluster's folder) with the root Application, applied once by hand. */
export const BOOTSTRAP_DIR = 'bootstrap';

/** File name of the child Application of a component, relative to the cluster folder. */
export function applicationFile(componentId: string): string {
  return `${componentId}.yaml`;
}

/** File name of one supporting manifest, relative to the cluster folder. */
export function manifestFile(componentId: string, kind: string, name: string): string {
  return `${componentId}/${kind.toLowerCase()}-${name}.yaml`;
}

/** File name of a bootstrap object (AppProject, argocd-cm), relative to the cluster folder. */
export function bootstrapFile(kind: string, name: string): string {
  return `${BOOTSTRAP_DIR}/${kind.toLowerCase()}-${name}.yaml`;
}

/** The generated overview of a cluster (Markdown; the root app reads only `*.yaml`). */
export const OVERVIEW_FILE = 'README.md';

/** Values for the argo-cd Helm chart (not a manifest, hence its own folder). */
export const ARGO_CD_VALUES_FILE = `${BOOTSTRAP_DIR}/values/argo-cd.yaml`;

/**
 * File name of the root Application, relative to the cluster folder. It sorts
 * after the AppProjects and `argocd-cm`, so `kubectl apply -f bootstrap/`
 * creates them first.
 */
export function rootApplicationFile(name: string): string {
  return `${BOOTSTRAP_DIR}/${name}.yaml`;
}

/**
 * Where one cluster's output sits in the Git repository:
 * `<git.path>/<cluster>/` holds one file per child Application (what the root
 * app watches, top level only) and one folder per component for its
 * supporting manifests (what that component's Application reads as its second
 * source). File names never carry waves or order, so changing a wave or a
 * dependency changes file contents, never file names.
 */
export function clusterLayout(env: Environment): ClusterLayout {
  const clusterPath = `${env.git.path}/${env.cluster}`;
  return {
    applicationsPath: clusterPath,
    manifestsPath: (componentId) => `${clusterPath}/${componentId}`,
  };
}
