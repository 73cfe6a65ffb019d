import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { FileMap } from '../../src/synth/cluster-files';
import type { RuleName } from '../../src/validate/finding';
import { POLICY_RULES } from '../../src/validate/rules/index';
import { editObject, lines, rendered, validate, withObject } from './_helpers';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Edit = (object: any) => void;

const kkg = rendered('kkg');

/** The lines of the findings of one rule. */
function findingsOf(rule: RuleName, files: FileMap): string[] {
  return lines(validate(files).filter((finding) => finding.rule === rule));
}

/** The lines of the findings of one rule after editing one object of kkg. */
function afterEdit(rule: RuleName, path: string, edit: Edit): string[] {
  return findingsOf(rule, editObject(kkg, path, edit));
}

describe('the policy rules', () => {
  it('are the documented eleven, each with a sentence', () => {
    expect(POLICY_RULES.map((rule) => rule.name)).toEqual([
      'waves',
      'names',
      'chart-versions',
      'no-secrets',
      'no-credentials',
      'protected',
      'skip-dry-run',
      'app-project',
      'admission',
      'crd-order',
      'unique-objects',
    ]);
    for (const rule of POLICY_RULES) expect(rule.description.length, rule.name).toBeGreaterThan(20);
  });

  it.each(POLICY_RULES.map((rule) => [rule.name]))('%s: finds nothing in what synth renders', (rule) => {
    expect(findingsOf(rule as RuleName, kkg)).toEqual([]);
  });
});

