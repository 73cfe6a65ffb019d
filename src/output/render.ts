import { type ApiObject, App, Chart } from 'cdk8s';
import { stringify } from 'yaml';
import { APPLICATION_HEALTH_KEY, APPLICATION_HEALTH_LUA } from '../constructs/application-health-check';
import { ClusterPlatform } from '../constructs/cluster-platform';
import type { Environment } from '../config/environment';
import { type Problem, UserError } from '../config/user-error';
import { type PlatformPlan, planEnvironment } from '../platform/_resolve';
import type { ComponentSpec } from '../platform/types';
import {
  ARGO_CD_VALUES_FILE,
  applicationFile,
  bootstrapFile,
  clusterLayout,
  manifestFile,
  OVERVIEW_FILE,
  rootApplicationFile,
} from './layout';
import { renderOverview } from './overview';

/** Rendered files: path relative to the output folder → file content. */
export type FileMap = Map<string, string>;

/**
 * Plans and renders every environment into one file map. The problems of every
 * environment are collected first, so one run reports them all.
 *
 * @throws UserError with the problems of all environments
 */
export function renderEnvironments(environments: readonly Environment[], catalog: readonly ComponentSpec[]): FileMap {
  const files: FileMap = new Map();
  const problems: Problem[] = [];
  for (const env of environments) {
    try {
      for (const [path, content] of renderCluster(planEnvironment(env, catalog))) files.set(path, content);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new UserError(problems);
  return files;
}

/**
 * Renders one cluster: builds its constructs in a single cdk8s Chart (one chart
 * per cluster keeps synthesis linear in the number of components) and writes
 * each object to the file `output/` names for it, under `<cluster>/`.
 *
 * Every file holds one YAML document, keys sorted by cdk8s, no line folding,
 * and a header naming its source; nothing depends on time or paths on disk.
 */
export function renderCluster(plan: PlatformPlan): FileMap {
  const { env } = plan;
  const app = new App({ outdir: '.' });
  const chart = new Chart(app, env.cluster);
  const platform = new ClusterPlatform(chart, 'Platform', { plan, layout: clusterLayout(env) });
  const header = `# Generated from ${env.file} by \`npm run synth\`. Do not edit.\n`;
  const files: FileMap = new Map();
  const add = (relative: string, object: ApiObject): void => {
    const path = `${env.cluster}/${relative}`;
    if (files.has(path)) {
      throw new Error(`two objects render to ${path}; give them distinct names`);
    }
    files.set(path, header + toYaml(object.toJson()));
  };

  for (const { component, application, manifests } of platform.components) {
    add(applicationFile(component.spec.id), application.apiObject);
    for (const manifest of manifests) {
      add(manifestFile(component.spec.id, manifest.kind, manifest.name), manifest);
    }
  }
  for (const object of [platform.project.apiObject, platform.rootProject.apiObject, platform.healthCheck.apiObject]) {
    add(bootstrapFile(object.kind, object.name), object);
  }
  add(rootApplicationFile(platform.root.apiObject.name), platform.root.apiObject);
  files.set(`${env.cluster}/${ARGO_CD_VALUES_FILE}`, header + toYaml(argoCdValues()));
  files.set(`${env.cluster}/${OVERVIEW_FILE}`, renderOverview(plan));
  return files;
}

/** Values for the argo-cd Helm chart that install the Application health check. */
function argoCdValues(): unknown {
  return { configs: { cm: { [APPLICATION_HEALTH_KEY]: APPLICATION_HEALTH_LUA } } };
}

/** One YAML document: no folding, no anchors, block literals for multi-line strings. */
export function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false });
}
