import { parse } from 'yaml';
import { RESOURCES_FINALIZER, SYNC_OPTIONS_ANNOTATION, SYNC_WAVE_ANNOTATION } from '../core/argocd-annotations';
import { BOOTSTRAP_DIR, describeFile } from '../synth/layout';
import type { FileMap } from '../synth/cluster-files';

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
    entries.push({
      cluster,
      file,
      change,
      kind: current.object.kind,
      name: current.object.metadata?.name ?? '',
      component: current.component,
      wave: current.component === BOOTSTRAP_DIR ? undefined : waveOf(application ?? applicationOf(cluster, current.component, old)),
      isApplication: current.isApplication,
      isProtected: current.isApplication && isProtected(was),
      cascades: current.isApplication && (was?.object.metadata?.finalizers ?? []).includes(RESOURCES_FINALIZER),
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
      compare(a.file, b.file),
  );

  const removedApps = entries.filter((e) => e.isApplication && e.change === 'removed');
  const refused = removedApps.filter((e) => e.isProtected);
  const blocked = removedApps.filter((e) => !e.isProtected && !allowed.includes(e.component) && !allowed.includes(`${e.cluster}/${e.component}`));
  return { entries, blocked, refused };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
