import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { SYNC_OPTIONS_ANNOTATION } from '../core/argocd-annotations';
import { assertDnsLabel, assertDnsSubdomain } from './_names';
import { SyncOption } from './sync-option';

/** A file name a ConfigMap key may hold. */
const KEY = /^[-._a-zA-Z0-9]+$/;

/** Props of {@link ProvisioningConfigMap}. */
export interface ProvisioningConfigMapProps {
  readonly name: string;
  readonly namespace: string;
  /** Labels a sidecar selects it by (e.g. `grafana_datasource: "1"`); at least one. */
  readonly labels: Readonly<Record<string, string>>;
  /** File name → content; at least one file. */
  readonly files: Readonly<Record<string, string>>;
  /**
   * Sync options of the object (a protected component's `Prune=false,Delete=false`).
   * @default - none
   */
  readonly extraSyncOptions?: readonly SyncOption[];
}

/**
 * A ConfigMap of provisioning files that a sidecar of a chart picks up by its
 * labels and loads into the application (Grafana's data sources and alerting):
 * configuration as code, beside the chart instead of inside its values.
 * (A built-in kind: an `ApiObject`, as `ApplicationHealthCheck`'s ConfigMap,
 * since cdk8s-plus's Kube* module is kept out of the bundle; synth validates
 * it against the Kubernetes schema.)
 */
export class ProvisioningConfigMap extends Construct {
  /** The ConfigMap object. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: ProvisioningConfigMapProps) {
    super(scope, id);
    assertDnsSubdomain('ConfigMap name', props.name);
    assertDnsLabel(`namespace of ConfigMap ${props.name}`, props.namespace, 63);
    if (Object.keys(props.labels).length === 0) throw new Error(`ConfigMap ${props.name} needs the label its sidecar selects`);
    const keys = Object.keys(props.files);
    if (keys.length === 0) throw new Error(`ConfigMap ${props.name} needs at least one file`);
    for (const key of keys) if (!KEY.test(key)) throw new Error(`ConfigMap ${props.name}: "${key}" is not a valid file name`);
    const extra = props.extraSyncOptions ?? [];
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: { ...props.labels },
        ...(extra.length === 0 ? {} : { annotations: { [SYNC_OPTIONS_ANNOTATION]: SyncOption.annotationValue(extra) } }),
      },
      data: { ...props.files },
    });
  }
}
