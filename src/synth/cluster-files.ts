import { type ApiObject, App, Chart } from 'cdk8s';
import { Document } from 'yaml';
import { YAML_11_COMPAT } from './yaml11';
import { APPLICATION_HEALTH_KEY, APPLICATION_HEALTH_LUA } from '../constructs/application-health-check';
import { ClusterPlatform } from '../constructs/cluster-platform';
import type { Environment } from '../config/environment';
import { type Inventory, inventoryFile, OFFLINE_RENDER_COMMAND, type RenderInputs, staleness, undeployed, valuesDigest } from '../inventory/inventory';
import { type Problem, UserError } from '../core/user-error';
import type { Warnings } from '../core/warnings';
import { type PlatformPlan, planEnvironment } from '../platform/index';
import type { ComponentSpec } from '../platform/types';
import { ARGO_CD_VALUES_FILE, applicationFile, bootstrapFile, clusterLayout, manifestFile, OVERVIEW_FILE, rootApplicationFile } from './layout';
import { renderOverview } from './overview';

/** Rendered files: path relative to the output folder → file content. */
export type FileMap = Map<string, string>;

/** Options of {@link renderEnvironments}. */
export interface RenderEnvironmentsOptions {
  /**
   * The inventory of each cluster (`npm run render`): the AppProjects are derived
   * from it, and a cluster without one, or with one that no longer matches its
   * Applications, is a problem.
   * @default - no inventories, and none required (the AppProjects allow no chart objects)
   */
  readonly inventories?: ReadonlyMap<string, Inventory>;
  /**
   * Collects what is worth saying but does not stop synth (an inventory rendered
   * from a chart version other than the pinned one).
   * @default - warnings are dropped
   */
  readonly warnings?: Warnings;
  /**
   * Collects missing and stale inventories instead of throwing them, so that a
   * caller can report them with the rest of its problems.
   * @default - they are thrown with the other problems
   */
  readonly inventoryProblems?: Problem[];
  /**
   * Which files to write as text.
   * @default every file
   */
  readonly text?: (path: string) => boolean;
  /** Filled with the document of every manifest and values file, by path (a check that reads the objects needs no YAML). */
  readonly documents?: Map<string, object>;
}

/**
 * Plans and renders every environment into one file map. The problems of every
 * environment are collected first, so one run reports them all.
 *
 * @throws UserError with the problems of all environments
 */
