import { RESOURCES_FINALIZER } from './annotations';
import { SyncOption } from './sync-option';

/**
 * What happens to a component's workload when its Application is deleted
 * (removed from the catalog, renamed, or deleted by hand).
 *
 * - `cascade()`: the Application carries `resources-finalizer.argocd.argoproj.io`,
 *   so deleting it deletes everything it installed (foreground propagation).
 * - `protect(reason)`: no finalizer, so deleting the Application leaves its
 *   resources running; the Application object carries `Prune=false,Delete=false`,
 *   so the root app neither prunes it when its file disappears from Git nor
 *   deletes it when the root itself is deleted with cascade; its supporting
 *   manifests carry the same options. Each also carries
 *   `argocd.argoproj.io/compare-options: IgnoreExtraneous`, so once removed from
 *   Git the object Argo CD keeps does not leave its Application (or the root)
 *   OutOfSync, and the root's later waves are not held by it. For the CNI and other parts whose
 *   deletion is an outage. The chart's own resources cannot be annotated (Argo
 *   CD renders them); they are kept because nothing cascades to them.
 */
export class DeletionPolicy {
  /** Deleting the Application deletes its resources. */
  public static cascade(): DeletionPolicy {
    return new DeletionPolicy(false, undefined);
  }

  /**
   * Deleting the Application leaves its resources in place.
   * @param reason why deleting this component's resources would be an outage
   */
  public static protect(reason: string): DeletionPolicy {
    if (reason.trim() === '') {
      throw new Error('a protected component needs the reason it is protected');
    }
    return new DeletionPolicy(true, reason);
  }

  private constructor(
    /** True when deleting the Application must not delete the workload. */
    public readonly isProtected: boolean,
    /** Why the component is protected. */
    public readonly reason: string | undefined,
  ) {}

  /** The finalizers the Application carries under this policy. */
  public finalizers(): string[] {
    return this.isProtected ? [] : [RESOURCES_FINALIZER];
  }

  /**
   * Sync options for the Application object and the supporting manifests
   * (as an `argocd.argoproj.io/sync-options` annotation).
   */
  public syncOptions(): SyncOption[] {
    return this.isProtected ? [SyncOption.noPrune(), SyncOption.noDelete()] : [];
  }
}
