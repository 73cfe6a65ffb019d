import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEnvironment, loadEnvironments } from '../../src/config/load';
import { UserError } from '../../src/core/user-error';
import { formatWarning, Warnings } from '../../src/core/warnings';
import { environmentYaml, KNOWN_COMPONENTS, VALID_ENVIRONMENT_YAML, withAppended } from '../helpers/environment-yaml';
import { INVALID_ENVIRONMENT_MESSAGES } from '../fixtures/invalid-environments';

const FIXTURES = 'test/fixtures/invalid-environments';

/** The lines of the UserError that `load` throws; fails the test when it does not throw one. */
function problemLines(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as UserError).message.split('\n');
  }
  throw new Error('expected a UserError, but loading succeeded');
}

/** The lines of the UserError for `text` loaded as environments/lab.yaml. */
function problemsOf(text: string, file = 'environments/lab.yaml'): string[] {
  return problemLines(() => loadEnvironment(file, text, KNOWN_COMPONENTS));
}

/** A fresh folder holding `files`, removed after `use`. */
function withFolder<T>(files: Readonly<Record<string, string>>, use: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'environments-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      writeFileSync(join(dir, name), text);
    }
    return use(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('invalid environment fixtures', () => {
  it('pins a message for every fixture folder', () => {
    expect(readdirSync(FIXTURES).sort()).toStrictEqual(Object.keys(INVALID_ENVIRONMENT_MESSAGES).sort());
  });

  it.each(Object.entries(INVALID_ENVIRONMENT_MESSAGES))('reports the %s fixture in one complete line', (fixture, message) => {
    expect(problemLines(() => loadEnvironments(join(FIXTURES, fixture), KNOWN_COMPONENTS))).toStrictEqual([`${FIXTURES}/${message}`]);
  });
});

describe('loadEnvironment errors', () => {
  it('throws a UserError whose problems carry file, line, column, path and message', () => {
    let thrown: unknown;
    try {
      loadEnvironment('environments/lab.yaml', environmentYaml({ 'server: 10.0.0.20': 'server: nas' }), KNOWN_COMPONENTS);
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(UserError);
    expect((thrown as UserError).problems).toStrictEqual([
      {
        file: 'environments/lab.yaml',
        line: 18,
        column: 11,
        path: '/nfs/server',
        message: 'expected a DNS name or an IPv4 address, got "nas"',
      },
    ]);
  });

  it('reports every problem of a file at once, sorted by line', () => {
    const text = environmentYaml({
      'vault: Lab': 'vault: Lab\ncolour: blue',
      'host: 10.0.0.10': 'host: 10.0.0.300',
      'email: ops@example.test': 'email: ops',
      'storageClass: nfs-lab': null,
    });

    expect(problemsOf(text)).toStrictEqual([
      'environments/lab.yaml:7:11: /cluster/apiServer/host: expected an IPv4 address, got "10.0.0.300"',
      'environments/lab.yaml:15:10: /acme/email: expected an e-mail address, got "ops"',
      'environments/lab.yaml:17:1: /nfs: missing required key "storageClass"',
      'environments/lab.yaml:31:3: /onePassword/colour: unknown key "colour"',
    ]);
  });

  it('reports each YAML syntax error with the line and column yaml gives', () => {
    const text = environmentYaml({ 'label: lab': '\tlabel: lab', 'vault: Lab': 'vault: "Lab' });

    expect(problemsOf(text)).toStrictEqual([
      'environments/lab.yaml:5:3: invalid YAML: Tabs are not allowed as indentation',
      'environments/lab.yaml:32:1: invalid YAML: Missing closing "quote',
    ]);
  });

  it('rejects an alias to an anchor that does not exist', () => {
    expect(problemsOf(withAppended('misskey: *nope'))).toStrictEqual(['environments/lab.yaml:32:10: invalid YAML: alias *nope refers to no anchor before it']);
  });

  it('names the kind of value when the document is not a mapping', () => {
    expect(problemsOf('just text\n')).toStrictEqual(['environments/lab.yaml:1:1: expected a mapping of environment settings, got a string ("just text")']);
  });

  it('points at the root mapping for a missing top-level key', () => {
    expect(problemsOf(environmentYaml({ 'onePassword:': null, 'vault: Lab': null }))).toStrictEqual([
      'environments/lab.yaml:2:1: missing required key "onePassword"',
    ]);
  });

  it('gives no hint for an unknown key that is close to nothing', () => {
    expect(problemsOf(withAppended('colour: blue'))).toStrictEqual(['environments/lab.yaml:32:1: /colour: unknown key "colour"']);
  });

  it('rejects an empty value instead of reading it as the default', () => {
    const text = environmentYaml({
      'repoUrl: https://git.example.test/platform.git': 'repoUrl: https://git.example.test/platform.git\nrevision:\npath: ~',
    });

    expect(problemsOf(text)).toStrictEqual([
      'environments/lab.yaml:4:3: /git/revision: expected a string, got null (leave the key out for the default "main")',
      'environments/lab.yaml:5:9: /git/path: expected a string, got ~ (leave the key out for the default "dist")',
    ]);
  });

  it('explains that YAML 1.2 reads yes as text', () => {
    expect(problemsOf(withAppended('components:\n  traefik:\n    enabled: yes'))).toStrictEqual([
      'environments/lab.yaml:34:14: /components/traefik/enabled: expected true or false, got "yes" (YAML 1.2 reads it as text; write true or false)',
    ]);
  });

  it('suggests quoting a number where a string belongs, as written in the file', () => {
    expect(problemsOf(environmentYaml({ 'vault: Lab': 'vault: 0042' }))).toStrictEqual([
      'environments/lab.yaml:31:10: /onePassword/vault: expected a string, got 0042 (quote it: "0042")',
    ]);
  });

  it('says "a mapping" and "a list" for collections of the wrong kind', () => {
    const text = environmentYaml({
      'acme:': 'acme: [ops@example.test]',
      'email: ops@example.test': null,
      'server: https://acme-staging-v02.api.letsencrypt.org/directory': null,
      'public: example.test': 'public: example.test\nextra: { a: b }',
    });

    expect(problemsOf(text)).toStrictEqual([
      'environments/lab.yaml:12:10: /domains/extra: expected a list, got a mapping',
      'environments/lab.yaml:15:7: /acme: expected a mapping, got a list',
    ]);
  });

  it('reports a wrong type once, without the bound check at the same place', () => {
    expect(problemsOf(environmentYaml({ 'servers: 1': 'servers: -1.5' }))).toStrictEqual([
      'environments/lab.yaml:24:12: /minio/servers: expected an integer, got -1.5',
    ]);
  });

  it('states both bounds of a port', () => {
    expect(problemsOf(environmentYaml({ 'host: 10.0.0.10': 'host: 10.0.0.10\nport: 70000' }))).toStrictEqual([
      'environments/lab.yaml:8:11: /cluster/apiServer/port: expected an integer from 1 to 65535, got 70000',
    ]);
  });

  it('rejects zero MinIO servers', () => {
    expect(problemsOf(environmentYaml({ 'servers: 1': 'servers: 0' }))).toStrictEqual([
      'environments/lab.yaml:24:12: /minio/servers: expected an integer of at least 1, got 0',
    ]);
  });

  it('lists the allowed values of an enum and suggests the closest', () => {
    expect(problemsOf(environmentYaml({ 'controller: traefik-external': 'controller: nginx' }))).toStrictEqual([
      'environments/lab.yaml:28:15: /externalIngress/controller: expected one of "traefik-external", "cloudflare-tunnel", got "nginx"',
    ]);
    expect(problemsOf(environmentYaml({ 'controller: traefik-external': 'controller: cloudflare', 'target: front.example.test': null }))).toStrictEqual([
      'environments/lab.yaml:28:15: /externalIngress/controller: expected one of "traefik-external", "cloudflare-tunnel", got "cloudflare", did you mean "cloudflare-tunnel"?',
    ]);
  });

  it('points at the repeated entry of a list', () => {
    const text = environmentYaml({ 'public: example.test': 'public: example.test\nextra: [a.example, b.example, a.example]' });

    expect(problemsOf(text)).toStrictEqual([
      'environments/lab.yaml:12:33: /domains/extra/2: expected each entry once, got "a.example" again (first at /domains/extra/0)',
    ]);
  });

  it('rejects a CIDR with host bits set and suggests the network address', () => {
    expect(problemsOf(environmentYaml({ 'podCidr: 10.244.0.0/16': 'podCidr: 10.244.0.1/16' }))).toStrictEqual([
      'environments/lab.yaml:8:12: /cluster/podCidr: expected an IPv4 CIDR like 10.42.0.0/16, got "10.244.0.1/16" (host bits are set, did you mean "10.244.0.0/16"?)',
    ]);
  });

  it('suggests the spelling of a time zone that only has the wrong case', () => {
    expect(problemsOf(withAppended('timezone: asia/tokyo'))).toStrictEqual([
      'environments/lab.yaml:32:11: /timezone: expected an IANA time zone like Asia/Tokyo, got "asia/tokyo" (did you mean "Asia/Tokyo"?)',
    ]);
  });

  it('suggests Gi for a volume size written in GB', () => {
    expect(problemsOf(environmentYaml({ 'volumeSize: 10Gi': 'volumeSize: 250GB' }))).toStrictEqual([
      'environments/lab.yaml:26:15: /minio/volumeSize: expected a Kubernetes quantity like 250Gi, got "250GB" (did you mean "250Gi"?)',
    ]);
  });

  it.each(['latest', '1.2', '1.x', '*', '>=1.2.3', '~1.2.3', '1.2.3 - 1.4.0', '01.2.3'])('rejects the chart version %s because it is not exact', (version) => {
    const text = withAppended(`components:\n  traefik:\n    version: ${JSON.stringify(version)}`);

    expect(problemsOf(text)).toStrictEqual([
      `environments/lab.yaml:34:14: /components/traefik/version: expected an exact chart version like 1.2.3, got ${JSON.stringify(version)}`,
    ]);
  });

  it('refuses a password in the Git URL, which would be committed', () => {
    const text = environmentYaml({ 'repoUrl: https://git.example.test/platform.git': 'repoUrl: https://bot:hunter2@git.example.test/p.git' });

    expect(problemsOf(text)).toStrictEqual([
      'environments/lab.yaml:3:12: /git/repoUrl: expected a Git URL (https://…, ssh://… or git@host:path), got "https://bot:hunter2@git.example.test/p.git" (a password in a URL ends up in Git; give Argo CD a repository secret instead)',
    ]);
  });

  it('cuts long values in messages', () => {
    expect(problemsOf(environmentYaml({ 'region: lab-1': `region: ${'x'.repeat(80)}` }))).toStrictEqual([
      `environments/lab.yaml:23:11: /minio/region: expected a DNS-1123 label (a-z, 0-9 and "-", at most 63 characters), got "${'x'.repeat(59)}…"`,
    ]);
  });

  it('rejects a file name that is not a DNS-1123 label, without a line', () => {
    expect(problemsOf(VALID_ENVIRONMENT_YAML, 'environments/Lab_1.yaml')).toStrictEqual([
      'environments/Lab_1.yaml: expected the file name to be a DNS-1123 label (it is the cluster name), got "Lab_1" (did you mean "lab-1"?)',
    ]);
  });

  it('reports an unknown component even when another component has a bad value', () => {
    const text = withAppended('components:\n  traefik:\n    enabled: maybe\n  cillium:\n    enabled: true');

    expect(problemsOf(text)).toStrictEqual([
      'environments/lab.yaml:34:14: /components/traefik/enabled: expected true or false, got "maybe"',
      'environments/lab.yaml:35:3: /components/cillium: unknown component "cillium", did you mean "cilium"?',
    ]);
  });

  it('reports an id that is not even a DNS label once, as an unknown component', () => {
    expect(problemsOf(withAppended('components:\n  Traefik_2: {}'))).toStrictEqual([
      'environments/lab.yaml:33:3: /components/Traefik_2: unknown component "Traefik_2", did you mean "traefik"?',
    ]);
  });
});

describe('semantic checks', () => {
  it('rejects a pod CIDR that overlaps the LoadBalancer range', () => {
    expect(problemsOf(environmentYaml({ 'podCidr: 10.244.0.0/16': 'podCidr: 10.0.1.0/24' }))).toStrictEqual([
      'environments/lab.yaml:8:12: /cluster/podCidr: expected a CIDR that does not overlap loadBalancer.ipRange 10.0.1.100-10.0.1.150, got "10.0.1.0/24"',
    ]);
  });

  it('rejects an NFS server inside the pod CIDR', () => {
    expect(problemsOf(environmentYaml({ 'server: 10.0.0.20': 'server: 10.244.3.4' }))).toStrictEqual([
      'environments/lab.yaml:18:11: /nfs/server: expected an address outside cluster.podCidr 10.244.0.0/16, got "10.244.3.4"',
    ]);
  });

  it('rejects an API server inside a LoadBalancer CIDR', () => {
    const text = environmentYaml({ 'ipRange: 10.0.1.100-10.0.1.150': 'ipRange: 10.0.0.0/24' });

    expect(problemsOf(text)).toStrictEqual([
      'environments/lab.yaml:7:11: /cluster/apiServer/host: expected an address outside loadBalancer.ipRange 10.0.0.0/24, got "10.0.0.10"',
      'environments/lab.yaml:18:11: /nfs/server: expected an address outside loadBalancer.ipRange 10.0.0.0/24, got "10.0.0.20"',
    ]);
  });

  it('rejects a record target with a Cloudflare Tunnel, which would ignore it', () => {
    const text = environmentYaml({ 'controller: traefik-external': 'controller: cloudflare-tunnel' });

    expect(problemsOf(text)).toStrictEqual([
      'environments/lab.yaml:29:11: /externalIngress/target: expected no target with controller "cloudflare-tunnel" (the tunnel creates its own DNS records), got "front.example.test"',
    ]);
  });

  it('rejects a served host outside the domains of the cluster', () => {
    const text = withAppended(
      'components:\n  spotify-nowplaying:\n    host: spn.elsewhere.test',
      environmentYaml({ 'volumeSize: 10Gi': 'volumeSize: 10Gi\nhost: minio.elsewhere.test' }),
    );

    expect(problemsOf(text)).toStrictEqual([
      'environments/lab.yaml:27:9: /minio/host: expected a host under lan.example.test or example.test, got "minio.elsewhere.test"',
      'environments/lab.yaml:35:11: /components/spotify-nowplaying/host: expected a host under lan.example.test or example.test, got "spn.elsewhere.test"',
    ]);
  });

  it('accepts a served host in an extra domain', () => {
    const text = withAppended(
      'components:\n  spotify-nowplaying:\n    host: spn.example.org',
      environmentYaml({ 'public: example.test': 'public: example.test\nextra: [example.org]' }),
    );

    expect(loadEnvironment('environments/lab.yaml', text, KNOWN_COMPONENTS).components).toStrictEqual({
      'spotify-nowplaying': { host: 'spn.example.org' },
    });
  });

  it('rejects an extra domain that repeats the public one', () => {
    const text = environmentYaml({ 'public: example.test': 'public: example.test\nextra: [example.org, example.test]' });

    expect(problemsOf(text)).toStrictEqual([
      'environments/lab.yaml:12:24: /domains/extra/1: expected a domain not already in domains.public, got "example.test"',
    ]);
  });

  it("refuses a contact address at a reserved domain for Let's Encrypt production, which would refuse the account", () => {
    const text = environmentYaml({ 'server: https://acme-staging-v02.api.letsencrypt.org/directory': null });

    expect(problemsOf(text)).toStrictEqual([
      'environments/lab.yaml:15:10: /acme/email: expected a contact address Let\'s Encrypt accepts, got "ops@example.test" ' +
        '(.test is reserved; the ACME account of the ClusterIssuer would be refused and no certificate issued)',
    ]);
  });

  it.each([
    ['admin@example.com', 'example.com'],
    ['admin@mail.example.org', 'example.org'],
    ['admin@EXAMPLE.NET', 'example.net'],
    ['ops@host.invalid', '.invalid'],
    ['ops@box.localhost', '.localhost'],
    ['ops@docs.example', '.example'],
  ])('warns about %s at the reserved domain %s for another ACME directory, and loads the file', (email, domain) => {
    const warnings = new Warnings();

    loadEnvironment('environments/lab.yaml', environmentYaml({ 'email: ops@example.test': `email: ${email}` }), KNOWN_COMPONENTS, warnings);

    expect(warnings.all.map(formatWarning)).toStrictEqual([
      `environments/lab.yaml:15:10: /acme/email: warning: "${email}" is at the reserved domain ${domain}: ` +
        "Let's Encrypt (staging too) refuses it as an account contact, so use a real address unless this ACME server accepts it",
    ]);
  });

  it('neither warns nor refuses a contact address at an ordinary domain', () => {
    const warnings = new Warnings();
    const text = environmentYaml({
      'email: ops@example.test': 'email: ops@example.community',
      'server: https://acme-staging-v02.api.letsencrypt.org/directory': null,
    });

    expect(loadEnvironment('environments/lab.yaml', text, KNOWN_COMPONENTS, warnings).acme.email).toBe('ops@example.community');
    expect(warnings.all).toStrictEqual([]);
  });

  it('rejects an In requirement of the L2 node selector without values', () => {
    const text = environmentYaml({
      'ipRange: 10.0.1.100-10.0.1.150': 'ipRange: 10.0.1.100-10.0.1.150\nl2:\n  nodeSelector:\n    matchExpressions:\n      - { key: zone, operator: In }',
    });

    expect(problemsOf(text)).toStrictEqual([
      'environments/lab.yaml:17:11: /loadBalancer/l2/nodeSelector/matchExpressions/0: expected at least one entry in values with operator "In", got none',
    ]);
  });

  it('rejects values on an Exists requirement of the L2 node selector', () => {
    const text = environmentYaml({
      'ipRange: 10.0.1.100-10.0.1.150':
        'ipRange: 10.0.1.100-10.0.1.150\nl2:\n  nodeSelector:\n    matchExpressions:\n      - { key: zone, operator: Exists, values: [a] }',
    });

    expect(problemsOf(text)).toStrictEqual([
      'environments/lab.yaml:17:50: /loadBalancer/l2/nodeSelector/matchExpressions/0/values: expected no values with operator "Exists", got 1',
    ]);
  });

  it('rejects a bad label key and an interface pattern that does not compile', () => {
    const text = environmentYaml({
      'ipRange: 10.0.1.100-10.0.1.150': 'ipRange: 10.0.1.100-10.0.1.150\nl2:\n  interfaces: ["eth[0-9"]\n  nodeSelector:\n    matchLabels: { "-rack": a }',
    });

    expect(problemsOf(text)).toStrictEqual([
      'environments/lab.yaml:15:18: /loadBalancer/l2/interfaces/0: expected a regular expression like ^eth[0-9]+, got "eth[0-9"',
      'environments/lab.yaml:17:22: /loadBalancer/l2/nodeSelector/matchLabels/-rack: expected a Kubernetes label key like node-role.kubernetes.io/control-plane, got "-rack"',
    ]);
  });

  it('rejects a MinIO console host equal to the API host', () => {
    const text = environmentYaml({ 'volumeSize: 10Gi': 'volumeSize: 10Gi\nconsoleHost: minio.lan.example.test' });

    expect(problemsOf(text)).toStrictEqual([
      'environments/lab.yaml:27:16: /minio/consoleHost: expected a host other than minio.host, got "minio.lan.example.test"',
    ]);
  });

  it('skips a check whose input already failed the schema', () => {
    // The range is invalid, so the API server cannot be checked against it.
    const text = environmentYaml({ 'ipRange: 10.0.1.100-10.0.1.150': 'ipRange: 10.0.0.20-10.0.0.1', 'host: 10.0.0.10': 'host: 10.0.0.15' });

    expect(problemsOf(text)).toStrictEqual([
      'environments/lab.yaml:13:12: /loadBalancer/ipRange: expected an IPv4 range like 10.0.0.10-10.0.0.20 or a CIDR, got "10.0.0.20-10.0.0.1" (the first address is after the last)',
    ]);
  });
});

describe('strings and names', () => {
  it('refuses control characters in a string the schema would otherwise accept', () => {
    const text = environmentYaml({ 'repoUrl: https://git.example.test/platform.git': 'repoUrl: https://git.example.test/platform.git\nrevision: "ma\\0in"' });

    expect(problemsOf(text)).toStrictEqual([
      'environments/lab.yaml:4:13: /git/revision: expected text without control characters, got "ma\\u0000in" (U+0000 at character 3)',
    ]);
  });

  it('refuses a bidirectional override, shown escaped so that the message itself cannot be reordered', () => {
    const text = environmentYaml({ 'vault: Lab': 'vault: "La\\u202Eb"' });

    expect(problemsOf(text)).toStrictEqual([
      'environments/lab.yaml:31:10: /onePassword/vault: expected text without control characters, got "La\\u202eb" (U+202E at character 3)',
    ]);
  });

  it('refuses a project name that the AppProject could not carry, with or without its -root suffix', () => {
    for (const project of ['my.project', 'p'.repeat(59)]) {
      expect(problemsOf(withAppended(`argocd:\n  project: ${project}\n`))).toStrictEqual([
        `environments/lab.yaml:33:12: /argocd/project: expected an AppProject name: a DNS-1123 label of at most 58 characters (the root's project adds "-root"), got ${JSON.stringify(project.length > 60 ? `${project.slice(0, 59)}…` : project)}`,
      ]);
    }
  });

  it('shows an unknown key with an ESC sequence or a newline escaped, on one line, in the path and in the quote', () => {
    expect(problemsOf(withAppended('"\\e[2Jkey\\nsplit": 1\n'))).toStrictEqual([
      'environments/lab.yaml:32:1: /\\u001b[2Jkey\\nsplit: unknown key "\\u001b[2Jkey\\nsplit"',
    ]);
  });

  it('shows an unknown key with a bidi override escaped, so the line reads as written', () => {
    expect(problemsOf(withAppended('"\\u202Eabc": 1\n'))).toStrictEqual(['environments/lab.yaml:32:1: /\\u202eabc: unknown key "\\u202eabc"']);
  });

  it('shows a duplicate key with control characters escaped', () => {
    expect(problemsOf(withAppended('"a\\eb": 1\n"a\\eb": 2\n'))).toStrictEqual([
      'environments/lab.yaml:33:1: invalid YAML: duplicate key "a\\u001bb" (first on line 32)',
    ]);
  });

  it('reports 10,000 unknown keys and 10,000 unknown components, one line each, each at its own line', () => {
    const keys = Array.from({ length: 10_000 }, (_, i) => `k${i}: ${i}\n`).join('');
    const ids = Array.from({ length: 10_000 }, (_, i) => `  c${i}: {}\n`).join('');

    const problems = problemsOf(withAppended(`${keys}components:\n${ids}`));

    expect(problems).toHaveLength(20_000);
    expect(problems[0]).toBe('environments/lab.yaml:32:1: /k0: unknown key "k0"');
    expect(problems.at(-1)).toBe('environments/lab.yaml:20032:3: /components/c9999: unknown component "c9999"');
  }, 300_000); // a hang guard only, at 10x a busy machine: that the time grows linearly is gated by `npm run bench` (bench/load-scale.ts)
});

describe('loadEnvironments errors', () => {
  it('collects the problems of every file of a folder into one error', () => {
    const files = {
      'beta.yaml': environmentYaml({ 'email: ops@example.test': 'email: ops' }),
      'alpha.yaml': environmentYaml({ 'server: 10.0.0.20': 'server: nas' }),
      'gamma.yaml': VALID_ENVIRONMENT_YAML.replace('label: lab', 'label: gamma'),
    };

    withFolder(files, (dir) => {
      expect(problemLines(() => loadEnvironments(dir, KNOWN_COMPONENTS))).toStrictEqual([
        `${dir}/alpha.yaml:18:11: /nfs/server: expected a DNS name or an IPv4 address, got "nas"`,
        `${dir}/beta.yaml:15:10: /acme/email: expected an e-mail address, got "ops"`,
      ]);
    });
  });

  it('rejects two environments with the same cluster label', () => {
    withFolder({ 'one.yaml': VALID_ENVIRONMENT_YAML, 'two.yaml': VALID_ENVIRONMENT_YAML }, (dir) => {
      expect(problemLines(() => loadEnvironments(dir, KNOWN_COMPONENTS))).toStrictEqual([
        `${dir}/two.yaml:5:10: /cluster/label: expected a label no other environment uses, got "lab" (also in ${dir}/one.yaml)`,
      ]);
    });
  });

  it('asks for the .yaml extension instead of silently skipping a .yml file', () => {
    withFolder({ 'lab.yaml': VALID_ENVIRONMENT_YAML, 'prod.yml': VALID_ENVIRONMENT_YAML }, (dir) => {
      expect(problemLines(() => loadEnvironments(dir, KNOWN_COMPONENTS))).toStrictEqual([
        `${dir}/prod.yml: expected the extension .yaml, got .yml (rename the file to prod.yaml)`,
      ]);
    });
  });

  it('rejects a folder without environment files', () => {
    withFolder({ 'README.md': '# nothing here\n' }, (dir) => {
      expect(problemLines(() => loadEnvironments(dir, KNOWN_COMPONENTS))).toStrictEqual([
        `${dir}: expected at least one environment file (<cluster>.yaml), found none`,
      ]);
    });
  });

  it('rejects a folder that does not exist', () => {
    withFolder({}, (dir) => {
      const missing = join(dir, 'environments');

      expect(problemLines(() => loadEnvironments(missing, KNOWN_COMPONENTS))).toStrictEqual([
        `${missing}: cannot list the folder: no such file or folder (ENOENT); check the path`,
      ]);
    });
  });

  it('reports a file it cannot read, such as a dangling link', () => {
    withFolder({ 'lab.yaml': VALID_ENVIRONMENT_YAML }, (dir) => {
      symlinkSync(join(dir, 'missing.yaml'), join(dir, 'prod.yaml'));

      expect(problemLines(() => loadEnvironments(dir, KNOWN_COMPONENTS))).toStrictEqual([
        `${dir}/prod.yaml: cannot open: no such file or folder (ENOENT); check the path`,
      ]);
    });
  });

  it('ignores sub-folders and files that are not YAML', () => {
    withFolder({ 'lab.yaml': VALID_ENVIRONMENT_YAML, 'README.md': '# notes\n', '.gitkeep': '' }, (dir) => {
      mkdirSync(join(dir, 'archive'));

      expect(loadEnvironments(dir, KNOWN_COMPONENTS).map((env) => env.cluster)).toStrictEqual(['lab']);
    });
  });

  it('refuses a folder, a FIFO or a device named like an environment file instead of reading it', () => {
    withFolder({ 'lab.yaml': VALID_ENVIRONMENT_YAML }, (dir) => {
      mkdirSync(join(dir, 'archive.yaml'));
      execFileSync('mkfifo', [join(dir, 'pipe.yaml')]);
      symlinkSync('/dev/zero', join(dir, 'zero.yaml'));

      expect(problemLines(() => loadEnvironments(dir, KNOWN_COMPONENTS))).toStrictEqual([
        `${dir}/archive.yaml: expected a regular file, got a folder`,
        `${dir}/pipe.yaml: expected a regular file, got a FIFO (named pipe)`,
        `${dir}/zero.yaml: expected a regular file, got a link to a device`,
      ]);
    });
  });

  it('refuses a link to a FIFO by its kind, without opening it (which would block)', () => {
    withFolder({ 'lab.yaml': VALID_ENVIRONMENT_YAML }, (dir) => {
      execFileSync('mkfifo', [join(dir, 'pipe')]);
      symlinkSync(join(dir, 'pipe'), join(dir, 'prod.yaml'));

      expect(problemLines(() => loadEnvironments(dir, KNOWN_COMPONENTS))).toStrictEqual([
        `${dir}/prod.yaml: expected a regular file, got a link to a FIFO (named pipe)`,
      ]);
    });
  });

  it.skipIf(!existsSync('/proc/self/environ'))('refuses a link to /proc/self/environ by its kind and never quotes what it holds', () => {
    withFolder({ 'lab.yaml': VALID_ENVIRONMENT_YAML }, (dir) => {
      symlinkSync('/proc/self/environ', join(dir, 'prod.yaml'));
      process.env.PKE_TEST_SECRET = 'hunter2-never-shown';
      try {
        const lines = problemLines(() => loadEnvironments(dir, KNOWN_COMPONENTS));

        expect(lines).toStrictEqual([
          `${dir}/prod.yaml: expected a regular file, got a link to a virtual file (it reports no size yet has content, as those of /proc and /sys do); it was not read`,
        ]);
        expect(lines.join('\n')).not.toContain('hunter2');
      } finally {
        delete process.env.PKE_TEST_SECRET;
      }
    });
  });

  it('names a file whose name holds control characters on one line, escaped', () => {
    withFolder({ 'lab.yaml': VALID_ENVIRONMENT_YAML, 'x\u001b[2J\ny.yaml': 'not: [closed\n' }, (dir) => {
      const lines = problemLines(() => loadEnvironments(dir, KNOWN_COMPONENTS));

      expect(lines).toHaveLength(1);
      expect(lines[0].startsWith(`${dir}/x\\u001b[2J\\ny.yaml:`)).toBe(true);
      expect(lines[0]).not.toMatch(/\p{Cc}/u);
    });
  });

  it('refuses a file larger than 1 MiB without reading all of it', () => {
    withFolder({ 'lab.yaml': `${VALID_ENVIRONMENT_YAML}#${'x'.repeat(1024 * 1024)}\n` }, (dir) => {
      expect(problemLines(() => loadEnvironments(dir, KNOWN_COMPONENTS))).toStrictEqual([
        `${dir}/lab.yaml: expected an environment file of at most 1 MiB, got a larger one`,
      ]);
    });
  });

  it('reports files named .yaml, *.YAML or *.yml instead of skipping them', () => {
    withFolder(
      { 'lab.yaml': VALID_ENVIRONMENT_YAML, '.yaml': VALID_ENVIRONMENT_YAML, 'prod.YAML': VALID_ENVIRONMENT_YAML, 'test.yml': VALID_ENVIRONMENT_YAML },
      (dir) => {
        expect(problemLines(() => loadEnvironments(dir, KNOWN_COMPONENTS))).toStrictEqual([
          `${dir}/.yaml: expected <cluster>.yaml, got a file named .yaml (no cluster name before the extension)`,
          `${dir}/prod.YAML: expected the extension .yaml in lower case, got .YAML (rename the file to prod.yaml)`,
          `${dir}/test.yml: expected the extension .yaml, got .yml (rename the file to test.yaml)`,
        ]);
      },
    );
  });
});
