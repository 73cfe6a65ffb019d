import { SYNC_WAVE_ANNOTATION } from '../../core/argocd-annotations';
import { pointer } from '../object-meta';
import type { Finding } from '../finding';
import { annotation, findingAt, isApplication, nameOf, type PolicyRule } from './_context';

const WAVE_PATH = `/metadata/annotations/${pointer(SYNC_WAVE_ANNOTATION)}`;

/**
 * `waves`: every child Application's sync-wave is above the waves of all the
 * components it depends on (catalog `dependsOn`, as the environment resolves
 * it), so the root app creates a component only after its dependencies.
 */
export const wavesRule: PolicyRule = {
  name: 'waves',
  description: 'every child Application has a sync-wave above the waves of all of its dependencies',
  check({ objects, clusters, shownDir }) {
    const findings: Finding[] = [];
    const byCluster = new Map<string, (typeof objects)[number][]>();
    for (const rendered of objects) {
      if (rendered.role === 'child' && isApplication(rendered)) {
        const children = byCluster.get(rendered.cluster);
        if (children === undefined) byCluster.set(rendered.cluster, [rendered]);
        else children.push(rendered);
      }
    }
    for (const [cluster, children] of byCluster) {
      const facts = clusters.get(cluster);
      if (facts === undefined) {
        findings.push({
          rule: 'waves',
          cluster,
          file: `${shownDir}/${cluster}`,
          path: '',
          message: `no environment file for cluster ${cluster}, so the dependencies of its Applications are unknown`,
          fix: `add environments/${cluster}.yaml, or remove ${shownDir}/${cluster}`,
        });
        continue;
      }
      const waves = new Map<string, number | undefined>();
      for (const app of children) {
        const value = annotation(app, SYNC_WAVE_ANNOTATION);
        const wave = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : undefined;
        waves.set(nameOf(app), wave);
        if (wave === undefined) {
          findings.push(
            findingAt(
              app,
              'waves',
              WAVE_PATH,
              `expected the sync-wave as a whole number in a string, got ${JSON.stringify(value ?? null)}`,
              'render the wave with SyncWave.of(layer)',
            ),
          );
        }
      }
      for (const app of children) {
        const name = nameOf(app);
        const dependencies = facts.dependsOn.get(name);
        const wave = waves.get(name);
        if (dependencies === undefined) {
          findings.push(
            findingAt(
              app,
              'waves',
              '',
              `no enabled component ${name} in ${facts.environment}, so its dependencies are unknown`,
              `remove the stale file, or enable ${name} in ${facts.environment}`,
            ),
          );
          continue;
        }
        for (const dependency of dependencies) {
          if (!waves.has(dependency)) {
            findings.push(
              findingAt(
                app,
                'waves',
                WAVE_PATH,
                `depends on ${dependency}, which has no Application in ${shownDir}/${cluster}/`,
                `render ${dependency} (enable it in ${facts.environment}) or drop the dependency`,
              ),
            );
          } else {
            const other = waves.get(dependency);
            if (wave !== undefined && other !== undefined && wave <= other) {
              findings.push(
                findingAt(
                  app,
                  'waves',
                  WAVE_PATH,
                  `wave ${wave} is not above wave ${other} of its dependency ${dependency}`,
                  `give ${name} a layer above ${other} in src/platform/${name}.ts, or let the planner derive it`,
                ),
              );
            }
          }
        }
      }
    }
    return findings;
  },
};
