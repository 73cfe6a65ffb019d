import { join } from 'node:path';
import type { ComponentSpec, HelmValues } from '../../src/platform/types';

/** The charts written for the tests (test/fixtures/test-charts). */
export const TEST_CHARTS = join(process.cwd(), 'test/fixtures/test-charts');

/** A component that installs the probe chart (test/fixtures/test-charts/src/probe) with `values`; `extra` overrides any field. */
export function probe(id: string, values: HelmValues, extra: Partial<Record<keyof ComponentSpec, unknown>> = {}): ComponentSpec {
  return {
    id,
    description: 'A probe.',
    repoUrl: 'https://charts.example.test',
    chart: 'probe',
    version: '0.1.0',
    namespace: id,
    releaseName: id,
    dependsOn: [],
    values: () => values,
    ...extra,
  } as unknown as ComponentSpec;
}