describe('waves', () => {
  it('refuses an Application whose wave is not above the waves of its dependencies', () => {
    expect(afterEdit('waves', 'kkg/traefik.yaml', (o) => (o.metadata.annotations['argocd.argoproj.io/sync-wave'] = '2'))).toEqual([
      'dist/kkg/traefik.yaml: Application/traefik: /metadata/annotations/argocd.argoproj.io~1sync-wave: wave 2 is not above wave 2 of its dependency cert-manager [waves]',
      'dist/kkg/traefik.yaml: Application/traefik: /metadata/annotations/argocd.argoproj.io~1sync-wave: wave 2 is not above wave 3 of its dependency external-dns [waves]',
    ]);
  });

  it('refuses a dependency whose Application is missing, and a wave that is not a number', () => {
    const files = new Map([...kkg].filter(([path]) => path !== 'kkg/external-dns.yaml'));

    expect(
      findingsOf(
        'waves',
        editObject(files, 'kkg/grafana.yaml', (o) => (o.metadata.annotations['argocd.argoproj.io/sync-wave'] = 'six')),
      ),
    ).toEqual([
      'dist/kkg/grafana.yaml: Application/grafana: /metadata/annotations/argocd.argoproj.io~1sync-wave: expected the sync-wave as a whole number in a string, got "six" [waves]',
      'dist/kkg/traefik-external.yaml: Application/traefik-external: /metadata/annotations/argocd.argoproj.io~1sync-wave: depends on external-dns, which has no Application in dist/kkg/ [waves]',
      'dist/kkg/traefik.yaml: Application/traefik: /metadata/annotations/argocd.argoproj.io~1sync-wave: depends on external-dns, which has no Application in dist/kkg/ [waves]',
      'dist/kkg/uptime-kuma.yaml: Application/uptime-kuma: /metadata/annotations/argocd.argoproj.io~1sync-wave: depends on external-dns, which has no Application in dist/kkg/ [waves]',
    ]);
  });

  it('refuses a cluster folder without an environment file (its dependencies are unknown)', () => {
    const files = new Map([...kkg].map(([path, text]) => [path.replace(/^kkg\//, 'lost/'), text]));

    expect(findingsOf('waves', files)).toEqual([
      'dist/lost: no environment file for cluster lost, so the dependencies of its Applications are unknown [waves]',
    ]);
  });
});

describe('names', () => {
  it('refuses an Application name over 53 characters (the Helm release name)', () => {
    const name = 'a'.repeat(54);

    expect(afterEdit('names', 'kkg/grafana.yaml', (o) => (o.metadata.name = name))).toEqual([
      `dist/kkg/grafana.yaml: Application/${name}: /metadata/name: expected a DNS-1123 label (lower-case alphanumerics and -) of at most 53 characters (it is the Helm release name), got "${name}" (54 characters) [names]`,
    ]);
  });

  it('refuses dots in an Application name but accepts them in a Certificate named after its host', () => {
    expect(afterEdit('names', 'kkg/grafana.yaml', (o) => (o.metadata.name = 'grafana.v2'))).toHaveLength(1);
    expect(parse(kkg.get('kkg/traefik/certificate-traefik.str08.net.yaml') as string).metadata.name).toBe('traefik.str08.net');
  });

  it('refuses other names over 63 characters or with capitals, and a bad destination namespace', () => {
    const long = `${'x'.repeat(60)}.net`;

    expect(afterEdit('names', 'kkg/traefik/certificate-traefik.str08.net.yaml', (o) => (o.metadata.name = long))).toEqual([
      `dist/kkg/traefik/certificate-traefik.str08.net.yaml: Certificate/${long}: /metadata/name: expected a DNS-1123 subdomain (dot-separated labels) of at most 63 characters (platform policy: every name fits a label value), got "${long}" (64 characters) [names]`,
    ]);
    expect(afterEdit('names', 'kkg/grafana/onepassworditem-grafana-admin.yaml', (o) => (o.metadata.name = 'Grafana'))).toHaveLength(1);
    expect(afterEdit('names', 'kkg/grafana.yaml', (o) => (o.spec.destination.namespace = 'graf.ana'))).toEqual([
      'dist/kkg/grafana.yaml: Application/grafana: /spec/destination/namespace: expected a DNS-1123 label (lower-case alphanumerics and -) of at most 63 characters, got "graf.ana" [names]',
    ]);
  });
});

describe('chart-versions', () => {
  it.each([
    ['^37.0', '"^37.0" is a range'],
    ['~37.0.0', '"~37.0.0" is a range'],
    ['>=37.0.0', '">=37.0.0" is a range'],
    ['37.x', '"37.x" is a range'],
    ['37.0', '"37.0" is a range'],
    ['latest', '"latest" follows the latest chart'],
    ['*', '"*" follows the latest chart'],
  ])('refuses targetRevision %s', (version, message) => {
    expect(afterEdit('chart-versions', 'kkg/traefik.yaml', (o) => (o.spec.sources[0].targetRevision = version))).toEqual([
      `dist/kkg/traefik.yaml: Application/traefik: /spec/sources/0/targetRevision: chart traefik: ${message} [chart-versions]`,
    ]);
  });

  it('accepts exact versions with a v, a pre-release or build metadata, and leaves Git sources alone', () => {
    for (const version of ['v1.18.2', '1.2.3-rc.1', '1.2.3+build.5']) {
      expect(afterEdit('chart-versions', 'kkg/traefik.yaml', (o) => (o.spec.sources[0].targetRevision = version))).toEqual([]);
    }
    expect(afterEdit('chart-versions', 'kkg/traefik.yaml', (o) => (o.spec.sources[1].targetRevision = 'main'))).toEqual([]);
  });
});

describe('no-secrets', () => {
  it('refuses a Secret object anywhere in the output', () => {
    const files = withObject(kkg, 'kkg/grafana/secret-grafana-admin.yaml', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'grafana-admin', namespace: 'grafana' },
      data: { password: 'aHVudGVyMg==' },
    });

    expect(findingsOf('no-secrets', files)).toEqual([
      'dist/kkg/grafana/secret-grafana-admin.yaml: Secret/grafana-admin: a Secret in Git exposes its data (base64 is not encryption) [no-secrets]',
    ]);
  });
});

describe('no-credentials', () => {
  const values = (edit: (values: Record<string, unknown>) => void): string[] =>
    afterEdit('no-credentials', 'kkg/grafana.yaml', (o) => edit(o.spec.sources[0].helm.valuesObject));

  it.each([
    ['password', { admin: { password: 'hunter2' } }, '/admin/password'],
    ['token', { token: 'ghp_123' }, '/token'],
    ['secret', { oauth: { clientSecret: 's3cr3t' } }, '/oauth/clientSecret'],
    ['apiKey', { apiKey: 'abc' }, '/apiKey'],
    ['credentials', { s3: { credentials: 'key:secret' } }, '/s3/credentials'],
    ['an S3 secret key', { s3: { secret_access_key: 'abc' } }, '/s3/secret_access_key'],
    ['an environment variable named like one', { env: [{ name: 'DB_PASSWORD', value: 'hunter2' }] }, '/env/0/value'],
  ])('refuses a literal %s in valuesObject', (_what, added, path) => {
    expect(values((v) => Object.assign(v, added))).toEqual([
      `dist/kkg/grafana.yaml: Application/grafana: /spec/sources/0/helm/valuesObject${path}: literal credential in Helm values [no-credentials]`,
    ]);
  });

  it('accepts references to Secrets and their keys, placeholders and empty values', () => {
    expect(
      values((v) =>
        Object.assign(v, {
          admin: { existingSecret: 'grafana-admin', passwordKey: 'admin-password', userKey: 'admin-user' },
          tls: [{ secretName: 'grafana-tls' }],
          connect: { credentialsName: 'op-credentials', credentialsKey: '1password-credentials.json', token: { name: 'onepassword-token', key: 'token' } },
          env: [
            { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
            { name: 'API_TOKEN', value: '$(TOKEN)' },
          ],
          s3: { secret_access_key: '${S3_SECRET_ACCESS_KEY}', password: '' },
          auth: { passwordFile: '/run/secrets/password' },
        }),
      ),
    ).toEqual([]);
  });

  it('reads helm.values, helm.parameters and values files too', () => {
    const files = editObject(kkg, 'kkg/grafana.yaml', (o) => {
      o.spec.sources[0].helm.values = 'admin:\n  password: hunter2\n';
      o.spec.sources[0].helm.parameters = [{ name: 'admin.password', value: 'hunter2' }];
    });
    const withValues = new Map([...files, ['kkg/bootstrap/values/argo-cd.yaml', 'configs:\n  secret:\n    argocdServerAdminPassword: hunter2\n']]);

    expect(findingsOf('no-credentials', withValues)).toEqual([
      'dist/kkg/bootstrap/values/argo-cd.yaml: /configs/secret/argocdServerAdminPassword: literal credential in Helm values [no-credentials]',
      'dist/kkg/grafana.yaml: Application/grafana: /spec/sources/0/helm/parameters/0/value: literal credential in Helm values [no-credentials]',
      'dist/kkg/grafana.yaml: Application/grafana: /spec/sources/0/helm/values: literal credential in Helm values [no-credentials]',
    ]);
  });
});

describe('protected', () => {
  it('refuses a resources finalizer on a protected component', () => {
    expect(afterEdit('protected', 'kkg/cilium.yaml', (o) => (o.metadata.finalizers = ['resources-finalizer.argocd.argoproj.io/foreground']))).toEqual([
      expect.stringMatching(
        /^dist\/kkg\/cilium\.yaml: Application\/cilium: \/metadata\/finalizers\/0: cilium is protected \(.+\), but deleting this Application would delete everything it installed \[protected\]$/,
      ),
    ]);
  });

  it('leaves the finalizer of an ordinary component alone', () => {
    expect(parse(kkg.get('kkg/grafana.yaml') as string).metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
  });
});

describe('skip-dry-run', () => {
  it('refuses a supporting custom resource without SkipDryRunOnMissingResource=true', () => {
    expect(
      afterEdit(
        'skip-dry-run',
        'kkg/cert-manager/clusterissuer-letsencrypt.yaml',
        (o) => (o.metadata.annotations['argocd.argoproj.io/sync-options'] = 'Prune=false,Delete=false'),
      ),
    ).toEqual([
      "dist/kkg/cert-manager/clusterissuer-letsencrypt.yaml: ClusterIssuer/letsencrypt: /metadata/annotations/argocd.argoproj.io~1sync-options: custom resource without SkipDryRunOnMissingResource=true: its CRD is installed by a chart, so the first sync's dry run fails on the unknown kind [skip-dry-run]",
    ]);
  });

  it('does not ask it of built-in kinds', () => {
    const files = withObject(kkg, 'kkg/grafana/configmap-dashboards.yaml', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'dashboards', namespace: 'grafana' },
      data: {},
    });

    expect(findingsOf('skip-dry-run', files)).toEqual([]);
  });
});

describe('app-project', () => {
  it('refuses a repository the project does not list', () => {
    expect(afterEdit('app-project', 'kkg/grafana.yaml', (o) => (o.spec.sources[0].repoURL = 'https://charts.evil.test'))).toEqual([
      'dist/kkg/grafana.yaml: Application/grafana: /spec/sources/0/repoURL: repository https://charts.evil.test is not in the sourceRepos of project platform-grafana [app-project]',
    ]);
  });

  it('refuses a destination namespace the project does not list', () => {
    expect(afterEdit('app-project', 'kkg/grafana.yaml', (o) => (o.spec.destination.namespace = 'kube-public'))).toContain(
      'dist/kkg/grafana.yaml: Application/grafana: /spec/destination: destination https://kubernetes.default.svc namespace kube-public is not among the destinations of project platform-grafana [app-project]',
    );
  });

  it('refuses a rendered cluster-scoped kind the project does not whitelist', () => {
    const files = editObject(kkg, 'kkg/bootstrap/appproject-platform-cert-manager.yaml', (o) => {
      o.spec.clusterResourceWhitelist = o.spec.clusterResourceWhitelist.filter((k: { kind: string }) => k.kind !== 'ClusterIssuer');
    });

    expect(findingsOf('app-project', files)).toEqual([
      'dist/kkg/cert-manager/clusterissuer-letsencrypt.yaml: ClusterIssuer/letsencrypt: cluster-scoped kind cert-manager.io/ClusterIssuer is not allowed by project platform-cert-manager of Application/cert-manager [app-project]',
    ]);
  });

  it('refuses a project that is neither rendered nor default, and accepts default', () => {
    expect(afterEdit('app-project', 'kkg/grafana.yaml', (o) => (o.spec.project = 'platfrom'))).toEqual([
      'dist/kkg/grafana.yaml: Application/grafana: /spec/project: project platfrom is not rendered in dist/kkg/ and is not default [app-project]',
    ]);
  });

  it('refuses a child Application in project default, which admits everything', () => {
    expect(afterEdit('app-project', 'kkg/grafana.yaml', (o) => (o.spec.project = 'default'))).toEqual([
      'dist/kkg/grafana.yaml: Application/grafana: /spec/project: project default admits every repository, destination and kind [app-project]',
    ]);
  });

  it("refuses a child Application that shares another child's project, whose permissions it would gain", () => {
    const findings = afterEdit('app-project', 'kkg/navidrome.yaml', (o) => (o.spec.project = 'platform-cilium'));

    expect(findings).toContain(
      "dist/kkg/navidrome.yaml: Application/navidrome: /spec/project: project platform-cilium is also the project of Application/cilium: each child Application has a project of its own, so one chart's permissions are never another's [app-project]",
    );
  });

  it("refuses a permission of a child's project that nothing its Application applies needs", () => {
    const files = editObject(kkg, 'kkg/bootstrap/appproject-platform-navidrome.yaml', (o) => {
      o.spec.clusterResourceWhitelist.push({ group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' });
      o.spec.namespaceResourceWhitelist.push({ group: '', kind: 'Secret' });
    });

    expect(findingsOf('app-project', files)).toEqual([
      'dist/kkg/bootstrap/appproject-platform-navidrome.yaml: AppProject/platform-navidrome: /spec/clusterResourceWhitelist/2: project platform-navidrome allows cluster-scoped rbac.authorization.k8s.io/ClusterRoleBinding, which Application/navidrome does not apply [app-project]',
      'dist/kkg/bootstrap/appproject-platform-navidrome.yaml: AppProject/platform-navidrome: /spec/namespaceResourceWhitelist/6: project platform-navidrome allows namespaced Secret, which Application/navidrome does not apply [app-project]',
    ]);
  });

  it('finds no unused permission in the projects synth derives', () => {
    expect(findingsOf('app-project', kkg)).toEqual([]);
  });

  it('honours globs and deny patterns as Argo CD does', () => {
    const project = (spec: Record<string, unknown>): FileMap =>
      editObject(kkg, 'kkg/bootstrap/appproject-platform-grafana.yaml', (o) => Object.assign(o.spec, spec));
    const apps = (files: FileMap): string[] => findingsOf('app-project', files).filter((line) => line.includes('repoURL'));

    expect(apps(project({ sourceRepos: ['*'] }))).toEqual([]);
    expect(apps(project({ sourceRepos: ['https://**'] }))).toEqual([]);
    const denied = apps(project({ sourceRepos: ['*', '!https://grafana.github.io/*'] }));
    expect(denied).toEqual([
      'dist/kkg/grafana.yaml: Application/grafana: /spec/sources/0/repoURL: repository https://grafana.github.io/helm-charts is not in the sourceRepos of project platform-grafana [app-project]',
    ]);
    // `*` stops at a slash: one path segment only.
    expect(apps(project({ sourceRepos: ['https://*'] }))).not.toEqual([]);
  });
});

describe('admission', () => {
  // The project's destinations are derived from the inventory; one that Argo CD has from an older
  // bootstrap/ can lack a namespace a chart writes to. Argo CD then refuses the whole sync
  // (controller/sync.go checks every object with AppProject.IsResourcePermitted, v3.5.1).
  it("refuses a chart object whose namespace the project's destinations do not admit, though the component declares it", () => {
    const findings = afterEdit('admission', 'kkg/bootstrap/appproject-platform-cilium.yaml', (o) => {
      o.spec.destinations = o.spec.destinations.filter((d: { namespace: string }) => d.namespace !== 'cilium-secrets');
    });

    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((line) => line.includes('namespace cilium-secrets is not among the destinations of project platform-cilium'))).toBe(true);
    expect(findings.some((line) => line.includes('Role/cilium-operator-tlsinterception-secrets'))).toBe(true);
  });

  it('admits the chart object when the project names the destination cluster by name (in-cluster)', () => {
    const findings = afterEdit('admission', 'kkg/bootstrap/appproject-platform-cilium.yaml', (o) => {
      o.spec.destinations = o.spec.destinations.map((d: { server: string; namespace: string }) =>
        d.namespace === 'cilium-secrets' ? { name: 'in-cluster', namespace: d.namespace } : d,
      );
    });

    expect(findings).toEqual([]);
  });
});
