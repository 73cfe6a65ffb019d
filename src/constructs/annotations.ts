/** Orders resources inside one sync: lower waves are applied and healthy first. */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/** Per-resource sync options, comma-separated (e.g. `SkipDryRunOnMissingResource=true`). */
export const SYNC_OPTIONS_ANNOTATION = 'argocd.argoproj.io/sync-options';

/**
 * Cascade deletion with foreground propagation: deleting the Application deletes
 * every resource it installed first.
 */
export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';
