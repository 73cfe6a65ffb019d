import { parse } from 'yaml';
import { RESOURCES_FINALIZER, SYNC_OPTIONS_ANNOTATION, SYNC_WAVE_ANNOTATION } from '../constructs/annotations';
import { BOOTSTRAP_DIR, describeFile } from '../synth/layout';
import type { FileMap } from '../synth/cluster-files';
import { type Problem, UserError } from '../core/user-error';
import type { PlanDetails } from './details';

/** How one rendered object changes between what Argo CD syncs now and the new render. */
export interface PlanEntry {
  readonly cluster: string;
  /** Path relative to the output folder. */
  readonly file: string;
  readonly change: 'added' | 'changed' | 'removed';
  readonly kind: string;
  readonly name: string;
  /** Component the object belongs to, or `bootstrap`. */
  readonly component: string;
  /** Sync-wave of the component's Application; undefined for bootstrap objects. */
  readonly wave: number | undefined;
  /** A child Application (as opposed to a supporting manifest or a bootstrap object). */
  readonly isApplication: boolean;
  /**
   * An Application whose identity changes (namespace, name or destination):
   * Argo CD sees one removed and one created, so the plan lists it as a
   * removal (this entry, `change: 'removed'`) and an addition of the same file.
   */
  readonly identityChange?: string;
  /** The Application is protected (`Prune=false`) in the version Argo CD syncs now. */
  readonly isProtected: boolean;
  /** A removed Application that deletes what it installed (it carries the resources finalizer). */
  readonly cascades: boolean;
  /** The object as Argo CD has it now (absent when added). */
  readonly before?: Readonly<Record<string, unknown>>;
  /** The object as rendered now (absent when removed). */
  readonly after?: Readonly<Record<string, unknown>>;
}

/** The plan of a change, and which of its deletions may go ahead. */
export interface Plan {
  readonly entries: readonly PlanEntry[];
  /** Removed Applications that need `--allow-delete <name>`. */
  readonly blocked: readonly PlanEntry[];
  /** Removed protected Applications: never allowed this way. */
  readonly refused: readonly PlanEntry[];
  /** What `--allow-delete` names (components, `cluster/component`, CRD names, `cluster/crd`). */
  readonly allowed?: readonly string[];
  /** Helm values files under `bootstrap/values/` that change (Argo CD's own, installed by hand). */
  readonly bootstrapValues?: readonly ValuesChange[];
}

