import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { FileMap } from '../../src/synth/cluster-files';
import { compactSchema } from '../../src/validate/_compile';
import { toAjvSchema } from '../../src/validate/_structural';
import { editObject, folderWith, lines, rendered, validate, withObject } from './_helpers';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Edit = (object: any) => void;

describe('the schema of every rendered kind', () => {
  const kkg = rendered('kkg');

  it.each([
    [
      'argoproj.io/v1alpha1 Application',
      'kkg/cert-manager.yaml',
      (o) => (o.spec.destination.server = 42),
      '/spec/destination/server: expected string, got integer 42',
    ],
    [
      'argoproj.io/v1alpha1 AppProject',
      'kkg/bootstrap/appproject-platform-cilium.yaml',
      (o) => (o.spec.sourceRepos = 'https://x.test'),
      '/spec/sourceRepos: expected array, got string "https://x.test"',
    ],
    [
      'onepassword.com/v1 OnePasswordItem',
      'kkg/grafana/onepassworditem-grafana-admin.yaml',
      (o) => (o.spec.itempath = o.spec.itemPath),
      '/spec/itempath: unknown field (schema onepassword.com/v1 OnePasswordItem)',
    ],
    [
      'cert-manager.io/v1 ClusterIssuer',
      'kkg/cert-manager/clusterissuer-letsencrypt.yaml',
      (o) => (o.spec.acme.solvers[0].dns01.cloudflare.apiTokenSecretRef.key = 7),
      '/spec/acme/solvers/0/dns01/cloudflare/apiTokenSecretRef/key: expected string, got integer 7',
    ],
    [
      'cert-manager.io/v1 Certificate',
      'kkg/traefik/certificate-traefik.str08.net.yaml',
      (o) => (o.spec.dnsNames = 'traefik.str08.net'),
      '/spec/dnsNames: expected array, got string "traefik.str08.net"',
    ],
    [
      'cilium.io/v2 CiliumLoadBalancerIPPool',
      'kkg/cilium/ciliumloadbalancerippool-default-ip-pool.yaml',
      (o) => (o.spec.disabled = 'no'),
      '/spec/disabled: expected boolean, got string "no"',
    ],
    [
      'v1 ConfigMap (built in, from cdk8s-plus-29)',
      'kkg/bootstrap/configmap-argocd-cm.yaml',
      (o) => (o.data.answer = 42),
      '/data/answer: expected string, got integer 42',
    ],
  ] as [string, string, Edit, string][])('%s: accepts the rendered object and names what is wrong in a broken one', (_kind, path, edit, expected) => {
    const label = (text: string): string =>
      `dist/${path}: ${text
        .split('\n')
        .find((line) => line.startsWith('kind:'))
        ?.slice(6)}/`;

    expect(lines(validate(kkg)).filter((line) => line.startsWith(`dist/${path}:`))).toEqual([]);
    const findings = lines(validate(editObject(kkg, path, edit), { rules: [] }));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toContain(label(kkg.get(path) as string));
    expect(findings[0]).toMatch(new RegExp(`: ${expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\[schema\\]$`));
  });

  it('refuses an unknown field in the built-in ConfigMap too, with the field it probably meant', () => {
    const findings = validate(
      editObject(kkg, 'kkg/bootstrap/configmap-argocd-cm.yaml', (o) => (o.datas = {})),
      { rules: [] },
    );

    expect(findings.map((f) => [f.path, f.message, f.fix])).toEqual([['/datas', 'unknown field (schema v1 ConfigMap)', 'did you mean data?']]);
  });

  it('reports an object of a kind no CRD defines and that is not built in, with a hint', () => {
    const files = withObject(kkg, 'kkg/grafana/middleware-x.yaml', { apiVersion: 'argoproj.io/v1alpha1', kind: 'Aplication', metadata: { name: 'x' } });

    expect(validate(files, { rules: [] }).map((f) => [f.file, f.message, f.fix])).toEqual([
      [
        'dist/kkg/grafana/middleware-x.yaml',
        `no schema for argoproj.io/v1alpha1 Aplication: no CRD in ${join(process.cwd(), 'crds')} defines it and it is not a built-in kind (cdk8s-plus-29 2.6.0)`,
        'did you mean argoproj.io/v1alpha1 Application?',
      ],
    ]);
  });

  it('refuses status, which the controller writes', () => {
    const findings = validate(
      editObject(kkg, 'kkg/cert-manager.yaml', (o) => (o.status = { health: { status: 'Healthy' } })),
      { rules: [] },
    );

    expect(lines(findings)).toEqual([
      'dist/kkg/cert-manager.yaml: Application/cert-manager: /status: status is written by the controller of the kind, not by a manifest [schema]',
    ]);
  });

  it('accepts anything below x-kubernetes-preserve-unknown-fields (helm.valuesObject)', () => {
    const files = editObject(kkg, 'kkg/grafana.yaml', (o) => (o.spec.sources[0].helm.valuesObject.anything = { goes: [1, 'two', { three: null }] }));

    expect(lines(validate(files))).toEqual([]);
  });
});

