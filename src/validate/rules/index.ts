/** The policy rules of the platform, in one list (each rule lives in its own file). */
import { admissionRule } from './admission';
import { appProjectRule } from './app-project';
import { chartVersionsRule } from './chart-versions';
import type { PolicyRule } from './_context';
import { crdOrderRule } from './crd-order';
import { namesRule } from './names';
import { protectedRule } from './protected';
import { noCredentialsRule, noSecretsRule } from './secrets';
import { skipDryRunRule } from './skip-dry-run';
import { uniqueObjectsRule } from './unique-objects';
import { wavesRule } from './waves';

export type { ClusterFacts, KindFacts, PolicyRule } from './_context';

/** Every policy rule, in the order they are documented. */
export const POLICY_RULES: readonly PolicyRule[] = [
  wavesRule,
  namesRule,
  chartVersionsRule,
  noSecretsRule,
  noCredentialsRule,
  protectedRule,
  skipDryRunRule,
  appProjectRule,
  admissionRule,
  crdOrderRule,
  uniqueObjectsRule,
];
