import { Construct } from 'constructs';
import { Application } from '../../imports/argocd-application-argoproj.io';
import { assertDnsLabel } from './_names';
import { ArgoApplication, MAX_APPLICATION_NAME_LENGTH } from './argo-application';

/** Props of {@link RootApplication}. */
export interface RootApplicationProps {
  /** Name of the root Application. */
  readonly name: string;
  /** Namespace of Argo CD: where the root and every child Application live. */
  readonly namespace: string;
  /** AppProject of the root Application. */
  readonly project: string;
  /** Git repository holding the rendered output. */
  readonly repoUrl: string;
  /** Branch, tag or commit to track. */
  readonly revision: string;
  /** Folder with one file per child Application. */
  readonly path: string;
  /** API server URL of the cluster Argo CD runs in (the children are created there). */
  readonly destinationServer: string;
}

/**
 * The root of the App-of-Apps: an Application whose only source is the folder
 * of child Application manifests of one cluster.
 *
 * It reads the top level of that folder only (`recurse: false`, `*.yaml`), so
 * the per-component folders of supporting manifests, which the children apply
 * themselves, are never applied by the root. It prunes (a child removed from
 * Git is deleted) and self-heals, and retries without a limit ({@link RootApplication.RETRY}).
 * It carries no resources finalizer: deleting the root must not cascade into the
 * whole platform.
 */
export class RootApplication extends Construct {
  /**
   * Retry policy of the root: without a limit, with the child's backoff (at most
   * every 5 minutes), each attempt at the latest Git revision. A child that fails
   * (Degraded) fails the root's wave; the next attempt re-applies the children from
   * the newest commit, so a fix in Git reaches them without a person, and the root
   * carries on by itself once the child recovers. The root only applies Application
   * objects, so an attempt costs little.
   */
  public static readonly RETRY = {
    limit: -1,
    backoff: ArgoApplication.RETRY.backoff,
    refresh: true,
  } as const;

  /** The Application object. */
  public readonly apiObject: Application;

  constructor(scope: Construct, id: string, props: RootApplicationProps) {
    super(scope, id);
    assertDnsLabel('root Application name', props.name, MAX_APPLICATION_NAME_LENGTH);
    this.apiObject = new Application(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace },
      spec: {
        project: props.project,
        source: {
          repoUrl: props.repoUrl,
          targetRevision: props.revision,
          path: props.path,
          directory: { recurse: false, include: '*.yaml' },
        },
        destination: { server: props.destinationServer, namespace: props.namespace },
        syncPolicy: {
          automated: { prune: true, selfHeal: true },
          retry: { limit: RootApplication.RETRY.limit, backoff: { ...RootApplication.RETRY.backoff }, refresh: RootApplication.RETRY.refresh },
        },
      },
    });
  }
}