/** A CRD with every Kubernetes schema extension and format, as `kubectl get crd -o yaml` prints it: a List. */
const WIDGETS = {
  apiVersion: 'v1',
  kind: 'List',
  items: [
    {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.test' },
      spec: {
        group: 'example.test',
        names: { kind: 'Widget', plural: 'widgets' },
        scope: 'Namespaced',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            subresources: { status: {} },
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  spec: {
                    type: 'object',
                    required: ['size'],
                    properties: {
                      size: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
                      replicas: { type: 'integer', format: 'int32' },
                      bytes: { type: 'integer', format: 'int64' },
                      data: { type: 'string', format: 'byte' },
                      since: { type: 'string', format: 'date-time' },
                      pool: { type: 'string', format: 'cidr' },
                      odd: { type: 'string', format: 'not-a-kubernetes-format' },
                      mode: { type: 'string', enum: ['a', 'b'] },
                      short: { type: 'string', pattern: '^[a-z]+$', maxLength: 5 },
                      ratio: { type: 'number', minimum: 0, exclusiveMinimum: true },
                      free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                      typed: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { known: { type: 'boolean' } } },
                      template: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true },
                      tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
                      ports: {
                        type: 'array',
                        'x-kubernetes-list-type': 'map',
                        'x-kubernetes-list-map-keys': ['name', 'protocol'],
                        items: {
                          type: 'object',
                          required: ['name'],
                          properties: { name: { type: 'string' }, protocol: { type: 'string' }, port: { type: 'integer' } },
                        },
                      },
                      maybe: { type: 'string', nullable: true },
                      labels: { type: 'object', additionalProperties: { type: 'string' } },
                      rule: { type: 'string', 'x-kubernetes-validations': [{ rule: "self.startsWith('/')" }] },
                    },
                  },
                  status: { type: 'object', properties: { ready: { type: 'boolean' } } },
                },
              },
            },
          },
          { name: 'v1beta1', served: false, storage: false, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } },
        ],
      },
    },
    {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'gadgets.example.test' },
      spec: {
        group: 'example.test',
        names: { kind: 'Gadget', plural: 'gadgets' },
        scope: 'Cluster',
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
      },
    },
  ],
};

