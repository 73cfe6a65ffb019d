import { COMPARE_OPTIONS_ANNOTATION, SYNC_OPTIONS_ANNOTATION } from './annotations';

/**
 * One Argo CD sync option (`Key=value`), usable on an Application's
 * `syncPolicy.syncOptions` or a resource's `argocd.argoproj.io/sync-options`.
 *
 * Only the options this generator needs exist as factories; `SyncOption.render`
 * rejects combinations Argo CD would silently resolve against the author
 * (`Replace=true` wins over `ServerSideApply=true`).
 */
export class SyncOption {
  /** Create the destination namespace when it does not exist. */
  public static createNamespace(): SyncOption {
    return new SyncOption('CreateNamespace', 'true');
  }

  /**
   * Apply with `kubectl apply --server-side`: needed for objects over the
   * 262,144-byte client-side `last-applied-configuration` annotation (large CRDs).
   */
  public static serverSideApply(): SyncOption {
    return new SyncOption('ServerSideApply', 'true');
  }

  /**
   * Skip the dry run for a custom resource whose CRD is not in the cluster yet
   * (it is installed by a chart or an operator in the same or an earlier wave).
   */
  public static skipDryRunOnMissingResource(): SyncOption {
    return new SyncOption('SkipDryRunOnMissingResource', 'true');
  }

  /**
   * Never prune the resource: when it disappears from Git, Argo CD reports it
   * as needing a prune but leaves it in the cluster.
   */
  public static noPrune(): SyncOption {
    return new SyncOption('Prune', 'false');
  }

  /** Keep the resource when its Application is deleted, even with cascade. */
  public static noDelete(): SyncOption {
    return new SyncOption('Delete', 'false');
  }

  /**
   * Apply `ignoreDifferences` during sync too, so a sync does not overwrite
   * the fields another controller owns (by default they are only ignored in the diff).
   */
  public static respectIgnoreDifferences(): SyncOption {
    return new SyncOption('RespectIgnoreDifferences', 'true');
  }

  /** Replace instead of apply. Destructive; listed so that `render` can refuse it next to server-side apply. */
  public static replace(): SyncOption {
    return new SyncOption('Replace', 'true');
  }

  /**
   * Renders options in the order given, without duplicates.
   * @throws Error when both `Replace=true` and `ServerSideApply=true` are present
   */
  public static render(options: readonly SyncOption[]): string[] {
    const rendered = [...new Set(options.map((option) => option.toString()))];
    if (rendered.includes('Replace=true') && rendered.includes('ServerSideApply=true')) {
      throw new Error('Replace=true overrides ServerSideApply=true; use one of them');
    }
    return rendered;
  }

  private constructor(
    public readonly key: string,
    public readonly value: string,
  ) {}

  /** The value of an `argocd.argoproj.io/sync-options` annotation: options joined by commas. */
  public static annotationValue(options: readonly SyncOption[]): string {
    return SyncOption.render(options).join(',');
  }

  /**
   * The annotations of a resource with these options: `argocd.argoproj.io/sync-options`,
   * and, on a resource that is never pruned (`Prune=false`), `argocd.argoproj.io/compare-options:
   * IgnoreExtraneous`. Without it, such a resource removed from Git stays in the cluster
   * and keeps its Application OutOfSync for good (`controller/state.go`, `CompareAppState`,
   * Argo CD v3.5.1, counts an extraneous object unless it carries that option), which
   * holds every later wave of the root. Empty when there are no options.
   */
  public static annotations(options: readonly SyncOption[]): Record<string, string> {
    if (options.length === 0) return {};
    const value = SyncOption.annotationValue(options);
    return {
      [SYNC_OPTIONS_ANNOTATION]: value,
      ...(value.split(',').includes(SyncOption.noPrune().toString()) ? { [COMPARE_OPTIONS_ANNOTATION]: 'IgnoreExtraneous' } : {}),
    };
  }

  /** `Key=value`. */
  public toString(): string {
    return `${this.key}=${this.value}`;
  }
}
