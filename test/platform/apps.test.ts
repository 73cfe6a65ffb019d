import { describe, expect, it } from 'vitest';
import type { Environment, ExternalIngressController } from '../../src/config/environment';
import { daypassedBot } from '../../src/platform/daypassed-bot';
import { flowSight } from '../../src/platform/flow-sight';
import { mcMirrorCronjob } from '../../src/platform/mc-mirror-cronjob';
import { mkStream } from '../../src/platform/mk-stream';
import { navidrome } from '../../src/platform/navidrome';
import { noteTweetConnector } from '../../src/platform/note-tweet-connector';
import { spotifyNowplaying } from '../../src/platform/spotify-nowplaying';
import { subscriptionManager } from '../../src/platform/subscription-manager';
import type { ComponentId, ComponentSpec, HelmValues } from '../../src/platform/types';
import { makeEnvironment } from '../helpers/make-environment';

const teamApps: readonly ComponentSpec[] = [
  daypassedBot,
  flowSight,
  mcMirrorCronjob,
  mkStream,
  navidrome,
  noteTweetConnector,
  spotifyNowplaying,
  subscriptionManager,
];

/** Public apps and the subdomain each one is served on by default. */
const publicApps: readonly (readonly [ComponentSpec, string])[] = [
  [navidrome, 'navidrome'],
  [noteTweetConnector, 'ntc'],
  [spotifyNowplaying, 'spn'],
];

const misskeyApps: readonly ComponentSpec[] = [daypassedBot, mkStream, spotifyNowplaying];

