import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/user-error';
import { renderEnvironments } from '../../src/synth/cluster-files';
import { assertCatalog, catalogProblems, registerCatalog } from '../../src/platform/_check';
import { planEnvironment } from '../../src/platform/_resolve';
import { components } from '../../src/platform/index';
import type { ComponentSpec } from '../../src/platform/types';
import { makeEnvironment } from '../helpers/make-environment';

/** A small valid entry, as the README's example writes it. */
function whoami(overrides: Record<string, unknown> = {}): ComponentSpec {
  return {
    id: 'whoami',
    description: 'Echo service.',
    repoUrl: 'https://charts.example.test',
    chart: 'whoami',
    version: '1.2.3',
    namespace: 'whoami',
    releaseName: 'whoami',
    dependsOn: ['traefik'],
    values: () => ({}),
    ...overrides,
  } as unknown as ComponentSpec;
}

/** The catalog plus `entry` registered under the file id `fileId`, as index.ts registers it. */
function catalogWith(fileId: string, entry: unknown): readonly ComponentSpec[] {
  return [...components, ...registerCatalog({ [fileId]: entry as ComponentSpec })];
}

/** The problems of the catalog plus one entry, as printed lines. */
function messages(fileId: string, entry: unknown): string[] {
  return new UserError(catalogProblems(catalogWith(fileId, entry))).message.split('\n');
}

describe('catalog check', () => {
  it('finds nothing wrong in the catalog', () => {
    expect(catalogProblems(components)).toEqual([]);
  });

  it('accepts a small complete entry', () => {
    expect(messages('whoami', whoami())).toEqual(['']);
  });

  it('names the file and the missing field when the id is left out', () => {
    const { id: _id, ...entry } = whoami();

    expect(messages('whoami', entry)).toEqual([
      'src/platform/whoami.ts: missing required field "id" (the file name, the Application name and the dist file name)',
    ]);
  });

  it('rejects an empty id before it reaches cdk8s', () => {
    expect(messages('whoami', whoami({ id: '' }))).toEqual([
      'src/platform/whoami.ts: /id: expected a DNS-1123 label of at most 53 characters (the Application and Helm release name), got ""',
    ]);
  });

  it('rejects an id that is not the file name', () => {
    expect(messages('whoami', whoami({ id: 'who-am-i' }))).toEqual(['src/platform/whoami.ts: /id: expected "whoami" (the file name), got "who-am-i"']);
  });

  it('names every missing required field of an entry at once', () => {
    const { description: _d, releaseName: _r, values: _v, ...entry } = whoami();

    expect(messages('whoami', entry)).toEqual([
      'src/platform/whoami.ts: missing required field "description" (one sentence on what the component is for, shown in the overviews)',
      'src/platform/whoami.ts: missing required field "releaseName" (the Helm release name)',
      'src/platform/whoami.ts: missing required field "values" (the Helm values, (env) => ({ … }))',
    ]);
  });

  it('rejects a version range, a bad layer and values that are not a function', () => {
    expect(messages('whoami', whoami({ version: '^1.2', layer: 10, values: { ingress: {} } }))).toEqual([
      'src/platform/whoami.ts: /values: expected a function (env) => ({ … }) giving the Helm values, got an object',
      'src/platform/whoami.ts: /layer: expected a whole layer from 1 to 9, got 10',
      'src/platform/whoami.ts: /version: expected an exact chart version like 1.2.3, got "^1.2"',
    ]);
  });

  it('rejects a dependency that is not in the catalog, with a hint', () => {
    expect(messages('whoami', whoami({ dependsOn: ['cilium', 'traefk'] }))).toEqual([
      'src/platform/whoami.ts: /dependsOn/1: expected a component id of the catalog, got "traefk", did you mean "traefik"?',
    ]);
  });

  it('rejects a component that depends on itself', () => {
    expect(messages('whoami', whoami({ dependsOn: ['whoami'] }))).toEqual([
      'src/platform/whoami.ts: /dependsOn/0: expected another component, got the component itself',
    ]);
  });

  it('rejects a misspelt field, with a hint', () => {
    expect(messages('whoami', whoami({ dependOn: [] }))).toEqual(['src/platform/whoami.ts: /dependOn: unknown field "dependOn", did you mean "dependsOn"?']);
  });

  it('rejects an empty reason for protecting a component', () => {
    expect(messages('whoami', whoami({ protected: '' }))).toEqual(['src/platform/whoami.ts: /protected: expected the reason, as a non-empty string, got ""']);
  });

  it('rejects a registration that is not a component object', () => {
    expect(messages('whoami', undefined)).toEqual(['src/platform/whoami.ts: expected the component as an object that satisfies ComponentSpec, got nothing']);
  });

  it('names an unregistered entry (a synthetic catalog) by its id, and a second entry with the same id', () => {
    const problems = catalogProblems([...components, whoami(), whoami({ id: 'cilium', chart: 'Bad Name' })]);

    expect(new UserError(problems).message.split('\n')).toEqual([
      'src/platform/cilium.ts: /chart: expected a chart name like cert-manager, got "Bad Name"',
      'src/platform/cilium.ts: /id: expected an id no other component uses, got "cilium" (also src/platform/cilium.ts)',
    ]);
  });

  it('stops planning with a UserError, so synth prints one line per problem and no stack', () => {
    const broken = catalogWith('whoami', whoami({ id: '' }));

    expect(() => planEnvironment(makeEnvironment(), broken)).toThrow(UserError);
    expect(() => renderEnvironments([makeEnvironment()], broken)).toThrow(
      'src/platform/whoami.ts: /id: expected a DNS-1123 label of at most 53 characters (the Application and Helm release name), got ""',
    );
  });

  it('checks a catalog list once, then trusts it', () => {
    const list = [...components];

    assertCatalog(list);
    (list as ComponentSpec[]).push(whoami({ id: '' }));

    expect(() => assertCatalog(list)).not.toThrow();
    expect(() => assertCatalog([...list])).toThrow(UserError);
  });
});
