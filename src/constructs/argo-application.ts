import { Construct } from 'constructs';
import { Application, type ApplicationSpecSource } from '../../imports/argocd-application-argoproj.io';
import type { HelmValues, IgnoreDifference } from '../platform/types';
import { DeletionPolicy } from './deletion-policy';
import { SyncOption } from './sync-option';
import type { SyncWave } from './sync-wave';
import { assertDnsLabel, assertExactVersion } from './_names';

/** Longest Application name: it becomes the Helm release name, which Helm caps at 53. */
export const MAX_APPLICATION_NAME_LENGTH = 53;

/** A Helm chart from a Helm repository. */
export interface HelmChartSource {
  /** Helm repository URL. */
  readonly repoUrl: string;
  /** Chart name. */
  readonly chart: string;
  /** Exact chart version. */
  readonly version: string;
  /** Helm release name. */
  readonly releaseName: string;
  /** Values, rendered inline as `helm.valuesObject`. */
  readonly values: HelmValues;
  /**
   * Leave out the chart's CRDs (another Application owns them).
   * @default false
   */
  readonly skipCrds?: boolean;
}

/** A folder of plain manifests in a Git repository. */
export interface GitDirectorySource {
  /** Repository URL. */
  readonly repoUrl: string;
  /** Branch, tag or commit. */
  readonly revision: string;
  /** Folder inside the repository. */
  readonly path: string;
}

/** Props of {@link ArgoApplication}. */
export interface ArgoApplicationProps {
  /** Application name: a DNS-1123 label of at most 53 characters. */
  readonly name: string;
  /** Namespace of Argo CD, where the Application object lives. */
  readonly namespace: string;
  /** AppProject the Application belongs to. */
  readonly project: string;
  /** Wave of the Application inside the root App-of-Apps. */
  readonly wave: SyncWave;
  /** The chart the Application installs. */
  readonly chart: HelmChartSource;
  /**
   * Supporting manifests applied along with the chart, as a second source.
   * @default - chart only
   */
  readonly manifests?: GitDirectorySource;
  /** API server URL of the destination cluster. */
  readonly destinationServer: string;
  /** Namespace the chart is installed into. */
  readonly destinationNamespace: string;
  /**
   * Apply server-side (for charts with objects over the client-side annotation limit).
   * @default false
   */
  readonly serverSideApply?: boolean;
  /**
   * What deleting the Application does to its resources.
   * @default DeletionPolicy.cascade()
   */
  readonly deletionPolicy?: DeletionPolicy;
  /**
   * Fields other controllers own; ignored in the diff and, with
   * `RespectIgnoreDifferences=true`, left alone by syncs.
   * @default - none
   */
  readonly ignoreDifferences?: readonly IgnoreDifference[];
}

/**
 * A child Application of the App-of-Apps: one Helm release, synced
 * automatically.
 *
 * The sync policy every child shares is written here once: automated sync with
 * prune and self-heal; retries with exponential backoff and the latest revision
 * (`retry.refresh`), because automated sync does not retry a failed sync of the
 * same commit by itself and a dependency that is still starting (a CRD from the
 * same wave) is the normal case during a first install;
 * `CreateNamespace=true`; and the resources finalizer unless the component is
 * protected (a protected Application carries `Prune=false,Delete=false` instead,
 * so the root app never removes it). Fields other controllers rewrite are
 * ignored with `RespectIgnoreDifferences=true`, so syncs do not fight them. Values go inline as `helm.valuesObject`, so a values change is a
 * change of the Application itself: the root app sees it and keeps the wave
 * order on updates, not only on the first install.
 */
export class ArgoApplication extends Construct {
  /**
   * Retry policy of every child Application: ten attempts, about 30 minutes, each
   * with the latest Git revision (`refresh`), so a fix to a supporting manifest is
   * picked up by the next attempt. The chart and its values are the spec's at the
   * time the sync started (Argo CD keeps the operation's sources on retry); a spec
   * fix reaches the child once this sync has ended, which is why the retries are
   * limited.
   */
  public static readonly RETRY = {
    limit: 10,
    backoff: { duration: '10s', factor: 2, maxDuration: '5m' },
    refresh: true,
  } as const;

  /** The Application name. */
  public readonly name: string;
  /** The deletion policy in force. */
  public readonly deletionPolicy: DeletionPolicy;
  /** The Application object. */
  public readonly apiObject: Application;

  constructor(scope: Construct, id: string, props: ArgoApplicationProps) {
    super(scope, id);
    assertDnsLabel('Application name', props.name, MAX_APPLICATION_NAME_LENGTH);
    assertDnsLabel(`Helm release name of ${props.name}`, props.chart.releaseName, MAX_APPLICATION_NAME_LENGTH);
    assertDnsLabel(`destination namespace of ${props.name}`, props.destinationNamespace, 63);
    assertExactVersion(`chart version of ${props.name}`, props.chart.version);

    this.name = props.name;
    this.deletionPolicy = props.deletionPolicy ?? DeletionPolicy.cascade();

    const chartSource: ApplicationSpecSource = {
      repoUrl: props.chart.repoUrl,
      chart: props.chart.chart,
      targetRevision: props.chart.version,
      helm: {
        releaseName: props.chart.releaseName,
        skipCrds: props.chart.skipCrds === true ? true : undefined,
        valuesObject: props.chart.values,
      },
    };
    const manifestSource: ApplicationSpecSource | undefined =
      props.manifests === undefined ? undefined : { repoUrl: props.manifests.repoUrl, targetRevision: props.manifests.revision, path: props.manifests.path };
    const ignoreDifferences = props.ignoreDifferences ?? [];
    const syncOptions = [
      SyncOption.createNamespace(),
      ...(props.serverSideApply === true ? [SyncOption.serverSideApply()] : []),
      ...(ignoreDifferences.length > 0 ? [SyncOption.respectIgnoreDifferences()] : []),
    ];
    const finalizers = this.deletionPolicy.finalizers();
    const protection = this.deletionPolicy.syncOptions();

    this.apiObject = new Application(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        annotations: {
          ...props.wave.annotation(),
          ...SyncOption.annotations(protection),
        },
        finalizers: finalizers.length > 0 ? finalizers : undefined,
      },
      spec: {
        project: props.project,
        source: manifestSource === undefined ? chartSource : undefined,
        sources: manifestSource === undefined ? undefined : [chartSource, manifestSource],
        destination: { server: props.destinationServer, namespace: props.destinationNamespace },
        ignoreDifferences:
          ignoreDifferences.length === 0
            ? undefined
            : ignoreDifferences.map((entry) => ({
                group: entry.group,
                kind: entry.kind,
                name: entry.name,
                jsonPointers: entry.jsonPointers === undefined ? undefined : [...entry.jsonPointers],
                jqPathExpressions: entry.jqPathExpressions === undefined ? undefined : [...entry.jqPathExpressions],
              })),
        syncPolicy: {
          automated: { prune: true, selfHeal: true },
          retry: {
            limit: ArgoApplication.RETRY.limit,
            backoff: { ...ArgoApplication.RETRY.backoff },
            refresh: ArgoApplication.RETRY.refresh,
          },
          syncOptions: SyncOption.render(syncOptions),
        },
      },
    });
  }
}
