import { Construct } from 'constructs';
import { Certificate as CertificateResource } from '../../imports/cert-manager-certificate-cert-manager.io';
import { CUSTOM_RESOURCE_WAVE, customResourceAnnotations } from './_custom-resource';
import { assertDnsLabel, assertDnsSubdomain } from './_names';
import type { SyncOption } from './sync-option';
import type { SyncWave } from './sync-wave';

/** Props of {@link Certificate}. */
export interface CertificateProps {
  /** Certificate name. */
  readonly name: string;
  /** Namespace of the Certificate and of its Secret. */
  readonly namespace: string;
  /** Secret the signed certificate and key are stored in. */
  readonly secretName: string;
  /** DNS names the certificate covers; at least one. */
  readonly dnsNames: readonly string[];
  /** Name of the ClusterIssuer that signs it. */
  readonly clusterIssuer: string;
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
 * A cert-manager `Certificate` issued by a ClusterIssuer, for a TLS Secret that
 * a chart references by name (Ingresses get theirs from the ingress-shim
 * annotation instead).
 */
export class Certificate extends Construct {
  /** The Certificate object. */
  public readonly apiObject: CertificateResource;

  constructor(scope: Construct, id: string, props: CertificateProps) {
    super(scope, id);
    assertDnsSubdomain('Certificate name', props.name);
    assertDnsSubdomain(`secret name of Certificate ${props.name}`, props.secretName);
    assertDnsLabel(`namespace of Certificate ${props.name}`, props.namespace, 63);
    if (props.dnsNames.length === 0) {
      throw new Error(`Certificate ${props.name} needs at least one DNS name`);
    }
    this.apiObject = new CertificateResource(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        annotations: customResourceAnnotations(props.wave ?? CUSTOM_RESOURCE_WAVE, props.extraSyncOptions),
      },
      spec: {
        secretName: props.secretName,
        dnsNames: [...props.dnsNames],
        issuerRef: { name: props.clusterIssuer, kind: 'ClusterIssuer' },
      },
    });
  }
}
