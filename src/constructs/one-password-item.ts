import { Construct } from 'constructs';
import { OnePasswordItem as OnePasswordItemResource } from '../../imports/onepassword-item-onepassword.com';
import { SECRET_BEFORE_CHART_WAVE, SECRET_ITEM_WAVE, customResourceAnnotations } from './_custom-resource';
import { assertDnsLabel, assertDnsSubdomain } from './_names';
import type { SyncOption } from './sync-option';

/** `vaults/<vault>/items/<item>`, the only form the operator accepts here. */
const ITEM_PATH = /^vaults\/[^/]+\/items\/[^/]+$/;

/** Props of {@link OnePasswordItem}. */
export interface OnePasswordItemProps {
  /** Name of the item object and of the Secret the operator creates from it. */
  readonly name: string;
  /** Namespace the Secret is created in. */
  readonly namespace: string;
  /** `vaults/<vault>/items/<item>`. */
  readonly itemPath: string;
  /**
   * Whether the OnePasswordItem CRD exists before this Application syncs (its owner is in
   * an earlier root wave): then the item goes before the chart, in-app wave -1, so the
   * Secret is there when the chart's pods start; otherwise after the chart, in-app wave 1.
   * @default false
   */
  readonly crdFromEarlierWave?: boolean;
  /**
   * Sync options besides `SkipDryRunOnMissingResource=true`.
   * @default - none
   */
  readonly extraSyncOptions?: readonly SyncOption[];
}

/**
 * A `onepassword.com/v1` OnePasswordItem: the 1Password operator reads the item
 * from the vault and keeps a Secret of the same name in the namespace. This is
 * how every secret reaches the cluster; no secret material is in Git.
 */
export class OnePasswordItem extends Construct {
  /** The OnePasswordItem object. */
  public readonly apiObject: OnePasswordItemResource;

  constructor(scope: Construct, id: string, props: OnePasswordItemProps) {
    super(scope, id);
    assertDnsSubdomain('OnePasswordItem name', props.name);
    assertDnsLabel(`namespace of OnePasswordItem ${props.name}`, props.namespace, 63);
    if (!ITEM_PATH.test(props.itemPath)) {
      throw new Error(`itemPath of OnePasswordItem ${props.name} must be vaults/<vault>/items/<item>, got "${props.itemPath}"`);
    }
    this.apiObject = new OnePasswordItemResource(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        annotations: customResourceAnnotations(props.crdFromEarlierWave === true ? SECRET_BEFORE_CHART_WAVE : SECRET_ITEM_WAVE, props.extraSyncOptions),
      },
      spec: { itemPath: props.itemPath },
    });
  }
}
