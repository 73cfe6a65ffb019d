import type { Environment } from '../config/environment';
import { CONNECT_SECRETS } from '../platform/index';
import { onePasswordConnect } from '../platform/1password-connect';

/** Quotes a word for POSIX sh. */
function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'"'"'`)}'`;
}

/**
 * The shell commands that create 1Password Connect's own Secrets for one
 * cluster, for a person to read and run (nothing is run for them): Connect
 * cannot fetch its own credentials, and no credential may live in Git.
 *
 * The values come from the environment's `onePassword.connectItem` in
 * `onePassword.connectVault` (fields `credentials` and `token`), read with
 * `op read`, and land in the Secrets the Connect chart is configured to read.
 * `kubectl create … --dry-run=client -o yaml | kubectl apply -f -` makes every
 * step safe to repeat. The values reach kubectl on its standard input
 * (`--from-file=<key>=/dev/stdin`, fed by the shell's built-in `printf`), never
 * as an argument: arguments of a running process are visible to every user of
 * the machine (`ps`, `/proc/<pid>/cmdline`).
 */
export function bootstrapSecretsScript(env: Environment): string {
  const namespace = onePasswordConnect.namespace;
  const reference = (field: string) => shellQuote(`op://${env.onePassword.connectVault}/${env.onePassword.connectItem}/${field}`);
  const secret = (name: string, key: string, variable: string) =>
    [
      `printf '%s' "$${variable}" | kubectl --namespace ${namespace} create secret generic ${name} \\`,
      `  --from-file=${key}=/dev/stdin --dry-run=client -o yaml | kubectl apply -f -`,
    ].join('\n');
  return [
    `# 1Password Connect's own Secrets for cluster ${env.cluster} (${env.file}).`,
    '# Printed, not run: read it, then run it with a kubeconfig for this cluster and a signed-in',
    '# 1Password CLI (op 2.x). Needs kubectl and GNU base64. Safe to run again.',
    'set -euo pipefail',
    '',
    '# Read both values first, so a failed `op read` stops here and no empty Secret is created.',
    '# The Connect server reads its credentials file base64-encoded (as OP_SESSION).',
    `credentials="$(op read ${reference('credentials')} | base64 -w0)"`,
    `token="$(op read ${reference('token')})"`,
    // One test per value, each its own command: under `set -e` a failure left of `&&` does not stop the script.
    ...(['credentials', 'token'] as const).map(
      (field) =>
        `if [ -z "$${field}" ]; then echo ${shellQuote(`op read ${`op://${env.onePassword.connectVault}/${env.onePassword.connectItem}/${field}`} printed nothing: no Secret was created; fill the field ${field} of the item, then run this again`)} >&2; exit 1; fi`,
    ),
    '',
    '# The values go to kubectl on its standard input (printf is a shell built-in), so no',
    '# command line that ps shows ever holds them.',
    `kubectl create namespace ${namespace} --dry-run=client -o yaml | kubectl apply -f -`,
    secret(CONNECT_SECRETS.credentials.name, CONNECT_SECRETS.credentials.key, 'credentials'),
    secret(CONNECT_SECRETS.token.name, CONNECT_SECRETS.token.key, 'token'),
    '',
  ].join('\n');
}
