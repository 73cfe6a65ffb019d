import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { SYNC_OPTIONS_ANNOTATION } from '../core/argocd-annotations';
import { assertDnsLabel, assertDnsSubdomain } from './_names';
import { SyncOption } from './sync-option';

/** The label every namespace carries with its own name (Kubernetes 1.22+), to select a namespace by name. */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** `spec.ingress[].from[]` of a NetworkPolicy (networking.k8s.io/v1). */
interface NetworkPolicyPeer {
  readonly namespaceSelector: { readonly matchLabels: Record<string, string> };
  readonly podSelector?: { readonly matchLabels: Record<string, string> };
}

/** `spec.ingress[]` of a NetworkPolicy. */
interface NetworkPolicyIngressRule {
  readonly from: NetworkPolicyPeer[];
  readonly ports: { readonly port: number | string; readonly protocol: string }[];
}

/** Pods that may connect: those of a namespace, optionally only some of them. */
export interface IngressPeer {
  readonly namespace: string;
  /**
   * Labels of the pods.
   * @default - every pod of the namespace
   */
  readonly pods?: Readonly<Record<string, string>>;
}

/** One allow: these peers, to these ports of the selected pods. */
export interface IngressAllow {
  /** At least one peer. */
  readonly from: readonly IngressPeer[];
  /** Pod ports (number or container port name) and protocols; at least one. */
  readonly ports: readonly { readonly port: number | string; readonly protocol: string }[];
}

/** Props of {@link IngressNetworkPolicy}. */
export interface IngressNetworkPolicyProps {
  readonly name: string;
  readonly namespace: string;
  /** The pods it applies to; empty: every pod of the namespace. */
  readonly podSelector: Readonly<Record<string, string>>;
  /** What they accept; none: they accept no ingress at all. */
  readonly allows: readonly IngressAllow[];
  /**
   * Sync options of the object.
   * @default - none
   */
  readonly extraSyncOptions?: readonly SyncOption[];
}

/**
 * A `networking.k8s.io/v1` NetworkPolicy of type Ingress only: the selected
 * pods accept connections from exactly the listed peers on the listed ports
 * (policies add up, so a namespace's deny-all policy plus one of these per
 * Service fences it). Peers are always named by namespace, never by pod
 * labels alone, so a label copied into another namespace admits nothing.
 * (A built-in kind: an `ApiObject` with typed fields; synth validates it
 * against the Kubernetes schema.)
 */
export class IngressNetworkPolicy extends Construct {
  /** The NetworkPolicy object. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: IngressNetworkPolicyProps) {
    super(scope, id);
    assertDnsSubdomain('NetworkPolicy name', props.name);
    assertDnsLabel(`namespace of NetworkPolicy ${props.name}`, props.namespace, 63);
    for (const [i, allow] of props.allows.entries()) {
      if (allow.from.length === 0 || allow.ports.length === 0) throw new Error(`NetworkPolicy ${props.name}: allow ${i} needs at least one peer and one port`);
      for (const port of allow.ports) {
        if (!['TCP', 'UDP', 'SCTP'].includes(port.protocol)) throw new Error(`NetworkPolicy ${props.name}: protocol ${port.protocol} is not TCP, UDP or SCTP`);
        if (typeof port.port === 'number' && (!Number.isInteger(port.port) || port.port < 1 || port.port > 65535)) {
          throw new Error(`NetworkPolicy ${props.name}: port ${port.port} is outside 1-65535`);
        }
      }
    }
    const extra = props.extraSyncOptions ?? [];
    const ingress: NetworkPolicyIngressRule[] = props.allows.map((allow) => ({
      from: allow.from.map((peer): NetworkPolicyPeer => ({
        namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: peer.namespace } },
        ...(peer.pods === undefined ? {} : { podSelector: { matchLabels: { ...peer.pods } } }),
      })),
      ports: allow.ports.map((port) => ({
        port: port.port,
        protocol: port.protocol,
      })),
    }));
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: {
        name: props.name,
        namespace: props.namespace,
        ...(extra.length === 0 ? {} : { annotations: { [SYNC_OPTIONS_ANNOTATION]: SyncOption.annotationValue(extra) } }),
      },
      spec: {
        podSelector: Object.keys(props.podSelector).length === 0 ? {} : { matchLabels: { ...props.podSelector } },
        policyTypes: ['Ingress'],
        ingress,
      },
    });
  }
}
