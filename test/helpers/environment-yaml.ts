/**
 * Inputs for the loader tests: a small valid environment file and ways to
 * change one line of it, so each test shows only what it breaks.
 */

/** A complete, valid environment file with obviously fake values. Line numbers are stable. */
export const VALID_ENVIRONMENT_YAML = `# yaml-language-server: $schema=../../environments/environment.schema.json
git:
  repoUrl: https://git.example.test/platform.git
cluster:
  label: lab
  apiServer:
    host: 10.0.0.10
  podCidr: 10.244.0.0/16
domains:
  internal: lan.example.test
  public: example.test
loadBalancer:
  ipRange: 10.0.1.100-10.0.1.150
acme:
  email: ops@example.test
  server: https://acme-staging-v02.api.letsencrypt.org/directory
nfs:
  server: 10.0.0.20
  path: /export/k8s
  storageClass: nfs-lab
minio:
  tenant: minio-lab
  region: lab-1
  servers: 1
  volumesPerServer: 2
  volumeSize: 10Gi
externalIngress:
  controller: traefik-external
  target: front.example.test
onePassword:
  vault: Lab
`;

/** Component ids the tests treat as the catalog. */
export const KNOWN_COMPONENTS = ['cert-manager', 'cilium', 'spotify-nowplaying', 'traefik', 'traefik-external'] as const;

/**
 * `VALID_ENVIRONMENT_YAML` with lines replaced. Each key is a whole line as it
 * appears in the text (without indentation) and must occur exactly once; the
 * value replaces it at the same indentation (several lines allowed), or `null`
 * removes it.
 */
export function environmentYaml(edits: Readonly<Record<string, string | null>> = {}, text = VALID_ENVIRONMENT_YAML): string {
  let lines = text.split('\n');
  for (const [line, replacement] of Object.entries(edits)) {
    const matches = lines.flatMap((candidate, index) => (candidate.trim() === line ? [index] : []));
    if (matches.length !== 1) {
      throw new Error(`expected the line ${JSON.stringify(line)} exactly once, found it ${matches.length} times`);
    }
    const index = matches[0];
    const indent = lines[index].slice(0, lines[index].length - lines[index].trimStart().length);
    const added = replacement === null ? [] : replacement.split('\n').map((part) => indent + part);
    lines = [...lines.slice(0, index), ...added, ...lines.slice(index + 1)];
  }
  return lines.join('\n');
}

/** `VALID_ENVIRONMENT_YAML` (or `text`) with more lines at the end. */
export function withAppended(block: string, text = VALID_ENVIRONMENT_YAML): string {
  return `${text}${block.endsWith('\n') ? block : `${block}\n`}`;
}
