import { Construct } from 'constructs';
import {
  CiliumL2AnnouncementPolicy,
  CiliumL2AnnouncementPolicySpecNodeSelectorMatchExpressionsOperator as Operator,
} from '../../imports/cilium-l2-policy-cilium.io';
import type { LabelSelector } from '../config/environment';
import { CUSTOM_RESOURCE_WAVE, customResourceAnnotations } from './_custom-resource';
import { assertDnsSubdomain } from './_names';
import type { SyncOption } from './sync-option';
import type { SyncWave } from './sync-wave';

const OPERATORS: Readonly<Record<string, Operator>> = {
  In: Operator.IN,
  NotIn: Operator.NOT_IN,
  Exists: Operator.EXISTS,
  DoesNotExist: Operator.DOES_NOT_EXIST,
};

/** Props of {@link L2AnnouncementPolicy}. */
export interface L2AnnouncementPolicyProps {
  /** Policy name. */
  readonly name: string;
  /** Network interfaces to announce on, as regular expressions (at least one). */
  readonly interfaces: readonly string[];
  /** Nodes that may announce; an empty selector selects every node. */
  readonly nodeSelector: LabelSelector;
  /**
   * Announce the Services' external IPs.
   * @default true
   */
  readonly externalIPs?: boolean;
  /**
   * Announce the Services' LoadBalancer IPs.
   * @default true
   */
  readonly loadBalancerIPs?: boolean;
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
 * A `cilium.io/v2alpha1` CiliumL2AnnouncementPolicy: the nodes that answer ARP
 * for the addresses of Services of type LoadBalancer (and external IPs), and on
 * which interfaces. Without one, Cilium hands out LoadBalancer addresses from
 * the IP pool but nobody on the LAN can reach them. Cluster-scoped; no service
 * selector, so it covers every Service. Like the IP pool, its CRD is created by
 * cilium-operator at run time, hence the skipped dry run and the in-app wave
 * after the chart.
 */
export class L2AnnouncementPolicy extends Construct {
  /** The policy object. */
  public readonly apiObject: CiliumL2AnnouncementPolicy;

  constructor(scope: Construct, id: string, props: L2AnnouncementPolicyProps) {
    super(scope, id);
    assertDnsSubdomain('CiliumL2AnnouncementPolicy name', props.name);
    if (props.interfaces.length === 0 || props.interfaces.some((pattern) => pattern === '')) {
      throw new Error(`CiliumL2AnnouncementPolicy ${props.name} needs at least one non-empty interface pattern`);
    }
    const matchExpressions = (props.nodeSelector.matchExpressions ?? []).map((expression) => {
      const operator = OPERATORS[expression.operator];
      if (operator === undefined) {
        throw new Error(`unknown label selector operator "${expression.operator}" in CiliumL2AnnouncementPolicy ${props.name}`);
      }
      return { key: expression.key, operator, values: expression.values === undefined ? undefined : [...expression.values] };
    });
    const matchLabels = props.nodeSelector.matchLabels ?? {};
    this.apiObject = new CiliumL2AnnouncementPolicy(this, 'Resource', {
      metadata: { name: props.name, annotations: customResourceAnnotations(props.wave ?? CUSTOM_RESOURCE_WAVE, props.extraSyncOptions) },
      spec: {
        interfaces: [...props.interfaces],
        nodeSelector: {
          matchExpressions: matchExpressions.length === 0 ? undefined : matchExpressions,
          matchLabels: Object.keys(matchLabels).length === 0 ? undefined : { ...matchLabels },
        },
        externalIPs: props.externalIPs ?? true,
        loadBalancerIPs: props.loadBalancerIPs ?? true,
      },
    });
  }
}
