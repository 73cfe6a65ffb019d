import { Construct } from 'constructs';
import { AppProject as AppProjectResource } from '../../imports/argocd-appproject-argoproj.io';
import type { ClusterResource } from '../platform/types';
import { assertDnsLabel } from './_names';

/** A place Applications of a project may deploy to. */
export interface ProjectDestination {
  /** API server URL. */
  readonly server: string;
  /** Namespace. */
  readonly namespace: string;
}

/** Props of {@link AppProject}. */
export interface AppProjectProps {
  /** Project name. */
  readonly name: string;
  /** Namespace of Argo CD. */
  readonly namespace: string;
  /** One sentence shown in the Argo CD UI. */
  readonly description: string;
  /** Repositories the project's Applications may read. */
  readonly sourceRepos: readonly string[];
  /** Server and namespace pairs the project's Applications may deploy to. */
  readonly destinations: readonly ProjectDestination[];
  /**
   * Cluster-scoped kinds the project's Applications may create.
   * @default - none
   */
  readonly clusterResources?: readonly ClusterResource[];
  /**
   * Namespaced kinds the project's Applications may create (by group and kind:
   * Argo CD has no names for them). An empty list allows none.
   * @default - every namespaced kind
   */
  readonly namespaceResources?: readonly ClusterResource[];
}

/**
 * An Argo CD `AppProject` that allows exactly what its Applications use: their
 * repositories, their destination namespaces and the cluster-scoped kinds their
 * charts create. Anything else is refused by Argo CD at sync time, so a chart
 * that suddenly wants a new cluster-scoped kind shows up as a reviewed change
 * of the catalog, not as a silent permission. Lists are sorted and
 * de-duplicated, so the rendered project only changes when what it allows does.
 */
export class AppProject extends Construct {
  /** The AppProject object. */
  public readonly apiObject: AppProjectResource;

  constructor(scope: Construct, id: string, props: AppProjectProps) {
    super(scope, id);
    assertDnsLabel('AppProject name', props.name, 63);
    if (props.sourceRepos.length === 0 || props.destinations.length === 0) {
      throw new Error(`AppProject ${props.name} needs at least one source repository and one destination`);
    }
    this.apiObject = new AppProjectResource(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace },
      spec: {
        description: props.description,
        sourceRepos: unique(props.sourceRepos, (repo) => repo),
        destinations: unique(props.destinations, (d) => `${d.server} ${d.namespace}`).map((d) => ({ ...d })),
        clusterResourceWhitelist: optionalKinds(props.clusterResources),
        namespaceResourceWhitelist:
          props.namespaceResources === undefined ? undefined : (optionalKinds(props.namespaceResources.map(({ group, kind }) => ({ group, kind }))) ?? []),
      },
    });
  }
}

function optionalKinds(kinds: readonly ClusterResource[] | undefined): { group: string; kind: string; name?: string }[] | undefined {
  if (kinds === undefined || kinds.length === 0) {
    return undefined;
  }
  // An entry for the whole kind makes the entries for single objects of it redundant.
  const whole = new Set(kinds.filter((k) => k.name === undefined).map((k) => `${k.group}/${k.kind}`));
  const needed = kinds.filter((k) => k.name === undefined || !whole.has(`${k.group}/${k.kind}`));
  return unique(needed, (k) => `${k.group}/${k.kind}/${k.name ?? ''}`).map((k) => ({
    group: k.group,
    kind: k.kind,
    ...(k.name === undefined ? {} : { name: k.name }),
  }));
}

/** Sorted by key, without duplicates. */
function unique<T>(items: readonly T[], key: (item: T) => string): T[] {
  const byKey = new Map(items.map((item) => [key(item), item]));
  return [...byKey.keys()].sort().map((k) => byKey.get(k) as T);
}
