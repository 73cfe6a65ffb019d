import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Environment } from '../../src/config/environment';
import { didYouMean, loadEnvironment, loadEnvironments } from '../../src/config/load';
import type { ComponentId } from '../../src/platform/types';
import { environmentYaml, KNOWN_COMPONENTS, VALID_ENVIRONMENT_YAML, withAppended } from '../helpers/environment-yaml';

/** The catalog's component ids (the union in src/platform/types.ts). */
const CATALOG = [
  '1password-connect',
  'alloy',
  'cert-manager',
  'cilium',
  'cloudflare-tunnel-ingress-controller',
  'daypassed-bot',
  'external-dns',
  'flow-sight',
  'grafana',
  'loki',
  'mc-mirror-cronjob',
  'mimir',
  'minio-operator',
  'minio-tenant',
  'mk-stream',
  'navidrome',
  'nfs-subdir-external-provisioner',
  'note-tweet-connector',
  'spotify-nowplaying',
  'subscription-manager',
  'traefik',
  'traefik-external',
  'uptime-kuma',
] as const satisfies readonly ComponentId[];

function load(text: string, file = 'environments/lab.yaml'): Environment {
  return loadEnvironment(file, text, KNOWN_COMPONENTS);
}

/** The resolved form of VALID_ENVIRONMENT_YAML. */
const LAB: Environment = {
  cluster: 'lab',
  file: 'environments/lab.yaml',
  git: { repoUrl: 'https://git.example.test/platform.git', revision: 'main', path: 'dist' },
  argocd: { namespace: 'argocd', project: 'platform', destinationServer: 'https://kubernetes.default.svc' },
  clusterSettings: { label: 'lab', apiServer: { host: '10.0.0.10', port: 6443 }, podCidr: '10.244.0.0/16', kubernetesVersion: '1.33', apiVersions: [] },
  domains: { internal: 'lan.example.test', public: 'example.test', extra: [] },
  loadBalancer: { range: { start: '10.0.1.100', stop: '10.0.1.150' } },
  l2Announcement: {
    interfaces: ['^eth[0-9]+'],
    nodeSelector: { matchExpressions: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'DoesNotExist' }] },
  },
  acme: { email: 'ops@example.test', server: 'https://acme-staging-v02.api.letsencrypt.org/directory' },
  nfs: { server: '10.0.0.20', path: '/export/k8s', storageClass: 'nfs-lab' },
  minio: {
    tenant: 'minio-lab',
    region: 'lab-1',
    pools: 1,
    servers: 1,
    volumesPerServer: 2,
    volumeSize: '10Gi',
    host: 'minio.lan.example.test',
    consoleHost: 'minio-console.lan.example.test',
  },
  externalIngress: { controller: 'traefik-external', target: 'front.example.test' },
  onePassword: { vault: 'Lab', connectItem: 'lab 1password-credentials', connectVault: 'Lab' },
  misskey: undefined,
  timezone: 'Etc/UTC',
  components: {},
  positions: {},
};

