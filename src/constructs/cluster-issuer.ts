import { Construct } from 'constructs';
import { ClusterIssuer as ClusterIssuerResource } from '../../imports/cert-manager-clusterissuer-cert-manager.io';
import { CUSTOM_RESOURCE_WAVE, customResourceAnnotations } from './_custom-resource';
import { assertDnsSubdomain } from './_names';
import type { SyncOption } from './sync-option';
import type { SyncWave } from './sync-wave';

/** Props of {@link AcmeClusterIssuer}. */
export interface AcmeClusterIssuerProps {
  /** Issuer name, referenced by `cert-manager.io/cluster-issuer` annotations. */
  readonly name: string;
  /** ACME account e-mail. */
  readonly email: string;
  /** ACME directory URL. */
  readonly server: string;
  /** Secret cert-manager stores the ACME account key in. */
  readonly privateKeySecretName: string;
  /** Secret and key with the Cloudflare API token (created by a OnePasswordItem). */
  readonly cloudflareApiToken: { readonly secretName: string; readonly key: string };
  /**
   * In-app sync wave.
   * @default CUSTOM_RESOURCE_WAVE (2)
   */
  readonly wave?: SyncWave;
  /**
   * Sync options besides `SkipDryRunOnMissingResource=true`.
   * @default - none
   */
  readonly extraSyncOptions?: readonly SyncOption[];
}

/**
 * A cluster-wide ACME `ClusterIssuer` that proves domain ownership with DNS-01
 * records in Cloudflare. Cluster-scoped, so it has no namespace; the token
 * Secret must live in cert-manager's own namespace (its cluster resource
 * namespace).
 */
export class AcmeClusterIssuer extends Construct {
  /** The ClusterIssuer object. */
  public readonly apiObject: ClusterIssuerResource;

  constructor(scope: Construct, id: string, props: AcmeClusterIssuerProps) {
    super(scope, id);
    assertDnsSubdomain('ClusterIssuer name', props.name);
    if (!/^https:\/\/\S+$/.test(props.server)) {
      throw new Error(`ACME server of ClusterIssuer ${props.name} must be an https URL, got "${props.server}"`);
    }
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(props.email)) {
      throw new Error(`ACME e-mail of ClusterIssuer ${props.name} must be an e-mail address, got "${props.email}"`);
    }
    this.apiObject = new ClusterIssuerResource(this, 'Resource', {
      metadata: { name: props.name, annotations: customResourceAnnotations(props.wave ?? CUSTOM_RESOURCE_WAVE, props.extraSyncOptions) },
      spec: {
        acme: {
          email: props.email,
          server: props.server,
          privateKeySecretRef: { name: props.privateKeySecretName },
          solvers: [
            {
              dns01: {
                cloudflare: {
                  apiTokenSecretRef: { name: props.cloudflareApiToken.secretName, key: props.cloudflareApiToken.key },
                },
              },
            },
          ],
        },
      },
    });
  }
}
