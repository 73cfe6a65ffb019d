import { CONNECT_SECRETS } from '../platform/index';
import type { PlatformPlan } from '../platform/index';
import { onePasswordConnect } from '../platform/1password-connect';
import type { OnePasswordItemUse } from '../platform/types';

/** One 1Password item a cluster needs, and who reads it. */
export interface OnePasswordItemRow {
  /** Wave of the reading component. */
  readonly wave: number;
  /** The reading component. */
  readonly component: string;
  readonly vault: string;
  /** Item title. */
  readonly item: string;
  /** Fields of the item that must exist. */
  readonly keys: readonly string[];
  /** The Secrets the item becomes, as `namespace/name`. */
  readonly secrets: readonly string[];
  /** What reads the keys. */
  readonly usedBy: string;
}

const ITEM_PATH = /^vaults\/([^/]+)\/items\/([^/]+)$/;

function row(wave: number, component: string, namespace: string, use: OnePasswordItemUse): OnePasswordItemRow {
  const match = ITEM_PATH.exec(use.itemPath);
  if (match === null) {
    throw new Error(`itemPath of ${component}/${use.name} must be vaults/<vault>/items/<item>, got "${use.itemPath}"`);
  }
  return { wave, component, vault: match[1], item: match[2], keys: use.keys, secrets: [`${namespace}/${use.name}`], usedBy: use.usedBy };
}

/**
 * Every 1Password item one cluster needs, in wave order: Connect's own
 * credentials (created by `npm run bootstrap-secrets`, not by the operator),
 * then per component the items of its supporting OnePasswordItems and of the
 * OnePasswordItems its chart renders. An item read by two components (the
 * Cloudflare token) appears once per reader.
 */
export function onePasswordItems(plan: PlatformPlan): OnePasswordItemRow[] {
  const { env } = plan;
  const rows: OnePasswordItemRow[] = [];
  for (const component of plan.components) {
    const { spec, wave } = component;
    if (spec.id === onePasswordConnect.id) {
      rows.push({
        wave,
        component: spec.id,
        vault: env.onePassword.connectVault,
        item: env.onePassword.connectItem,
        keys: ['credentials', 'token'],
        secrets: [CONNECT_SECRETS.credentials.name, CONNECT_SECRETS.token.name].map((name) => `${spec.namespace}/${name}`),
        usedBy: 'Connect and the operator themselves (npm run bootstrap-secrets creates the Secrets)',
      });
    }
    for (const manifest of spec.manifests?.(env) ?? []) {
      if (manifest.kind === 'OnePasswordItem') rows.push(row(wave, spec.id, spec.namespace, manifest));
    }
    for (const use of spec.chartOnePasswordItems?.(env) ?? []) rows.push(row(wave, spec.id, spec.namespace, use));
  }
  return rows;
}

/** The items as a Markdown table, for `dist/<cluster>/README.md` and the cut-over guide. */
export function onePasswordItemsTable(rows: readonly OnePasswordItemRow[]): string[] {
  const code = (text: string) => `\`${text}\``;
  return [
    '| Wave | Component | Vault | Item | Keys | Secret | Read by |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.wave} | ${r.component} | ${r.vault} | ${code(r.item)} | ${r.keys.map(code).join(', ')} | ` + `${r.secrets.map(code).join(', ')} | ${r.usedBy} |`,
    ),
  ];
}
