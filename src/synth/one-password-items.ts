import { CONNECT_SECRETS, manifestsFor } from '../platform/index';
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
    for (const manifest of manifestsFor(spec, env)) {
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

/** An item a cluster's README says a component reads, with its fields: what {@link parseOnePasswordItemsTable} gives back. */
export type OnePasswordItemRead = Pick<OnePasswordItemRow, 'component' | 'vault' | 'item' | 'keys'>;

/**
 * The rows of {@link onePasswordItemsTable} read back from a cluster's README (the plan's base
 * side has only the committed output, not the catalog it came from). Lines that are not rows
 * of that table are skipped.
 */
export function parseOnePasswordItemsTable(markdown: string): OnePasswordItemRead[] {
  const lines = markdown.split('\n');
  const start = lines.indexOf(onePasswordItemsTable([])[0]);
  if (start < 0) return [];
  const rows: OnePasswordItemRead[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('| ')) break;
    const cells = line.slice(2, -2).split(' | ');
    if (cells.length < 5) continue;
    const unquote = (cell: string) => cell.replace(/^`|`$/g, '');
    rows.push({ component: cells[1], vault: cells[2], item: unquote(cells[3]), keys: cells[4].split(', ').map(unquote).filter(Boolean) });
  }
  return rows;
}
