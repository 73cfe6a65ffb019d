import type { ApiObject } from 'cdk8s';
import { componentProjectName, ROOT_PROJECT_SUFFIX } from '../config/names';
import { Construct } from 'constructs';
import type { Inventory, InventoryObject } from '../inventory/inventory';
import { manifestsFor, type PlatformPlan, type PlannedComponent, valuesFor } from '../platform/index';
import type { ClusterResource, SupportingManifest } from '../platform/types';
import { AppProject } from './app-project';
import { ApplicationHealthCheck } from './application-health-check';
import { ArgoApplication } from './argo-application';
import { Certificate } from './certificate';
import { AcmeClusterIssuer } from './cluster-issuer';
import { DeletionPolicy } from './deletion-policy';
import { L2AnnouncementPolicy } from './l2-announcement-policy';
import { LoadBalancerIpPool } from './load-balancer-ip-pool';
import { OnePasswordItem } from './one-password-item';
import { IngressNetworkPolicy } from './network-policy';
import { ProvisioningConfigMap } from './provisioning-config-map';
import { RootApplication } from './root-application';
import { SmokeTestHook } from './smoke-test';
import type { SyncOption } from './sync-option';
import { SyncWave } from './sync-wave';

/** Name of the root Application: the Helmfile-era name, so an existing root is adopted, not duplicated. */
export const ROOT_APPLICATION_NAME = 'root-app';

/** Supporting manifest kinds that are cluster-scoped. */
const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set(['ClusterIssuer', 'CiliumLoadBalancerIPPool', 'CiliumL2AnnouncementPolicy']);

/**
 * Cluster-scoped kinds a project allows by object name only, not the whole
 * kind: a PersistentVolume can point at any NFS export or host path and be
 * claimed from any namespace, and a Namespace another component owns (or
 * `kube-system`) must not be taken over, so a component may create the ones it
 * renders (and its own namespace, for `CreateNamespace=true`), not others.
 */
export const NAME_SCOPED_KINDS: ReadonlySet<string> = new Set(['/PersistentVolume', '/Namespace']);

/** Where the rendered files of one cluster live in the Git repository (decided by `synth/`). */
export interface ClusterLayout {
  /** Repository folder holding one file per child Application (what the root app watches). */
  readonly applicationsPath: string;
  /** Repository folder holding the supporting manifests of one component. */
  readonly manifestsPath: (componentId: string) => string;
}

/** Props of {@link ClusterPlatform}. */
export interface ClusterPlatformProps {
  /** What the environment deploys. */
  readonly plan: PlatformPlan;
  /** Where the output lands in Git, so Applications can point at it. */
  readonly layout: ClusterLayout;
  /**
   * What the charts render (`npm run render`): the AppProject allows the
   * namespaces (own or declared in the catalog) and the cluster-scoped kinds in it.
   * @default - no chart objects: the project allows only the destinations and the supporting manifests
   */
  readonly inventory?: Inventory;
}

/** The objects rendered for one component. */
export interface ComponentObjects {
  /** The planned component. */
  readonly component: PlannedComponent;
  /** Its child Application. */
  readonly application: ArgoApplication;
  /** The AppProject of that Application alone: what its chart and its supporting manifests create, and where. */
  readonly project: AppProject;
  /** Its supporting custom resources, in catalog order. */
  readonly manifests: readonly ApiObject[];
}

/**
 * Everything Argo CD needs for one cluster: a child Application per enabled
 * component, in the wave of its layer, with its supporting custom resources;
 * the root Application that watches the children; and the bootstrap objects:
 * one AppProject per child (`<project>-<component>`, derived from what that
 * child applies), the root's AppProject and the `argocd-cm` health check.
 *
 * Objects are grouped per component so that `synth/` can give every
 * Application and every supporting manifest its own stable file.
 */
export class ClusterPlatform extends Construct {
  /** The root App-of-Apps. */
  public readonly root: RootApplication;
  /** The project of the root Application: it may only create Applications in Argo CD's namespace. */
  public readonly rootProject: AppProject;
  /** The `argocd-cm` health check that makes the waves wait. */
  public readonly healthCheck: ApplicationHealthCheck;
  private readonly props: ClusterPlatformProps;
  private readonly rootProjectName: string;
  // The root wave of the Application whose chart installs each custom kind (`<group>/<kind>`), from the inventory.
  private readonly crdWaves = new Map<string, number>();