describe('Kubernetes schema extensions and formats (a CRD from kubectl get crd -o yaml)', () => {
  const crds = folderWith({ 'crds.yaml': stringify(WIDGETS) });
  const cacheDir = mkdtempSync(join(tmpdir(), 'pke-validate-cache-'));
  const widget = (spec: Record<string, unknown>, extra: Record<string, unknown> = {}): FileMap =>
    new Map([
      [
        'lab/widgets/widget-w.yaml',
        stringify({ apiVersion: 'example.test/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'lab' }, spec: { size: 3, ...spec }, ...extra }),
      ],
    ]);
  const problems = (files: FileMap): string[] => validate(files, { crds: [crds], cacheDir, rules: [], environments: [] }).map((f) => `${f.path}: ${f.message}`);

  it('accepts a widget that uses every extension correctly', () => {
    const spec = {
      size: '50%',
      replicas: 2 ** 31 - 1,
      bytes: 2 ** 40,
      data: 'aGVsbG8=',
      since: '2025-01-02T03:04:05Z',
      pool: '10.0.0.0/24',
      odd: 'formats Kubernetes does not know are not checked',
      mode: 'a',
      short: 'abc',
      ratio: 0.5,
      free: { any: { nested: ['thing', 1, true] } },
      typed: { known: true, unknown: 'kept' },
      template: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: 'b' } },
      tags: ['a', 'b'],
      ports: [
        { name: 'http', protocol: 'TCP', port: 80 },
        { name: 'http', protocol: 'UDP', port: 80 },
      ],
      maybe: null,
      labels: { a: 'b' },
      rule: 'CEL rules are not evaluated',
    };

    expect(problems(widget(spec))).toEqual([]);
  });

  it.each([
    ['x-kubernetes-int-or-string', { size: true }, '/spec/size: expected integer or string, got boolean true'],
    ['required', { size: undefined }, '/spec/size: required field is missing (schema example.test/v1 Widget)'],
    ['int32 range', { replicas: 2 ** 31 }, '/spec/replicas: expected the int32 format, got integer 2147483648'],
    ['integer type of int64', { bytes: 1.5 }, '/spec/bytes: expected integer, got number 1.5'],
    ['byte (base64)', { data: 'not base64!' }, '/spec/data: expected the byte format, got string "not base64!"'],
    ['date-time', { since: 'yesterday' }, '/spec/since: expected the date-time format, got string "yesterday"'],
    ['cidr', { pool: '10.0.0.0/33' }, '/spec/pool: expected the cidr format, got string "10.0.0.0/33"'],
    ['enum', { mode: 'c' }, '/spec/mode: expected one of "a", "b", got string "c"'],
    ['pattern', { short: 'ABC' }, '/spec/short: expected a string matching ^[a-z]+$, got string "ABC"'],
    ['maxLength', { short: 'abcdef' }, '/spec/short: expected at most 5 characters, got string "abcdef"'],
    ['exclusiveMinimum (OpenAPI boolean form)', { ratio: 0 }, '/spec/ratio: expected a number > 0, got integer 0'],
    ['a typed field below x-kubernetes-preserve-unknown-fields', { typed: { known: 'yes' } }, '/spec/typed/known: expected boolean, got string "yes"'],
    [
      'x-kubernetes-embedded-resource',
      { template: { apiVersion: 'v1', metadata: { name: 'x' } } },
      '/spec/template/kind: required field is missing (schema example.test/v1 Widget)',
    ],
    ['x-kubernetes-list-type: set', { tags: ['a', 'a'] }, '/spec/tags: items 0 and 1 are equal, but the list is a set'],
    [
      'x-kubernetes-list-type: map',
      {
        ports: [
          { name: 'http', protocol: 'TCP' },
          { name: 'http', protocol: 'TCP' },
        ],
      },
      '/spec/ports/1: repeats the key fields of an earlier item of this list-map',
    ],
    ['null without nullable', { short: null }, '/spec/short: expected string, got null'],
    ['an unknown field (no additionalProperties: false in the CRD)', { sise: 3 }, '/spec/sise: unknown field (schema example.test/v1 Widget)'],
    ['a map value', { labels: { a: 1 } }, '/spec/labels/a: expected string, got integer 1'],
  ])('checks %s', (_what, spec, expected) => {
    expect(problems(widget(spec))).toEqual([expected]);
  });

  it('refuses status, which has a subresource', () => {
    expect(problems(widget({}, { status: { ready: true } }))).toEqual(['/status: status is written by the controller of the kind, not by a manifest']);
  });

  it('refuses a version the CRD does not serve', () => {
    const files = new Map([['lab/widgets/w.yaml', stringify({ apiVersion: 'example.test/v1beta1', kind: 'Widget', metadata: { name: 'w' } })]]);

    expect(validate(files, { crds: [crds], cacheDir, rules: [], environments: [] }).map((f) => [f.message, f.fix])).toEqual([
      [`example.test Widget has no served version v1beta1 (CRD in ${join(crds, 'crds.yaml')})`, 'use apiVersion example.test/v1'],
    ]);
  });

  it('refuses a namespace on a cluster-scoped kind', () => {
    const files = new Map([['lab/gadgets/g.yaml', stringify({ apiVersion: 'example.test/v1', kind: 'Gadget', metadata: { name: 'g', namespace: 'lab' } })]]);

    expect(problems(files)).toEqual(['/metadata/namespace: Gadget is cluster-scoped and has no namespace']);
  });
});