/** Reads a nested value by path (`['ingress', 'tls', 0, 'secretName']`). */
function at(values: HelmValues, path: readonly (string | number)[]): unknown {
  let current: unknown = values;
  for (const key of path) {
    if (current === null || typeof current !== 'object') {
      return undefined;
    }
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/** The value of `name` in a `[{name, value}]` env list. */
function envVar(values: HelmValues, name: string): unknown {
  const list = at(values, ['env']) as readonly { name: string; value: unknown }[];
  return list.find((entry) => entry.name === name)?.value;
}

function dependencies(component: ComponentSpec, env: Environment): readonly ComponentId[] {
  return typeof component.dependsOn === 'function' ? component.dependsOn(env) : component.dependsOn;
}

function withController(controller: ExternalIngressController): Environment {
  return makeEnvironment({
    externalIngress: controller === 'cloudflare-tunnel' ? { controller, target: undefined } : { controller, target: 'front.example.test' },
  });
}

describe('the team apps as a group', () => {
  it.each(teamApps.map((app) => [app.id, app] as const))('installs %s from the team chart repository as release <id> in namespace <id>', (_id, app) => {
    expect(app.repoUrl).toBe('https://soli0222.github.io/helm-charts');
    expect(app.releaseName).toBe(app.id);
    expect(app.namespace).toBe(app.id);
  });

  it.each(teamApps.map((app) => [app.id, app] as const))('puts %s in layer 9, disabled unless the environment opts in', (_id, app) => {
    expect(app.layer).toBe(9);
    expect(app.enabledByDefault).toBe(false);
  });

  it.each(teamApps.map((app) => [app.id, app] as const))('makes %s depend on 1password-connect whenever its chart renders a OnePasswordItem', (_id, app) => {
    const env = makeEnvironment();
    const values = app.values(env);
    const renders = ['onePassword', 'onepassword', 'onePasswordItem'].some((block) => at(values, [block, 'enabled']) === true);

    expect(dependencies(app, env).includes('1password-connect')).toBe(renders);
  });

  it.each(teamApps.map((app) => [app.id, app] as const))('reads every 1Password item of %s from the environment vault', (_id, app) => {
    const env = makeEnvironment({ onePassword: { vault: 'Ops' } });
    const paths = [...JSON.stringify(app.values(env)).matchAll(/"itemPath":"([^"]*)"/g)].map((match) => match[1]);

    for (const path of paths) {
      expect(path).toMatch(/^vaults\/Ops\/items\/[^/]+$/);
    }
  });
});

describe('the Misskey requirement', () => {
  it.each(misskeyApps.map((app) => [app.id, app] as const))('reports %s unsatisfied when the environment has no misskey', (id, app) => {
    const env = makeEnvironment({ misskey: undefined });
    const requirements = app.requires ?? [];

    expect(requirements).toHaveLength(1);
    expect(requirements[0]!.satisfied(env)).toBe(false);
    expect(requirements[0]!.message).toContain(id);
  });

  it.each(misskeyApps.map((app) => [app.id, app] as const))('reports %s satisfied when the environment names a Misskey host', (_id, app) => {
    expect(app.requires?.[0]?.satisfied(makeEnvironment())).toBe(true);
  });

  it.each(teamApps.filter((app) => !misskeyApps.includes(app)).map((app) => [app.id, app] as const))(
    'lets %s render without any misskey settings',
    (_id, app) => {
      const env = makeEnvironment({ misskey: undefined });

      expect(app.requires ?? []).toEqual([]);
      expect(() => app.values(env)).not.toThrow();
    },
  );
});

describe('public apps', () => {
  it.each(publicApps.map(([app, subdomain]) => [app.id, app, subdomain] as const))(
    'serves %s behind Traefik External with a cert-manager TLS Secret and the external-dns target',
    (_id, app, subdomain) => {
      const env = withController('traefik-external');
      const host = `${subdomain}.example.test`;
      const values = app.values(env);

      expect(at(values, ['ingress', 'className'])).toBe('traefik-external');
      expect(at(values, ['ingress', 'hosts', 0, 'host'])).toBe(host);
      expect(at(values, ['ingress', 'tls'])).toEqual([{ secretName: `${host}-dns01`, hosts: [host] }]);
      expect(at(values, ['ingress', 'annotations'])).toEqual({
        'cert-manager.io/cluster-issuer': 'letsencrypt',
        'external-dns.alpha.kubernetes.io/target': 'front.example.test',
      });
    },
  );

  it.each(publicApps.map(([app]) => [app.id, app] as const))('serves %s through a Cloudflare Tunnel without TLS or cert-manager annotations', (_id, app) => {
    const values = app.values(withController('cloudflare-tunnel'));

    expect(at(values, ['ingress', 'className'])).toBe('cloudflare-tunnel');
    expect(at(values, ['ingress', 'tls'])).toEqual([]);
    expect(at(values, ['ingress', 'annotations'])).toEqual({});
  });

  it.each(publicApps.map(([app]) => [app.id, app] as const))('makes %s depend on the public ingress controller in use', (_id, app) => {
    const behindTraefik = dependencies(app, withController('traefik-external'));
    const behindTunnel = dependencies(app, withController('cloudflare-tunnel'));

    expect(behindTraefik).toContain('traefik-external');
    expect(behindTraefik).not.toContain('cloudflare-tunnel-ingress-controller');
    expect(behindTunnel).toContain('cloudflare-tunnel-ingress-controller');
    expect(behindTunnel).not.toContain('traefik-external');
  });

  it.each(publicApps.map(([app]) => [app.id, app] as const))('serves %s on the host the environment overrides it to', (id, app) => {
    const env = makeEnvironment({ components: { [id]: { host: 'custom.example.org' } } });
    const values = app.values(env);

    expect(at(values, ['ingress', 'hosts', 0, 'host'])).toBe('custom.example.org');
    expect(at(values, ['ingress', 'tls', 0, 'secretName'])).toBe('custom.example.org-dns01');
  });
});

describe('daypassed-bot', () => {
  it('puts the 1Password item in the lower-case onepassword block, in the environment vault', () => {
    const values = daypassedBot.values(makeEnvironment({ onePassword: { vault: 'Ops' } }));

    expect(at(values, ['onepassword', 'itemPath'])).toBe('vaults/Ops/items/daypassed-bot');
    expect(at(values, ['onepassword', 'enabled'])).toBe(true);
    expect(at(values, ['onePassword'])).toBeUndefined();
  });

  it('posts to the environment Misskey host in the environment time zone', () => {
    const values = daypassedBot.values(makeEnvironment({ misskey: { host: 'mi.example.org' }, timezone: 'Asia/Tokyo' }));

    expect(at(values, ['env', 'misskeyHost'])).toBe('mi.example.org');
    expect(at(values, ['env', 'tz'])).toBe('Asia/Tokyo');
  });

  it('refuses to compute values without misskey settings instead of rendering an empty host', () => {
    expect(() => daypassedBot.values(makeEnvironment({ misskey: undefined }))).toThrow(/requiresMisskey/);
  });
});

describe('spotify-nowplaying', () => {
  it('points both OAuth callbacks at its default public host', () => {
    const values = spotifyNowplaying.values(makeEnvironment());

    expect(envVar(values, 'SPOTIFY_REDIRECT_URI_NOTE')).toBe('https://spn.example.test/note/callback');
    expect(envVar(values, 'SPOTIFY_REDIRECT_URI_TWEET')).toBe('https://spn.example.test/tweet/callback');
  });

  it('moves both OAuth callbacks to the host the environment overrides it to', () => {
    const env = makeEnvironment({ components: { 'spotify-nowplaying': { host: 'spn.soli0222.com' } } });
    const values = spotifyNowplaying.values(env);

    expect(envVar(values, 'SPOTIFY_REDIRECT_URI_NOTE')).toBe('https://spn.soli0222.com/note/callback');
    expect(envVar(values, 'SPOTIFY_REDIRECT_URI_TWEET')).toBe('https://spn.soli0222.com/tweet/callback');
    expect(at(values, ['ingress', 'hosts', 0, 'host'])).toBe('spn.soli0222.com');
  });

  it('talks to the environment Misskey host', () => {
    const values = spotifyNowplaying.values(makeEnvironment({ misskey: { host: 'mi.example.org' } }));

    expect(envVar(values, 'SERVER_URI')).toBe('mi.example.org');
  });
});

describe('mk-stream', () => {
  it('connects to the environment Misskey host', () => {
    const values = mkStream.values(makeEnvironment({ misskey: { host: 'mi.example.org' } }));

    expect(envVar(values, 'HOST')).toBe('mi.example.org');
  });
});

describe('navidrome', () => {
  it('keeps its data volume on the environment StorageClass', () => {
    const values = navidrome.values(makeEnvironment({ nfs: { storageClass: 'nas-rwx' } }));

    expect(at(values, ['persistence', 'data', 'storageClass'])).toBe('nas-rwx');
  });

  it('mounts the music library read-only from the environment NFS server', () => {
    const values = navidrome.values(makeEnvironment({ nfs: { server: '10.9.9.9' } }));

    expect(at(values, ['persistence', 'music', 'nfs', 'server'])).toBe('10.9.9.9');
    expect(at(values, ['persistence', 'music', 'nfs', 'path'])).toBe('/volume1/music');
    expect(at(values, ['persistence', 'music', 'accessModes'])).toEqual(['ReadOnlyMany']);
  });

  it('depends on the NFS provisioner that creates its data volume', () => {
    expect(dependencies(navidrome, makeEnvironment())).toContain('nfs-subdir-external-provisioner');
  });
});

describe('mc-mirror-cronjob', () => {
  it('mirrors into the alias named after the environment MinIO tenant', () => {
    const values = mcMirrorCronjob.values(makeEnvironment({ minio: { tenant: 'minio-lab' } }));

    expect(at(values, ['cronjob', 'mcMirror', 'destination'])).toBe('minio-lab/polestar');
  });

  it('depends on the MinIO tenant it writes to', () => {
    expect(dependencies(mcMirrorCronjob, makeEnvironment())).toContain('minio-tenant');
  });
});

describe('LAN-only apps', () => {
  it.each([
    ['subscription-manager', subscriptionManager],
    ['flow-sight', flowSight],
  ] as const)('serves %s on the internal Traefik at <id>.<internal domain> whatever the external ingress is', (subdomain, app) => {
    const host = `${subdomain}.lan.example.test`;

    for (const controller of ['traefik-external', 'cloudflare-tunnel'] as const) {
      const values = app.values(withController(controller));

      expect(at(values, ['ingress', 'className'])).toBe('traefik');
      expect(at(values, ['ingress', 'hosts', 0, 'host'])).toBe(host);
      expect(at(values, ['ingress', 'tls'])).toEqual([{ secretName: `${host}-dns01`, hosts: [host] }]);
      expect(at(values, ['ingress', 'annotations'])).toEqual({ 'cert-manager.io/cluster-issuer': 'letsencrypt' });
    }
  });

  it('gives flow-sight an API URL on its own host and routes /api to the backend', () => {
    const env = makeEnvironment({ components: { 'flow-sight': { host: 'flows.example.org' } } });
    const values = flowSight.values(env);

    expect(at(values, ['frontend', 'environment', 'NEXT_PUBLIC_API_URL'])).toBe('https://flows.example.org');
    expect(at(values, ['ingress', 'hosts', 0, 'paths', 0])).toEqual({ path: '/api', pathType: 'Prefix', backend: { service: 'backend' } });
  });

  it('keeps the flow-sight database on the environment StorageClass', () => {
    const values = flowSight.values(makeEnvironment({ nfs: { storageClass: 'nas-rwx' } }));

    expect(at(values, ['database', 'persistence', 'storageClass'])).toBe('nas-rwx');
    expect(dependencies(flowSight, makeEnvironment())).toContain('nfs-subdir-external-provisioner');
  });
});

describe('1Password items of the team charts', () => {
  const env = makeEnvironment();
  const strings = (value: unknown): string[] =>
    typeof value === 'string' ? [value] : value !== null && typeof value === 'object' ? Object.values(value).flatMap(strings) : [];

  it.each(teamApps.filter((app) => app.chartOnePasswordItems !== undefined).map((app) => [app.id, app] as const))(
    'lists for %s the item its chart values point at, with the keys its workload reads',
    (_, app) => {
      const uses = app.chartOnePasswordItems?.(env) ?? [];

      expect(uses.length).toBeGreaterThan(0);
      for (const use of uses) {
        expect(strings(app.values(env)), use.itemPath).toContain(use.itemPath);
        expect(use.keys.length, use.name).toBeGreaterThan(0);
      }
    },
  );

  it('lists an item for every team chart that reads 1Password, and for no other', () => {
    const withBlock = teamApps.filter((app) => strings(app.values(env)).some((value) => value.startsWith('vaults/')));

    expect(teamApps.filter((app) => app.chartOnePasswordItems !== undefined).map((app) => app.id)).toEqual(withBlock.map((app) => app.id));
  });
});