/** A values file under `<cluster>/bootstrap/values/` that changes. */
export interface ValuesChange {
  readonly cluster: string;
  /** Path relative to the output folder. */
  readonly file: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

interface Parsed {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly object: any;
  readonly component: string;
  readonly isApplication: boolean;
}

/**
 * The rendered manifests of a file map (children, supporting manifests and
 * bootstrap objects), each parsed when first asked for: a plan parses only the
 * files that differ and the Applications they belong to.
 */
function manifests(files: FileMap): (file: string) => Parsed | undefined {
  const memo = new Map<string, Parsed | undefined>();
  const read = (file: string): Parsed | undefined => {
    const info = describeFile(file);
    const content = files.get(file);
    if (content === undefined || info === undefined || info.role === 'document' || info.role === 'values') return undefined;
    const object = parse(content);
    if (object === null || typeof object !== 'object' || typeof object.kind !== 'string') return undefined;
    return { object, component: info.component ?? BOOTSTRAP_DIR, isApplication: info.role === 'child' && object.kind === 'Application' };
  };
  return (file) => {
    if (!memo.has(file)) memo.set(file, read(file));
    return memo.get(file);
  };
}

/**
 * Whether an Application's finalizers make its deletion cascade: the resources
 * finalizer in any of the forms Argo CD accepts (`resources-finalizer.argocd.argoproj.io`,
 * and its `/foreground` and `/background` propagation forms).
 */
export function cascadesOnDelete(application: { readonly metadata?: { readonly finalizers?: unknown } } | undefined): boolean {
  const finalizers = application?.metadata?.finalizers;
  return (
    Array.isArray(finalizers) &&
    finalizers.some((f) => f === RESOURCES_FINALIZER || f === `${RESOURCES_FINALIZER}/foreground` || f === `${RESOURCES_FINALIZER}/background`)
  );
}

/**
 * What Argo CD knows a child Application by, and where it deploys:
 * `namespace/name → server|name/namespace`. Two versions of a file with different
 * identities are, to Argo CD, one Application deleted and another created.
 */
export function applicationIdentity(application: Record<string, unknown> | undefined): string {
  const metadata = (application?.metadata ?? {}) as { namespace?: unknown; name?: unknown };
  const destination = ((application?.spec as { destination?: Record<string, unknown> } | undefined)?.destination ?? {}) as Record<string, unknown>;
  const where = destination.name !== undefined ? `cluster ${String(destination.name)}` : String(destination.server ?? '');
  return `${String(metadata.namespace ?? '')}/${String(metadata.name ?? '')} → ${where}/${String(destination.namespace ?? '')}`;
}

function waveOf(app: Parsed | undefined): number | undefined {
  const wave = app?.object.metadata?.annotations?.[SYNC_WAVE_ANNOTATION];
  return wave === undefined ? undefined : Number(wave);
}

function isProtected(app: Parsed | undefined): boolean {
  const options: string = app?.object.metadata?.annotations?.[SYNC_OPTIONS_ANNOTATION] ?? '';
  return options.split(',').includes('Prune=false');
}

/**
 * Compares what Argo CD syncs now (`before`, the committed output) with a new
 * render (`after`), object by object, and decides which deletions may go ahead:
 * a removed (or renamed) Application is blocked unless its name is in `allowed`
 * (`<component>` or `<cluster>/<component>`), and a removed protected
 * Application is refused whatever is allowed: it must be unprotected in a
 * change of its own first.
 */
export function planChanges(before: FileMap, after: FileMap, allowed: readonly string[] = []): Plan {
  const old = manifests(before);
  const next = manifests(after);
  const applicationOf = (cluster: string, component: string, side: (file: string) => Parsed | undefined) => side(`${cluster}/${component}.yaml`);

  const entries: PlanEntry[] = [];
  for (const file of new Set([...before.keys(), ...after.keys()])) {
    if (before.get(file) === after.get(file)) continue;
    const was = old(file);
    const is = next(file);
    if (was === undefined && is === undefined) continue;
    const current = (is ?? was) as Parsed;
    const cluster = file.split('/')[0];
    const change = was === undefined ? 'added' : is === undefined ? 'removed' : 'changed';
    const application = change === 'removed' ? applicationOf(cluster, current.component, old) : applicationOf(cluster, current.component, next);
    const common = {
      cluster,
      file,
      component: current.component,
      wave: current.component === BOOTSTRAP_DIR ? undefined : waveOf(application ?? applicationOf(cluster, current.component, old)),
      isApplication: current.isApplication,
    };
    const oldIdentity = was?.isApplication ? applicationIdentity(was.object) : undefined;
    const newIdentity = is?.isApplication ? applicationIdentity(is.object) : undefined;
    if (change === 'changed' && current.isApplication && oldIdentity !== newIdentity) {
      // Argo CD knows an Application by namespace and name, and what it deployed by its destination:
      // a new identity is another Application, and the old one is deleted (with what it installed, when it cascades).
      const moved = `${oldIdentity} becomes ${newIdentity}`;
      entries.push({
        ...common,
        change: 'removed',
        kind: was?.object.kind,
        name: was?.object.metadata?.name ?? '',
        identityChange: moved,
        isProtected: isProtected(was),
        cascades: cascadesOnDelete(was?.object),
        before: was?.object,
      });
      entries.push({
        ...common,
        wave: waveOf(is),
        change: 'added',
        kind: is?.object.kind,
        name: is?.object.metadata?.name ?? '',
        identityChange: moved,
        isProtected: false,
        cascades: false,
        after: is?.object,
      });
      continue;
    }
    entries.push({
      ...common,
      change,
      kind: current.object.kind,
      name: current.object.metadata?.name ?? '',
      isProtected: current.isApplication && isProtected(was),
      cascades: current.isApplication && cascadesOnDelete(was?.object),
      ...(was === undefined ? {} : { before: was.object }),
      ...(is === undefined ? {} : { after: is.object }),
    });
  }
  entries.sort(
    (a, b) =>
      compare(a.cluster, b.cluster) ||
      (a.wave ?? -1) - (b.wave ?? -1) ||
      compare(a.component, b.component) ||
      Number(b.isApplication) - Number(a.isApplication) ||
      compare(a.file, b.file) ||
      RANK[a.change] - RANK[b.change],
  );

  const removedApps = entries.filter((e) => e.isApplication && e.change === 'removed');
  const refused = removedApps.filter((e) => e.isProtected);
  const blocked = removedApps.filter((e) => !e.isProtected && !allowed.includes(e.component) && !allowed.includes(`${e.cluster}/${e.component}`));
  const bootstrapValues: ValuesChange[] = [];
  for (const file of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    if (before.get(file) === after.get(file) || describeFile(file)?.role !== 'values') continue;
    const was = before.get(file);
    const is = after.get(file);
    bootstrapValues.push({
      cluster: file.split('/')[0],
      file,
      ...(was === undefined ? {} : { before: parse(was) }),
      ...(is === undefined ? {} : { after: parse(is) }),
    });
  }
  return { entries, blocked, refused, ...(allowed.length === 0 ? {} : { allowed }), ...(bootstrapValues.length === 0 ? {} : { bootstrapValues }) };
}

/** A CRD that leaves what Argo CD applies: the sync prunes it, with every custom resource of its kind. */
export interface CrdRemoval {
  readonly cluster: string;
  readonly component: string;
  readonly name: string;
  /** Named by `--allow-delete <name>` or `--allow-delete <cluster>/<name>`. */
  readonly allowed: boolean;
}

/** Every CRD a change removes from what Argo CD applies, and whether `--allow-delete` allows it. */
export function crdRemovals(plan: Plan, details: PlanDetails): CrdRemoval[] {
  const allowed = plan.allowed ?? [];
  return details.renders.flatMap((render) =>
    render.changes
      .filter((change) => change.kind === 'CustomResourceDefinition' && change.change === 'removed')
      .map((change) => ({
        cluster: render.cluster,
        component: render.component,
        name: change.name,
        allowed: allowed.includes(change.name) || allowed.includes(`${render.cluster}/${change.name}`),
      })),
  );
}

/** The CRD removals that block the merge (not allowed by `--allow-delete`). */
export function blockedCrdRemovals(plan: Plan, details: PlanDetails): CrdRemoval[] {
  return crdRemovals(plan, details).filter((removal) => !removal.allowed);
}

/** Removals before additions of the same file (an identity change). */
const RANK: Readonly<Record<PlanEntry['change'], number>> = { removed: 0, changed: 1, added: 2 };

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Checks that a base can be compared with at all (the guard fails closed): it
 * holds at least one child Application, and every child file is an object
 * with a `kind`. A base that holds only the output marker, or an Application
 * that lost its `kind`, would otherwise let every removal through unseen.
 *
 * @param dir how messages name the base (`dist (HEAD)`, `../base/dist`)
 * @throws UserError one line per problem
 */
export function assertComparableBase(files: FileMap, dir: string): void {
  const problems: Problem[] = [];
  let applications = 0;
  for (const [file, content] of files) {
    if (describeFile(file)?.role !== 'child') continue;
    let object: unknown;
    try {
      object = parse(content);
    } catch (error) {
      problems.push({
        file: `${dir}/${file}`,
        message: `the base Application is not valid YAML (${(error as Error).message.split('\n')[0]}); give a base synth wrote`,
      });
      continue;
    }
    const kind = object !== null && typeof object === 'object' ? (object as { kind?: unknown }).kind : undefined;
    if (typeof kind !== 'string' || kind === '') {
      problems.push({
        file: `${dir}/${file}`,
        message: `expected a child Application with \`kind: Application\`, got ${typeof kind === 'string' ? 'an empty kind' : 'no kind'}; a base Application that cannot be read would let its removal pass unseen`,
      });
    } else applications++;
  }
  if (problems.length === 0 && applications === 0) {
    problems.push({
      file: dir,
      message: 'the base holds no child Application (only the output marker or documents), so every removal would pass unseen; give the output to compare with',
    });
  }
  if (problems.length > 0) throw new UserError(problems);
}
