import { Construct } from 'constructs';
import ipaddr from 'ipaddr.js';
import { CiliumLoadBalancerIpPool } from '../../imports/cilium-lb-ippool-cilium.io';
import { CUSTOM_RESOURCE_WAVE, customResourceAnnotations } from './_custom-resource';
import { assertDnsSubdomain } from './_names';
import type { SyncOption } from './sync-option';
import type { SyncWave } from './sync-wave';

/** Props of {@link LoadBalancerIpPool}. */
export interface LoadBalancerIpPoolProps {
  /** Pool name. */
  readonly name: string;
  /** The addresses: a first–last range (inclusive) or a CIDR. */
  readonly block: { readonly start: string; readonly stop: string } | { readonly cidr: string };
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
 * A `cilium.io/v2` CiliumLoadBalancerIPPool: the addresses Cilium's LB-IPAM
 * hands to Services of type LoadBalancer (Traefik's among them). v2 is the
 * storage version since Cilium 1.18 and the only one left from 1.19 on.
 * Cluster-scoped. The Cilium chart ships no CRDs: cilium-operator creates them
 * when it starts, hence the skipped dry run.
 */
export class LoadBalancerIpPool extends Construct {
  /** The pool object. */
  public readonly apiObject: CiliumLoadBalancerIpPool;

  constructor(scope: Construct, id: string, props: LoadBalancerIpPoolProps) {
    super(scope, id);
    assertDnsSubdomain('CiliumLoadBalancerIPPool name', props.name);
    const block = 'cidr' in props.block ? { cidr: checkCidr(props.block.cidr) } : checkRange(props.block.start, props.block.stop);
    this.apiObject = new CiliumLoadBalancerIpPool(this, 'Resource', {
      metadata: { name: props.name, annotations: customResourceAnnotations(props.wave ?? CUSTOM_RESOURCE_WAVE, props.extraSyncOptions) },
      spec: { blocks: [block] },
    });
  }
}

function ipv4ToNumber(address: string): number {
  if (!ipaddr.IPv4.isValidFourPartDecimal(address)) throw new Error(`expected an IPv4 address, got "${address}"`);
  return ipaddr.IPv4.parse(address)
    .toByteArray()
    .reduce((value, octet) => value * 256 + octet, 0);
}

function checkRange(start: string, stop: string): { start: string; stop: string } {
  if (ipv4ToNumber(start) > ipv4ToNumber(stop)) {
    throw new Error(`IP pool range must run from low to high, got ${start}-${stop}`);
  }
  return { start, stop };
}

function checkCidr(cidr: string): string {
  if (!ipaddr.IPv4.isValidCIDRFourPartDecimal(cidr) || !/\/\d{1,2}$/.test(cidr)) throw new Error(`expected an IPv4 CIDR, got "${cidr}"`);
  return cidr;
}