  constructor(scope: Construct, id: string, props: ClusterPlatformProps) {
    super(scope, id);
    this.props = props;
    const { env } = props.plan;

    this.rootProjectName = `${env.argocd.project}${ROOT_PROJECT_SUFFIX}`;
    for (const { spec, wave } of props.plan.components) {
      for (const crd of props.inventory?.applications.get(spec.id)?.crds ?? []) this.crdWaves.set(`${crd.group}/${crd.kind}`, wave);
    }

    this.rootProject = new AppProject(this, 'RootProject', {
      name: this.rootProjectName,
      namespace: env.argocd.namespace,
      description: `The root App-of-Apps of cluster ${env.cluster}: child Applications only.`,
      sourceRepos: [env.git.repoUrl],
      destinations: [{ server: env.argocd.destinationServer, namespace: env.argocd.namespace }],
      namespaceResources: [{ group: 'argoproj.io', kind: 'Application' }],
    });
    this.healthCheck = new ApplicationHealthCheck(this, 'HealthCheck', { namespace: env.argocd.namespace });

    this.root = new RootApplication(this, 'Root', {
      name: ROOT_APPLICATION_NAME,
      namespace: env.argocd.namespace,
      project: this.rootProjectName,
      repoUrl: env.git.repoUrl,
      revision: env.git.revision,
      path: props.layout.applicationsPath,
      destinationServer: env.argocd.destinationServer,
    });
  }

  /**
   * The objects of every component, in (wave, id) order, built one component at
   * a time: a component's constructs join the tree when it is yielded and leave
   * it when the next one is asked for (or the loop ends), so a cluster of
   * thousands of components never holds all their constructs at once (their
   * objects are turned into text as they come). Each call builds them anew.
   *
   * @throws Error when two components would share an AppProject
   */
  public *components(): Generator<ComponentObjects> {
    const projectNames = new Map<string, string>();
    for (const component of this.props.plan.components) {
      yield this.component(component, projectNames);
      this.node.tryRemoveChild(component.spec.id);
    }
  }

  private component(component: PlannedComponent, projectNames: Map<string, string>): ComponentObjects {
    const { props, rootProjectName, crdWaves } = this;
    const { env } = props.plan;
    const { spec } = component;
    const group = new Construct(this, spec.id);
    const supporting = manifestsFor(spec, env, props.inventory);
    const projectName = componentProjectName(env.argocd.project, spec.id);
    const clash = projectName === rootProjectName ? 'the root Application' : projectNames.get(projectName);
    if (clash !== undefined) {
      throw new Error(`AppProject ${projectName} of component ${spec.id} would also be the project of ${clash}; rename the component`);
    }
    projectNames.set(projectName, `component ${spec.id}`);
    const deletionPolicy = spec.protected === undefined ? DeletionPolicy.cascade() : DeletionPolicy.protect(spec.protected);
    const application = new ArgoApplication(group, 'Application', {
      name: spec.id,
      namespace: env.argocd.namespace,
      project: projectName,
      wave: SyncWave.of(component.wave),
      chart: {
        repoUrl: spec.repoUrl,
        chart: spec.chart,
        version: component.version,
        releaseName: spec.releaseName,
        values: valuesFor(spec, env),
        skipCrds: spec.skipCrds,
      },
      manifests: supporting.length === 0 ? undefined : { repoUrl: env.git.repoUrl, revision: env.git.revision, path: props.layout.manifestsPath(spec.id) },
      destinationServer: env.argocd.destinationServer,
      destinationNamespace: spec.namespace,
      serverSideApply: spec.serverSideApply !== undefined,
      deletionPolicy,
      ignoreDifferences: spec.ignoreDifferences,
    });
    const extraSyncOptions = deletionPolicy.syncOptions();
    const crdFromEarlierWave = (group: string, kind: string) => (crdWaves.get(`${group}/${kind}`) ?? Infinity) < component.wave;
    const manifests = supporting.map((manifest) => renderManifest(group, manifest, spec.namespace, extraSyncOptions, crdFromEarlierWave));
    const objects = props.inventory?.applications.get(spec.id)?.objects ?? [];
    const manifestKinds = manifests.map((m) => ({
      group: m.apiGroup === 'core' ? '' : m.apiGroup,
      kind: m.kind,
      clusterScoped: CLUSTER_SCOPED_KINDS.has(m.kind),
    }));
    const project = new AppProject(group, 'Project', {
      name: projectName,
      namespace: env.argocd.namespace,
      description: `Component ${spec.id} of cluster ${env.cluster}: only what its chart renders, generated from ${env.file}.`,
      sourceRepos: manifests.length === 0 ? [spec.repoUrl] : [spec.repoUrl, env.git.repoUrl],
      destinations: allowedNamespaces(component, objects).map((namespace) => ({ server: env.argocd.destinationServer, namespace })),
      clusterResources: [
        // `CreateNamespace=true`: Argo CD creates the destination namespace, checked against the whitelist like any object.
        { group: '', kind: 'Namespace', name: spec.namespace },
        ...chartKinds(objects, false),
        ...manifestKinds.filter((k) => k.clusterScoped).map(({ group, kind }) => ({ group, kind })),
      ],
      namespaceResources: [...chartKinds(objects, true), ...manifestKinds.filter((k) => !k.clusterScoped).map(({ group, kind }) => ({ group, kind }))],
    });
    return { component, application, project, manifests };
  }
}

