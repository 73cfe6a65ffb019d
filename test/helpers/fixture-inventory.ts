import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Environment } from '../../src/config/environment';
import { loadEnvironment } from '../../src/config/load';
import { fullKubeVersion, type Inventory, type InventoryApplication, loadInventories, serializeInventory } from '../../src/inventory/inventory';
import { renderClusterObjects, renderInputs } from '../../src/synth/cluster-files';
import { planEnvironment } from '../../src/platform/index';
import { componentIds, components } from '../../src/platform/index';

/**
 * An inventory for an environment that has none committed (a test fixture): for
 * every Application, what the real clusters' committed inventories say its chart
 * renders, under the fixture's own render inputs (values, version …). Charts
 * render the same kinds and names for any cluster of this catalog, which is all
 * synth reads; a test that needs the real render of a fixture renders it.
 * Services are borrowed too (their names and ports do not depend on the values
 * synth varies); Ingresses are not, since their class follows the environment's
 * ingress controller.
 */
export function fixtureInventory(env: Environment): Inventory {
  const known = [...loadInventories(['kkg', 'example']).values()];
  const applications = new Map<string, InventoryApplication>();
  for (const application of renderClusterObjects(planEnvironment(env, components)).applications.values()) {
    for (const inputs of renderInputs(application)) {
      const seen = known.map((inventory) => inventory.applications.get(inputs.name)).find((app) => app !== undefined);
      applications.set(inputs.name, {
        chart: inputs.chart,
        repoURL: inputs.repoURL,
        version: inputs.version,
        digest: seen?.digest ?? `sha256:${'0'.repeat(64)}`,
        values: inputs.values,
        releaseName: inputs.releaseName,
        namespace: inputs.namespace,
        skipCrds: inputs.skipCrds,
        objects: seen?.objects ?? [],
        crds: seen?.crds ?? [],
        ...(seen?.services === undefined ? {} : { services: seen.services }),
      });
    }
  }
  return {
    cluster: env.cluster,
    file: `inventory/${env.cluster}.yaml`,
    kubeVersion: fullKubeVersion(env.clusterSettings.kubernetesVersion),
    helm: 'v4.1.4',
    apiVersions: [...env.clusterSettings.apiVersions],
    applications,
  };
}

/** {@link fixtureInventory} as the text of `inventory/<cluster>.yaml`. */
export function fixtureInventoryText(env: Environment): string {
  return serializeInventory(fixtureInventory(env));
}

/** The fixture environment `lab` (valid), as synth finds it in a folder of its own. */
export const LAB_ENVIRONMENT = 'test/fixtures/environments/lab.yaml';

/**
 * Writes `environments/lab.yaml` and its `inventory/lab.yaml` into `dir`: a folder
 * synth renders with exit 0.
 */
export function writeLabWorkspace(dir: string, environmentText = readFileSync(LAB_ENVIRONMENT, 'utf8')): void {
  mkdirSync(join(dir, 'environments'), { recursive: true });
  writeFileSync(join(dir, 'environments/lab.yaml'), environmentText);
  mkdirSync(join(dir, 'inventory'), { recursive: true });
  writeFileSync(
    join(dir, 'inventory/lab.yaml'),
    fixtureInventoryText(loadEnvironment(LAB_ENVIRONMENT.replace(/^test\/fixtures\//, ''), environmentText, componentIds)),
  );
}
