/** Orders resources inside one sync: lower waves are applied and healthy first. */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/** Per-resource sync options, comma-separated (e.g. `SkipDryRunOnMissingResource=true`). */
export const SYNC_OPTIONS_ANNOTATION = 'argocd.argoproj.io/sync-options';

/**
 * Cascade deletion with foreground propagation: deleting the Application deletes
 * every resource it installed first.
 */
export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

/**
 * Per-resource compare options, comma-separated. `IgnoreExtraneous` keeps an
 * object that is in the cluster but no longer in Git from making its
 * Application OutOfSync (`controller/state.go`, `CompareAppState`, v3.5.1).
 */
export const COMPARE_OPTIONS_ANNOTATION = 'argocd.argoproj.io/compare-options';
