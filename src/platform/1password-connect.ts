import { CONNECT_SECRETS } from './_shared';
import type { ComponentSpec } from './types';

/**
 * 1Password Connect and the 1Password operator, which turns every
 * `OnePasswordItem` of the platform into a Secret of the same name.
 *
 * The chart never receives a credential. In the Helmfile era its values were
 * filled at render time by running the `op` CLI; Argo CD cannot do that, so
 * two Secrets must exist in the `1password` namespace before the first sync,
 * created out of band at bootstrap:
 *
 * - `op-credentials`, key `1password-credentials.json`: the Connect server's
 *   credentials file, base64-encoded once more (chart 2.0.x passes the value
 *   of that key straight to Connect as `OP_SESSION`).
 * - `onepassword-token`, key `token`: a Connect access token for the operator.
 *
 * Those names and keys are the chart's defaults; they are set explicitly so
 * the contract with the bootstrap step is visible here. `connect.credentials`
 * and `operator.token.value` stay unset, so the chart creates neither Secret
 * and Argo CD never prunes or overwrites them.
 */
export const onePasswordConnect = {
  id: '1password-connect',
  description: '1Password Connect server and operator: sync 1Password items into Kubernetes Secrets.',
  repoUrl: 'https://1password.github.io/connect-helm-charts',
  chart: 'connect',
  version: '2.0.3',
  namespace: '1password',
  releaseName: 'connect',
  dependsOn: ['cilium'],
  protected:
    'The Application owns the OnePasswordItem CRD. Argo CD leaves CRDs alone when it cascade-deletes an ' +
    'Application, but a sync prunes a CRD the chart no longer renders, and deleting the CRD deletes every ' +
    'OnePasswordItem and, through their owner references, every synced Secret: every component would lose its ' +
    'credentials at once. A cascading delete of the Application removes Connect and the operator: no Secret is ' +
    "synced any more, and Connect's own credentials are created out of band, so putting it back is a manual " +
    'bootstrap step.',
  values: () => ({
    connect: {
      create: true,
      credentialsName: CONNECT_SECRETS.credentials.name,
      credentialsKey: CONNECT_SECRETS.credentials.key,
    },
    operator: {
      create: true,
      token: { name: CONNECT_SECRETS.token.name, key: CONNECT_SECRETS.token.key },
    },
  }),
} satisfies ComponentSpec;
