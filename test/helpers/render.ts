import { parse } from 'yaml';
import type { Environment } from '../../src/config/environment';
import { loadInventories } from '../../src/inventory/inventory';
import { loadEnvironments } from '../../src/config/load';
import { planEnvironment } from '../../src/platform/index';
import { componentIds, components } from '../../src/platform/index';
import { type FileMap, renderCluster } from '../../src/synth/cluster-files';

/** A rendered Kubernetes object with the file it was written to. */
export interface RenderedObject {
  readonly file: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly object: any;
}

/** Loads every environment file of a folder, as `npm run synth` does. */
export function loadAll(dir = 'environments'): Environment[] {
  return loadEnvironments(dir, componentIds);
}

/** Renders one environment in memory, as `npm run synth` does (with its committed inventory, when it has one). */
export function renderEnvironment(env: Environment): FileMap {
  return renderCluster(planEnvironment(env, components), loadInventories([env.cluster]).get(env.cluster));
}

/** Renders and parses one environment: every object with its file. */
export function renderedObjects(env: Environment): RenderedObject[] {
  return [...renderEnvironment(env)]
    .filter(([file]) => file.endsWith('.yaml') && !file.includes('/values/'))
    .map(([file, content]) => ({ file, object: parse(content) }));
}

/** The child Applications of one environment (the files the root app reads), by name. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function childApplications(env: Environment): Map<string, any> {
  return new Map(
    renderedObjects(env)
      .filter(({ file, object }) => object.kind === 'Application' && !file.includes('/bootstrap/'))
      .map(({ object }) => [object.metadata.name, object]),
  );
}
