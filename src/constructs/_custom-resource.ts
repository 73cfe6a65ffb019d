import { SyncOption } from './sync-option';
import { SyncWave } from './sync-wave';

/**
 * In-app wave of OnePasswordItems whose CRD an Application of the same root wave
 * installs (cert-manager's, beside 1password-connect): right after the chart
 * (wave 0) is healthy, so the CRD has had the time to appear (decision 13).
 */
export const SECRET_ITEM_WAVE = SyncWave.of(1);

/**
 * In-app wave of OnePasswordItems whose CRD an earlier root wave installed: before
 * the chart, so the Secrets exist when the chart's pods start. After the chart, a
 * pod that reads one (external-dns's token, Grafana's admin login, Loki's and
 * Mimir's S3 keys) cannot start, its workload never becomes healthy, and the sync
 * never reaches the wave that would create the Secret.
 */
export const SECRET_BEFORE_CHART_WAVE = SyncWave.of(-1);

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
