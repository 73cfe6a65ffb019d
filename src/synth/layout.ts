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

/** Folder (inside a cluster's folder) of Helm values for charts installed by hand. */
export const VALUES_DIR = `${BOOTSTRAP_DIR}/values`;

/** Values for the argo-cd Helm chart (not a manifest, hence its own folder). */
export const ARGO_CD_VALUES_FILE = `${VALUES_DIR}/argo-cd.yaml`;

/**
 * File name of the root Application, relative to the cluster folder. It sorts
 * after the AppProjects and `argocd-cm`, so `kubectl apply -f bootstrap/`
 * creates them first.
 */
export function rootApplicationFile(name: string): string {
  return `${BOOTSTRAP_DIR}/${name}.yaml`;
}

/**
 * The file that marks a folder as this project's output (at the top of
 * `dist/`, outside every cluster folder, so no Application reads it). Synth
 * replaces a folder as a whole, so it refuses a non-empty folder without it.
 */
export const OUTPUT_MARKER = '.pke-output';

/** What the marker says, always the same (it is committed with the output). */
export const OUTPUT_MARKER_TEXT =
  'This folder is the output of `npm run synth` (pke-platform): it is replaced as a whole on every run.\n' +
  'Do not edit or add files here. Synth only replaces a folder that holds this file (or is empty).\n';

/**
 * True for a file an older synth wrote before the marker existed: where this
 * layout puts files, with the "Generated from" header every rendered file has.
 * A folder of only such files is accepted as output once, and gets the marker.
 */
export function isUnmarkedOutputFile(path: string, text: string): boolean {
  return describeFile(path) !== undefined && /^(?:# |<!-- )Generated from \S+ by `npm run synth`/m.test(text.slice(0, 1000));
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

/**
 * What a rendered file is, by where it sits:
 * - `child`: `<cluster>/<component>.yaml`, a child Application the root app applies;
 * - `supporting`: `<cluster>/<component>/<file>.yaml`, applied by the component's Application;
 * - `bootstrap`: `<cluster>/bootstrap/<file>.yaml`, applied once by hand;
 * - `values`: `<cluster>/bootstrap/values/<file>.yaml`, Helm values (not an object);
 * - `document`: anything not YAML or JSON (the overview), which no manifest reads.
 */
export type FileRole = 'child' | 'supporting' | 'bootstrap' | 'values' | 'document';

/** The cluster, role and (for Applications and supporting manifests) component of a rendered file. */
export interface FileInfo {
  readonly cluster: string;
  readonly role: FileRole;
  readonly component?: string;
}

/**
 * Tells what a rendered file is from its path (relative to the output folder).
 * @returns undefined for a path this layout never writes
 */
export function describeFile(path: string): FileInfo | undefined {
  const parts = path.split('/');
  if (parts.length < 2) return undefined;
  const cluster = parts[0];
  if (!/\.(ya?ml|json)$/.test(path)) return { cluster, role: 'document' };
  if (parts[1] === BOOTSTRAP_DIR) {
    if (parts.length === 3) return { cluster, role: 'bootstrap' };
    return parts.length === 4 && `${parts[1]}/${parts[2]}` === VALUES_DIR ? { cluster, role: 'values' } : undefined;
  }
  if (parts.length === 2) return { cluster, role: 'child', component: parts[1].replace(/\.(ya?ml|json)$/, '') };
  if (parts.length === 3) return { cluster, role: 'supporting', component: parts[1] };
  return undefined;
}
