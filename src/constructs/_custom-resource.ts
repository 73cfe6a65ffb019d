import { SyncOption } from './sync-option';
import { SyncWave } from './sync-wave';

/**
 * In-app wave of OnePasswordItems: right after the chart (wave 0) is healthy,
 * so the Secrets they produce exist before anything that reads them.
 */
export const SECRET_ITEM_WAVE = SyncWave.of(1);

/** In-app wave of the other supporting custom resources: after the Secrets they read. */
export const CUSTOM_RESOURCE_WAVE = SyncWave.of(2);

/**
 * Annotations of a custom resource that rides along with a chart: its in-app
 * wave, and `SkipDryRunOnMissingResource=true`, because on a first install the
 * CRD is created by the same sync (or by an operator once it runs) and a dry
 * run of the resource would fail before it exists. `extra` adds options such
 * as the `Prune=false,Delete=false` of a protected component (which adds
 * `compare-options: IgnoreExtraneous`, see {@link SyncOption.annotations}).
 */
export function customResourceAnnotations(wave: SyncWave, extra: readonly SyncOption[] = []): Record<string, string> {
  return {
    ...wave.annotation(),
    ...SyncOption.annotations([SyncOption.skipDryRunOnMissingResource(), ...extra]),
  };
}
