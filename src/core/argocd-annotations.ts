/**
 * The Argo CD annotation and finalizer names, written once: the constructs write
 * them, the catalog, the Helm render, the policy rules and the plan read them.
 * Their meaning is Argo CD's (gitops-engine `pkg/sync/common/types.go`:
 * AnnotationSyncWave, AnnotationSyncOptions, AnnotationKeyHook).
 */

/** Orders resources inside one sync: lower waves are applied and healthy first. */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/** Per-resource sync options, comma-separated (e.g. `SkipDryRunOnMissingResource=true`). */
export const SYNC_OPTIONS_ANNOTATION = 'argocd.argoproj.io/sync-options';

/**
 * Cascade deletion with foreground propagation: deleting the Application deletes
 * every resource it installed first.
 */
export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

/** Marks a resource as an Argo CD hook (`PreSync`, `Sync`, `PostSync`, `SyncFail`, `PostDelete`, `Skip`). */
export const HOOK_ANNOTATION = 'argocd.argoproj.io/hook';

/** When Argo CD deletes a hook (`BeforeHookCreation`, `HookSucceeded`, `HookFailed`). */
export const HOOK_DELETE_POLICY_ANNOTATION = 'argocd.argoproj.io/hook-delete-policy';

/**
 * Per-resource compare options, comma-separated. `IgnoreExtraneous` keeps an
 * object that is in the cluster but no longer in Git from making its
 * Application OutOfSync (`controller/state.go`, `CompareAppState`, v3.5.1).
 */
export const COMPARE_OPTIONS_ANNOTATION = 'argocd.argoproj.io/compare-options';