describe('ObjectMeta, which CRDs leave to the API server', () => {
  const kkg = rendered('kkg');
  const problems = (edit: Edit): string[] =>
    validate(editObject(kkg, 'kkg/grafana.yaml', edit), { rules: [] }).map((f) => `${f.path}: ${f.message} | ${f.fix}`);

  it.each([
    ['an unknown field, with a hint', (o) => (o.metadata.lables = { a: 'b' }), '/metadata/lables: unknown field (ObjectMeta) | did you mean labels?'],
    [
      'a field the API server sets',
      (o) => (o.metadata.resourceVersion = '42'),
      '/metadata/resourceVersion: field is set by the API server, not in a manifest | remove metadata.resourceVersion (it was probably copied from a live object)',
    ],
    [
      'a label key that is not a qualified name',
      (o) => (o.metadata.labels = { 'bad key': 'x' }),
      '/metadata/labels/bad key: invalid key: name part "bad key" must be at most 63 characters of [A-Za-z0-9-_.], starting and ending alphanumeric | use a key like example.com/name',
    ],
    [
      'a label value over 63 characters',
      (o) => (o.metadata.labels = { a: 'x'.repeat(64) }),
      `/metadata/labels/a: label value must be at most 63 characters of [A-Za-z0-9-_.], starting and ending alphanumeric, got "${'x'.repeat(64)}" | shorten the value, or use an annotation`,
    ],
    [
      'an annotation that is not a string',
      (o) => (o.metadata.annotations['argocd.argoproj.io/sync-wave'] = 6),
      '/metadata/annotations/argocd.argoproj.io~1sync-wave: expected string, got integer 6 | quote the value',
    ],
    [
      'a repeated finalizer',
      (o) => o.metadata.finalizers.push(o.metadata.finalizers[0]),
      '/metadata/finalizers/1: duplicate finalizer "resources-finalizer.argocd.argoproj.io" | list each finalizer once',
    ],
    ['a missing name', (o) => delete o.metadata.name, '/metadata/name: required field is missing | name the object'],
    [
      'a namespace that is not a DNS label',
      (o) => (o.metadata.namespace = 'Argo_CD'),
      '/metadata/namespace: expected a DNS-1123 label of at most 63 characters, got "Argo_CD" | use a lower-case namespace name',
    ],
  ] as [string, Edit, string][])('refuses %s', (_what, edit, expected) => {
    expect(problems(edit)).toEqual([expected]);
  });
});

const source = {
  type: 'object',
  properties: {
    repoURL: { type: 'string' },
    path: { type: 'string' },
    chart: { type: 'string' },
    helm: { type: 'object', properties: { releaseName: { type: 'string' }, valuesObject: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } },
  },
};

describe('turning a CRD schema into a validator', () => {
  it('closes every object node except below x-kubernetes-preserve-unknown-fields and maps', () => {
    const schema = toAjvSchema({
      type: 'object',
      properties: { spec: { type: 'object', properties: { source, labels: { type: 'object', additionalProperties: { type: 'string' } } } } },
    }) as any; // eslint-disable-line @typescript-eslint/no-explicit-any

    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.spec.additionalProperties).toBe(false);
    expect(schema.properties.spec.properties.source.properties.helm.additionalProperties).toBe(false);
    expect(schema.properties.spec.properties.source.properties.helm.properties.valuesObject).toEqual({ type: 'object' });
    expect(schema.properties.spec.properties.labels).toEqual({ type: 'object', additionalProperties: { type: 'string' } });
    expect(schema.properties.metadata).toEqual({ type: 'object' });
    expect(schema.properties.status).toBe(false);
  });

  it('shares a repeated subschema as one definition instead of compiling every copy', () => {
    const schema = toAjvSchema({ type: 'object', properties: { spec: { type: 'object', properties: { source, sources: { type: 'array', items: source } } } } });

    const compact = compactSchema(schema) as any; // eslint-disable-line @typescript-eslint/no-explicit-any

    expect(compact.properties.spec.properties.source).toEqual({ $ref: '#/definitions/shared0' });
    expect(compact.properties.spec.properties.sources.items).toEqual({ $ref: '#/definitions/shared0' });
    expect(compact.definitions.shared0).toEqual((schema as any).properties.spec.properties.source); // eslint-disable-line @typescript-eslint/no-explicit-any
  });
});
