import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderValuesFile } from '../../src/docs-gen/values-file';
import { loadAll, renderEnvironment } from '../helpers/render';

const kkg = loadAll().find((env) => env.cluster === 'kkg');
if (kkg === undefined) throw new Error('environments/kkg.yaml is missing');
const files = renderEnvironment(kkg);
const valuesFile = (component: string) => renderValuesFile(kkg, files, 'dist', component);
const headerLine = (text: string, command: string) => text.split('\n').find((line) => line.startsWith(`#   helm ${command}`));

describe('renderValuesFile', () => {
  it("shows the helm template line Argo CD runs, with --skip-crds where the Application skips the chart's CRDs", () => {
    expect(headerLine(valuesFile('traefik-external'), 'template')).toBe(
      '#   helm template traefik-external traefik --repo https://traefik.github.io/charts --version 37.0.0 ' +
        '--namespace traefik-external --kube-version 1.33.0 --skip-crds -f <this file>',
    );
  });

  it('passes --include-crds to helm template everywhere else, as Argo CD does', () => {
    expect(headerLine(valuesFile('traefik'), 'template')).toBe(
      '#   helm template traefik traefik --repo https://traefik.github.io/charts --version 37.0.0 --namespace traefik --kube-version 1.33.0 --include-crds -f <this file>',
    );
  });

  it('installs by hand with the same CRD choice: --skip-crds only where Argo CD skips them', () => {
    expect(headerLine(valuesFile('traefik-external'), 'upgrade')).toMatch(/ --create-namespace --skip-crds -f <this file>$/);
    expect(headerLine(valuesFile('cilium'), 'upgrade')).toBe(
      '#   helm upgrade --install cilium cilium --repo https://helm.cilium.io --version 1.18.1 --namespace kube-system --create-namespace -f <this file>',
    );
  });

  it("is a values file: the YAML below the header is the Application's valuesObject", () => {
    const app = parse(files.get('kkg/cilium.yaml') as string);

    expect(parse(valuesFile('cilium'))).toEqual(app.spec.sources[0].helm.valuesObject);
  });

  it('prints the values as JSON with sorted keys for comparison with helm get values -o json | jq -S .', () => {
    const json = renderValuesFile(kkg, files, 'dist', 'cilium', { json: true });
    const app = parse(files.get('kkg/cilium.yaml') as string);

    expect(JSON.parse(json)).toEqual(app.spec.sources[0].helm.valuesObject);
    expect(
      json
        .split('\n')
        .filter((line) => /^ {2}"/.test(line))
        .map((line) => line.trim().split('"')[1]),
    ).toEqual(Object.keys(app.spec.sources[0].helm.valuesObject).sort());
  });
});