export function renderEnvironments(environments: readonly Environment[], catalog: readonly ComponentSpec[], options: RenderEnvironmentsOptions = {}): FileMap {
  const files: FileMap = new Map();
  const problems: Problem[] = [];
  for (const env of environments) {
    try {
      const plan = planEnvironment(env, catalog);
      const inventory = options.inventories?.get(env.cluster);
      const rendered = renderClusterObjects(plan, inventory, {
        objects: options.inventories !== undefined,
        text: options.text ?? true,
        documents: options.documents !== undefined,
      });
      for (const [path, document] of rendered.documents) options.documents?.set(path, document);
      if (options.inventories !== undefined) {
        const inputs = [...rendered.applications.values()].flatMap(renderInputs);
        (options.inventoryProblems ?? problems).push(...inventoryProblems(plan, inputs, inventory));
        options.warnings?.add(...inventoryWarnings(plan, inputs, inventory));
      }
      for (const [path, content] of rendered.files) files.set(path, content);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new UserError(problems);
  return files;
}

/** A missing or stale inventory, as one problem naming every Application that needs a render. */
function inventoryProblems(plan: PlatformPlan, inputs: readonly RenderInputs[], inventory: Inventory | undefined): Problem[] {
  const file = inventoryFile(plan.env.cluster);
  if (inventory === undefined) {
    return [
      {
        file,
        message: `no inventory of cluster ${plan.env.cluster}; run \`npm run render\` (it renders every chart of ${plan.env.file}; with no chart repository: \`${OFFLINE_RENDER_COMMAND}\`) and commit ${file}`,
      },
    ];
  }
  const { kubernetesVersion, apiVersions } = plan.env.clusterSettings;
  const reasons = staleness(inventory, inputs, kubernetesVersion, apiVersions);
  return reasons.length === 0
    ? []
    : [
        {
          file,
          message: `stale for ${reasons.join(', ')}; run \`npm run render\` (with no chart repository: \`${OFFLINE_RENDER_COMMAND}\`) and commit ${file}`,
        },
      ];
}

/** Applications whose inventory was rendered from another chart version than they pin, or are no longer deployed. */
function inventoryWarnings(plan: PlatformPlan, inputs: readonly RenderInputs[], inventory: Inventory | undefined): Problem[] {
  if (inventory === undefined) return [];
  const file = inventoryFile(plan.env.cluster);
  const nearest = [...inventory.applications].flatMap(([name, app]) =>
    app.renderedVersion === undefined
      ? []
      : [
          {
            file,
            path: `/applications/${name}`,
            message: `rendered from ${app.chart} ${app.renderedVersion}, not the pinned ${app.version}: its objects may differ; run \`npm run render\` with the real ${app.version} package`,
          },
        ],
  );
  const gone = undeployed(inventory, inputs).map((name) => ({
    file,
    path: `/applications/${name}`,
    message: `${name} is no longer deployed; \`npm run render\` drops it`,
  }));
  return [...nearest, ...gone];
}

/** What an Application (as synthesized) asks Argo CD to render; none for one without a Helm chart. */
export function renderInputs(application: ApplicationJson): RenderInputs[] {
  const spec = application.spec;
  const source = [spec?.source, ...(spec?.sources ?? [])].find((s) => s !== undefined && typeof s.chart === 'string');
  if (source === undefined) return [];
  return [
    {
      name: application.metadata.name,
      chart: source.chart as string,
      repoURL: source.repoURL,
      version: source.targetRevision,
      releaseName: source.helm?.releaseName ?? application.metadata.name,
      namespace: spec.destination?.namespace ?? '',
      values: valuesDigest(source.helm?.valuesObject ?? {}),
      skipCrds: source.helm?.skipCrds === true,
    },
  ];
}

/** The parts of a synthesized Application that rendering reads. */
export interface ApplicationJson {
  readonly metadata: { readonly name: string; readonly annotations?: Record<string, string> };
  readonly spec: {
    readonly source?: ApplicationSourceJson;
    readonly sources?: readonly ApplicationSourceJson[];
    readonly destination?: { readonly namespace?: string; readonly server?: string };
    readonly [key: string]: unknown;
  };
}

/** One source of a synthesized Application. */
export interface ApplicationSourceJson {
  readonly repoURL: string;
  readonly targetRevision: string;
  readonly chart?: string;
  readonly path?: string;
  readonly helm?: { readonly releaseName?: string; readonly valuesObject?: unknown; readonly skipCrds?: boolean };
}

/** One cluster rendered: its files, and the objects behind them. */
export interface RenderedCluster {
  readonly files: FileMap;
  /** Child Applications by component id. */
  readonly applications: ReadonlyMap<string, ApplicationJson>;
  /** Supporting manifests by component id. */
  readonly manifests: ReadonlyMap<string, readonly Record<string, unknown>[]>;
  /** The document of every manifest and values file by path (with `keep.documents`), as its text would read back. */
  readonly documents: ReadonlyMap<string, object>;
}

/**
 * Renders one cluster: builds its constructs in a single cdk8s Chart (one chart
 * per cluster keeps synthesis linear in the number of components) and writes
 * each object to the file `synth/layout.ts` names for it, under `<cluster>/`.
 *
 * Every file holds one YAML document, keys sorted by cdk8s, no line folding,
 * and a header naming its source; nothing depends on time or paths on disk.
 */
export function renderCluster(plan: PlatformPlan, inventory?: Inventory): FileMap {
  return renderClusterObjects(plan, inventory, { objects: false }).files;
}

/**
 * {@link renderCluster}, with the synthesized Applications and supporting manifests as objects too.
 *
 * @param keep.text false leaves the files' text out (`files` is empty), for callers that read only the objects; a
 *   function keeps the text of the paths it accepts
 * @param keep.documents true fills `documents`
 * @param keep.objects false leaves the objects out (`applications` and `manifests` are empty), for callers
 *   that read only the text: a large catalog's objects need not stay in memory next to it
 */
export function renderClusterObjects(
  plan: PlatformPlan,
  inventory?: Inventory,
  {
    text = true,
    objects = true,
    documents = false,
  }: { readonly text?: boolean | ((path: string) => boolean); readonly objects?: boolean; readonly documents?: boolean } = {},
): RenderedCluster {
  const written = typeof text === 'function' ? text : (): boolean => text;
  const { env } = plan;
  const app = new App({ outdir: '.' });
  const chart = new Chart(app, env.cluster);
  const platform = new ClusterPlatform(chart, 'Platform', { plan, layout: clusterLayout(env), inventory });
  const header = `# Generated from ${env.file} by \`npm run synth\`. Do not edit.\n`;
  const files: FileMap = new Map();
  const docs = new Map<string, object>();
  const paths = new Set<string>();
  // The components' AppProjects (bootstrap files), made with their component and added after the components' files.
  const projectFiles: FileMap = new Map();
  const add = (relative: string, object: ApiObject, into = files): Record<string, unknown> => {
    const path = `${env.cluster}/${relative}`;
    if (paths.has(path)) {
      throw new Error(`two objects render to ${path}; give them distinct names`);
    }
    paths.add(path);
    const json = object.toJson() as Record<string, unknown>;
    if (written(path)) into.set(path, header + toYaml(json));
    if (documents) docs.set(path, json);
    return json;
  };

  const applications = new Map<string, ApplicationJson>();
  const manifestObjects = new Map<string, Record<string, unknown>[]>();
  const networkPolicies = new Map<string, Record<string, unknown>[]>();
  // One component at a time: its constructs leave the tree once its files are made.
  for (const { component, application, project, manifests } of platform.components()) {
    const applicationJson = add(applicationFile(component.spec.id), application.apiObject) as unknown as ApplicationJson;
    const manifestJson = manifests.map((manifest) => add(manifestFile(component.spec.id, manifest.kind, manifest.name), manifest));
    networkPolicies.set(
      component.spec.id,
      manifestJson.filter((json) => json.kind === 'NetworkPolicy'),
    );
    if (objects) {
      applications.set(component.spec.id, applicationJson);
      manifestObjects.set(component.spec.id, manifestJson);
    }
    add(bootstrapFile(project.apiObject.kind, project.apiObject.name), project.apiObject, projectFiles);
  }
  for (const [path, content] of projectFiles) files.set(path, content);
  projectFiles.clear();
  for (const object of [platform.rootProject.apiObject, platform.healthCheck.apiObject]) {
    add(bootstrapFile(object.kind, object.name), object);
  }
  add(rootApplicationFile(platform.root.apiObject.name), platform.root.apiObject);
  const valuesFile = `${env.cluster}/${ARGO_CD_VALUES_FILE}`;
  if (written(valuesFile)) files.set(valuesFile, header + toYaml(argoCdValues()));
  if (documents) docs.set(valuesFile, argoCdValues() as object);
  const overviewFile = `${env.cluster}/${OVERVIEW_FILE}`;
  if (written(overviewFile)) files.set(overviewFile, renderOverview(plan, { inventory, networkPolicies }));
  return { files, applications, manifests: manifestObjects, documents: docs };
}

/** Values for the argo-cd Helm chart that install the Application health check. */
function argoCdValues(): unknown {
  return { configs: { cm: { [APPLICATION_HEALTH_KEY]: APPLICATION_HEALTH_LUA } } };
}

/**
 * One YAML document: no folding, no anchors, block literals for multi-line strings,
 * and read the same by YAML 1.1 and YAML 1.2. Argo CD reads `dist/` with go-yaml v2
 * (YAML 1.1), other tools with YAML 1.2: every string a YAML 1.1 reader would take
 * for a boolean, null, number, octal, sexagesimal or timestamp (`on`, `y`, `0400`,
 * `1_000`, `1:20`, `2001-12-14`), key or value, is written double-quoted; those YAML
 * 1.2 would misread are quoted by `yaml` itself.
 */
export function toYaml(value: unknown): string {
  return new Document(value, { aliasDuplicateObjects: false, compat: YAML_11_COMPAT }).toString({ lineWidth: 0, minContentWidth: 0 });
}