describe('loadEnvironment', () => {
  it('resolves every default of a file that leaves the optional keys out', () => {
    expect(load(VALID_ENVIRONMENT_YAML)).toStrictEqual(LAB);
  });

  it('keeps every optional value a file sets instead of its default', () => {
    // GIVEN a file that sets every optional key
    const text = environmentYaml({
      'git:': 'name: lab\ngit:',
      'repoUrl: https://git.example.test/platform.git': 'repoUrl: git@git.example.test:ops/platform.git\nrevision: v2\npath: rendered/clusters',
      'host: 10.0.0.10': 'host: 10.0.0.10\nport: 443',
      'public: example.test': 'public: example.test\nextra: [example.org]',
      'server: https://acme-staging-v02.api.letsencrypt.org/directory': 'server: https://acme.example.test/directory',
      'ipRange: 10.0.1.100-10.0.1.150': 'ipRange: 10.0.1.100-10.0.1.150\nl2:\n  interfaces: ["^enp"]\n  nodeSelector: { matchLabels: { lb: "yes" } }',
      'servers: 1': 'pools: 2\nservers: 4',
      'volumeSize: 10Gi': 'volumeSize: 10Gi\nhost: s3.example.test\nconsoleHost: s3-console.lan.example.test',
      'vault: Lab': 'vault: Lab\nconnectItem: Lab Connect\nconnectVault: Admins',
    });
    const full = withAppended(
      'argocd:\n  namespace: gitops\n  project: platform\n  destinationServer: https://10.0.0.10:6443\n' +
        'misskey:\n  host: mi.example.org\ntimezone: Asia/Tokyo\n',
      text,
    );

    // WHEN it is loaded
    const env = load(full);

    // THEN nothing falls back to a default
    expect(env).toStrictEqual({
      ...LAB,
      git: { repoUrl: 'git@git.example.test:ops/platform.git', revision: 'v2', path: 'rendered/clusters' },
      argocd: { namespace: 'gitops', project: 'platform', destinationServer: 'https://10.0.0.10:6443' },
      clusterSettings: { ...LAB.clusterSettings, apiServer: { host: '10.0.0.10', port: 443 } },
      domains: { ...LAB.domains, extra: ['example.org'] },
      acme: { email: 'ops@example.test', server: 'https://acme.example.test/directory' },
      l2Announcement: { interfaces: ['^enp'], nodeSelector: { matchLabels: { lb: 'yes' } } },
      minio: { ...LAB.minio, pools: 2, servers: 4, host: 's3.example.test', consoleHost: 's3-console.lan.example.test' },
      onePassword: { vault: 'Lab', connectItem: 'Lab Connect', connectVault: 'Admins' },
      misskey: { host: 'mi.example.org' },
      timezone: 'Asia/Tokyo',
    });
  });

  it("defaults the ACME directory to Let's Encrypt production", () => {
    const env = load(
      environmentYaml({
        'email: ops@example.test': 'email: ops@lab-platform.net',
        'server: https://acme-staging-v02.api.letsencrypt.org/directory': null,
      }),
    );

    expect(env.acme).toStrictEqual({ email: 'ops@lab-platform.net', server: 'https://acme-v02.api.letsencrypt.org/directory' });
  });

  it('announces LoadBalancer addresses on eth interfaces of every node but the control plane by default', () => {
    expect(load(VALID_ENVIRONMENT_YAML).l2Announcement).toStrictEqual({
      interfaces: ['^eth[0-9]+'],
      nodeSelector: { matchExpressions: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'DoesNotExist' }] },
    });
  });

  it('names the cluster after the file stem and keeps the path as given', () => {
    const env = load(VALID_ENVIRONMENT_YAML, '../elsewhere/homelab-prod.yaml');

    expect(env.cluster).toBe('homelab-prod');
    expect(env.file).toBe('../elsewhere/homelab-prod.yaml');
  });

  it('reads a LoadBalancer CIDR as a CIDR rather than a range', () => {
    const env = load(environmentYaml({ 'ipRange: 10.0.1.100-10.0.1.150': 'ipRange: 10.0.1.128/25' }));

    expect(env.loadBalancer).toStrictEqual({ cidr: '10.0.1.128/25' });
  });

  it('reads a single-address range as a range', () => {
    const env = load(environmentYaml({ 'ipRange: 10.0.1.100-10.0.1.150': 'ipRange: 10.0.1.100-10.0.1.100' }));

    expect(env.loadBalancer).toStrictEqual({ range: { start: '10.0.1.100', stop: '10.0.1.100' } });
  });

  it('copies component overrides as written, leaving their defaults to the catalog', () => {
    const env = load(withAppended('components:\n  traefik: { version: 37.0.0 }\n  cilium: { enabled: false }\n'));

    expect(env.components).toStrictEqual({ traefik: { version: '37.0.0' }, cilium: { enabled: false } });
  });

  it('leaves out the external-dns target when the file does not set one', () => {
    const env = load(environmentYaml({ 'target: front.example.test': null }));

    expect(env.externalIngress).toStrictEqual({ controller: 'traefik-external' });
  });

  it('accepts a Git URL over https, ssh and in scp form', () => {
    for (const url of ['https://git.example.test/a.git', 'ssh://git@git.example.test:2222/a.git', 'git@git.example.test:a/b.git']) {
      const env = load(environmentYaml({ 'repoUrl: https://git.example.test/platform.git': `repoUrl: ${url}` }));
      expect(env.git.repoUrl).toBe(url);
    }
  });
});