/**
 * The namespaces a component's Application may deploy to: its own, and those of
 * its rendered objects that the catalog declares (`namespaces`). A namespace a
 * chart uses without a declaration stays out, so Argo CD refuses the object and
 * the render's admission check says which declaration is missing.
 */
function allowedNamespaces(component: PlannedComponent, objects: readonly InventoryObject[]): string[] {
  const declared = component.spec.namespaces ?? {};
  const used = objects.flatMap((object) => (object.namespace !== undefined && object.namespace in declared ? [object.namespace] : []));
  return [component.spec.namespace, ...used];
}

/**
 * The kinds a component's chart renders, cluster-scoped or namespaced (by name
 * for the cluster-scoped {@link NAME_SCOPED_KINDS}; Argo CD matches namespaced
 * kinds by group and kind only).
 */
function chartKinds(objects: readonly InventoryObject[], namespaced: boolean): ClusterResource[] {
  return objects.flatMap((object) => {
    if ((object.namespace !== undefined) !== namespaced) return [];
    const group = object.apiVersion.includes('/') ? object.apiVersion.slice(0, object.apiVersion.lastIndexOf('/')) : '';
    return [{ group, kind: object.kind, ...(!namespaced && NAME_SCOPED_KINDS.has(`${group}/${object.kind}`) ? { name: object.name } : {}) }];
  });
}

function renderManifest(
  scope: Construct,
  manifest: SupportingManifest,
  namespace: string,
  extraSyncOptions: readonly SyncOption[],
  crdFromEarlierWave: (group: string, kind: string) => boolean,
): ApiObject {
  const id = `${manifest.kind}-${manifest.name}`;
  switch (manifest.kind) {
    case 'OnePasswordItem':
      return new OnePasswordItem(scope, id, {
        name: manifest.name,
        namespace,
        itemPath: manifest.itemPath,
        extraSyncOptions,
        crdFromEarlierWave: crdFromEarlierWave('onepassword.com', 'OnePasswordItem'),
      }).apiObject;
    case 'ClusterIssuer':
      return new AcmeClusterIssuer(scope, id, { ...manifest, extraSyncOptions }).apiObject;
    case 'Certificate':
      return new Certificate(scope, id, { ...manifest, namespace, extraSyncOptions }).apiObject;
    case 'CiliumLoadBalancerIPPool':
      return new LoadBalancerIpPool(scope, id, { ...manifest, extraSyncOptions }).apiObject;
    case 'CiliumL2AnnouncementPolicy':
      return new L2AnnouncementPolicy(scope, id, { ...manifest, extraSyncOptions }).apiObject;
    case 'ConfigMap':
      return new ProvisioningConfigMap(scope, id, { name: manifest.name, namespace, labels: manifest.labels, files: manifest.data, extraSyncOptions })
        .apiObject;
    case 'NetworkPolicy':
      return new IngressNetworkPolicy(scope, id, {
        name: manifest.name,
        namespace,
        podSelector: manifest.podSelector,
        allows: manifest.allows,
        extraSyncOptions,
      }).apiObject;
    case 'SmokeTest':
      return new SmokeTestHook(scope, id, {
        name: manifest.name,
        namespace,
        targets: manifest.targets.map((t) => ({ url: `http://${t.service}.${t.namespace}.svc:${t.port}${t.path}`, expect: t.expect })),
      }).apiObject;
  }
}