describe('loadEnvironments', () => {
  it('loads the committed environment files in name order', () => {
    const environments = loadEnvironments('environments', CATALOG);

    expect(environments.map((env) => env.file)).toStrictEqual(['environments/example.yaml', 'environments/kkg.yaml']);
  });

  it('resolves the production cluster kkg to the values of the Helmfile era', () => {
    const { positions, ...kkg } = loadEnvironments('environments', CATALOG).find((env) => env.cluster === 'kkg') as Environment;

    expect(positions?.['/components/spotify-nowplaying']).toStrictEqual({ line: 66, column: 3 });
    expect(positions?.['/components/spotify-nowplaying/host']).toStrictEqual({ line: 68, column: 5 });
    expect(kkg).toStrictEqual({
      cluster: 'kkg',
      file: 'environments/kkg.yaml',
      git: { repoUrl: 'https://github.com/Soli0222/pke.git', revision: 'main', path: 'dist' },
      argocd: { namespace: 'argocd', project: 'platform', destinationServer: 'https://kubernetes.default.svc' },
      clusterSettings: {
        label: 'kkg',
        apiServer: { host: '192.168.20.10', port: 6443 },
        podCidr: '10.26.0.0/16',
        kubernetesVersion: '1.33',
        apiVersions: [],
        production: true,
      },
      domains: { internal: 'str08.net', public: 'pstr.space', extra: ['soli0222.com'] },
      loadBalancer: { range: { start: '192.168.21.100', stop: '192.168.21.254' } },
      l2Announcement: {
        interfaces: ['^eth[0-9]+'],
        nodeSelector: { matchExpressions: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'DoesNotExist' }] },
      },
      acme: { email: 'contact@soli0222.com', server: 'https://acme-v02.api.letsencrypt.org/directory' },
      nfs: { server: '192.168.20.250', path: '/volume1/oky-synology-01', storageClass: 'oky-synology-01' },
      minio: {
        tenant: 'minio-kkg',
        region: 'minio-kkg-1',
        pools: 1,
        servers: 1,
        volumesPerServer: 2,
        volumeSize: '250Gi',
        host: 'minio.str08.net',
        consoleHost: 'minio-console.str08.net',
      },
      externalIngress: { controller: 'traefik-external', target: 'conohav2-1.pstr.space' },
      onePassword: { vault: 'Kubernetes', connectItem: 'PKE-kkg 1password-credentials', connectVault: 'Kubernetes' },
      misskey: { host: 'mi.soli0222.com' },
      timezone: 'Asia/Tokyo',
      components: {
        'daypassed-bot': { enabled: true },
        'mc-mirror-cronjob': { enabled: true },
        'mk-stream': { enabled: true },
        navidrome: { enabled: true },
        'note-tweet-connector': { enabled: true },
        'spotify-nowplaying': { enabled: true, host: 'spn.soli0222.com' },
        'subscription-manager': { enabled: true },
        'flow-sight': { enabled: false },
      },
    });
  });

  it('resolves the example cluster with a Cloudflare Tunnel, four MinIO pools of 4Ti in all and no custom apps', () => {
    const example = loadEnvironments('environments', CATALOG).find((env) => env.cluster === 'example');

    expect(example?.externalIngress).toStrictEqual({ controller: 'cloudflare-tunnel' });
    expect(example?.minio).toMatchObject({ pools: 4, servers: 1, volumesPerServer: 4, volumeSize: '256Gi' });
    const { pools, servers, volumesPerServer } = example?.minio ?? { pools: 0, servers: 0, volumesPerServer: 0 };
    expect(pools * servers * volumesPerServer * 256).toBe(4 * 1024); // Gi: 4Ti of PVCs, not 256Ti
    expect(example?.acme.server).toBe('https://acme-staging-v02.api.letsencrypt.org/directory');
    expect(example?.misskey).toBeUndefined();
    expect(example?.components).toStrictEqual({});
  });

  it('reads only the .yaml files of a folder, sorted by name', () => {
    // GIVEN a folder with two environments, the editor schema and a README
    const dir = mkdtempSync(join(tmpdir(), 'environments-'));
    try {
      writeFileSync(join(dir, 'zeta.yaml'), environmentYaml({ 'label: lab': 'label: zeta' }));
      writeFileSync(join(dir, 'alpha.yaml'), environmentYaml({ 'label: lab': 'label: alpha' }));
      writeFileSync(join(dir, 'environment.schema.json'), '{}\n');
      writeFileSync(join(dir, 'README.md'), '# Environments\n');

      // WHEN the folder is loaded
      const environments = loadEnvironments(dir, KNOWN_COMPONENTS);

      // THEN only the two environments come back, alphabetically
      expect(environments.map((env) => env.cluster)).toStrictEqual(['alpha', 'zeta']);
      expect(environments[0].file).toBe(join(dir, 'alpha.yaml'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('didYouMean', () => {
  const ids = ['cert-manager', 'minio-operator', 'minio-tenant', 'traefik', 'traefik-external'];

  it('suggests the candidate within two edits', () => {
    expect(didYouMean('trafik', ids)).toBe('traefik');
    expect(didYouMean('cert-manger', ids)).toBe('cert-manager');
  });

  it('ignores case when comparing', () => {
    expect(didYouMean('repoURL', ['repoUrl', 'revision'])).toBe('repoUrl');
  });

  it('suggests a candidate that starts with the word when nothing is closer', () => {
    expect(didYouMean('traefik-ext', ids)).toBe('traefik-external');
  });

  it('prefers the closest candidate, then the first in alphabetical order', () => {
    expect(didYouMean('traefik', ids)).toBe('traefik');
    expect(didYouMean('minio', ids)).toBe('minio-operator');
  });

  it('suggests nothing when no candidate is close', () => {
    expect(didYouMean('nginx', ids)).toBeUndefined();
    expect(didYouMean('ce', ids)).toBeUndefined();
  });
});
