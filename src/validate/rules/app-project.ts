import { posix } from 'node:path';
import type { RenderedObject } from '../_parse';
import type { Finding } from '../finding';
import { once } from '../../core/once';
import { type AppliedObject, appliedObjects } from './_applied';
import { applicationSources, field, findingAt, isApplication, isRecord, nameOf, type PolicyContext, type PolicyRule } from './_context';

const GLOBS = new Map<string, RegExp>();

/**
 * A pattern as Argo CD matches it (gobwas/glob): `*` (within a separator), `**`,
 * `?`, `[abc]`, `[!abc]`, `{a,b}`. Patterns are compiled once.
 */
export function globMatch(pattern: string, value: string, separator?: string): boolean {
  if (pattern === '*') return true;
  if (!/[*?[{\\]/.test(pattern)) return pattern === value;
  const key = `${separator ?? ''} ${pattern}`;
  let regexp = GLOBS.get(key);
  if (regexp === undefined) {
    regexp = globRegExp(pattern, separator);
    GLOBS.set(key, regexp);
  }
  return regexp.test(value);
}

function globRegExp(pattern: string, separator: string | undefined): RegExp {
  const sep = separator === undefined ? '' : `\\${separator}`;
  let source = '';
  let braces = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (c === '*') source += sep === '' ? '.*' : `[^${sep}]*`;
    else if (c === '?') source += sep === '' ? '.' : `[^${sep}]`;
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) return /(?!)/; // an unclosed class matches nothing, as in gobwas/glob
      source += `[${pattern
        .slice(i + 1, end)
        .replace(/^!/, '^')
        .replace(/\\/g, '\\\\')}]`;
      i = end;
    } else if (c === '{') {
      source += '(?:';
      braces++;
    } else if (c === '}' && braces > 0) {
      source += ')';
      braces--;
    } else if (c === ',' && braces > 0) source += '|';
    else if (c === '\\' && i + 1 < pattern.length) source += `\\${pattern[++i]}`;
    else source += c.replace(/[.+^$()|{}]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

const FILEPATH_PATTERNS = new Map<string, RegExp | null>();

/**
 * Go's `path/filepath.Match` on Linux, as Argo CD matches the group, kind and name
 * of a resource against a project's resource white- and blacklists
 * (`isResourceInList`, `isNamedResourceInList` in `pkg/apis/application/v1alpha1/types.go`,
 * v3.5.1): `*` any run of characters but `/`, `?` one such character, `[a-z]` and
 * `[^a-z]` classes, `\\` escapes; no braces, no `!` negation, no `**`. A malformed
 * pattern (an unclosed or empty class, a trailing `\\`) matches nothing, as
 * `filepath.Match` returns `ErrBadPattern` and Argo CD treats an error as no match.
 */
export function filepathMatch(pattern: string, value: string): boolean {
  let regexp = FILEPATH_PATTERNS.get(pattern);
  if (regexp === undefined) {
    regexp = filepathRegExp(pattern);
    FILEPATH_PATTERNS.set(pattern, regexp);
  }
  return regexp !== null && regexp.test(value);
}

function filepathRegExp(pattern: string): RegExp | null {
  const literal = (c: string): string => (/[\\^$.*+?()[\]{}|/-]/.test(c) ? `\\${c}` : c);
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '\\') {
      if (i + 1 >= pattern.length) return null;
      source += literal(pattern[++i]);
    } else if (c === '[') {
      let j = i + 1;
      let negated = false;
      if (pattern[j] === '^') {
        negated = true;
        j++;
      }
      let ranges = '';
      let count = 0;
      // getEsc: a class character, escaped or not; '-' and ']' must be escaped.
      const esc = (): string | null => {
        let ch = pattern[j];
        if (ch === undefined || ch === '-' || ch === ']') return null;
        if (ch === '\\') {
          j++;
          ch = pattern[j];
          if (ch === undefined) return null;
        }
        j++;
        return ch;
      };
      for (;;) {
        if (pattern[j] === ']' && count > 0) break;
        const lo = esc();
        if (lo === null) return null;
        let hi = lo;
        if (pattern[j] === '-') {
          j++;
          const upper = esc();
          if (upper === null) return null;
          hi = upper;
        }
        ranges += lo === hi ? literal(lo) : `${literal(lo)}-${literal(hi)}`;
        count++;
      }
      source += negated ? `[^${ranges}]` : `[${ranges}]`;
      i = j;
    } else source += literal(c);
  }
  return new RegExp(`^${source}$`, 's');
}

const NORMALIZED = new Map<string, string>();

/** A Git or Helm repository URL as Argo CD compares them: lower case, no `.git`, scp-style SSH as a path. */
export function normalizeRepoUrl(url: string): string {
  let normalized = NORMALIZED.get(url);
  if (normalized === undefined) {
    normalized = normalize(url);
    NORMALIZED.set(url, normalized);
  }
  return normalized;
}

function normalize(url: string): string {
  let repo = url.trim().toLowerCase();
  if (/^[\w.-]+@[\w.-]+:/.test(repo) && !repo.startsWith('ssh://')) repo = `ssh://${repo.replace(':', '/')}`;
  return repo.replace(/\.git$/, '').replace(/^ssh:\/\//, '');
}

/** True for a pattern without glob characters or a deny prefix: it matches only itself. */
function isLiteral(pattern: string | undefined): boolean {
  return pattern === undefined || !/[*?[{\\!]/.test(pattern);
}

/**
 * Argo CD's `IsSourcePermitted`: some pattern matches, and no deny pattern fails
 * to. `exact` holds the normalized literal patterns (a set, so that a project
 * listing thousands of repositories costs no more per check than one listing ten).
 */
function sourcePermitted(exact: ReadonlySet<string>, patterns: readonly string[], repoUrl: string): boolean {
  const repo = normalizeRepoUrl(repoUrl);
  let matched = exact.has(repo);
  for (const pattern of patterns) {
    const deny = pattern.startsWith('!');
    const ok = deny ? !globMatch(normalizeRepoUrl(pattern.slice(1)), repo, '/') : globMatch(normalizeRepoUrl(pattern), repo, '/');
    if (ok) matched = true;
    else if (deny) return false;
  }
  return matched;
}

interface Destination {
  readonly server?: string;
  readonly name?: string;
  readonly namespace?: string;
}

/**
 * Argo CD's destination check (`isDestinationMatched` in
 * `pkg/apis/application/v1alpha1/app_project_types.go`, v3.5.1): an item matches
 * when the cluster's server or its name matches and the namespace matches (each a
 * glob, `!` denying); an item that does not match stops the check with "no" when
 * its name is a deny pattern the cluster's name fails, when its server is a deny
 * pattern the server fails while the namespace matches, or when its namespace is
 * a deny pattern the namespace fails while the server matches. `exact` holds
 * `server\nnamespace` of the items without patterns or names.
 */
function destinationPermitted(exact: ReadonlySet<string>, patterns: readonly Destination[], target: Destination): boolean {
  const matches = (pattern = '', value = ''): boolean => (pattern.startsWith('!') ? !globMatch(pattern.slice(1), value) : globMatch(pattern, value));
  const deny = (pattern: string | undefined): boolean => pattern?.startsWith('!') === true;
  let matched = (target.server ?? '') !== '' && exact.has(`${target.server}\n${target.namespace ?? ''}`);
  for (const item of patterns) {
    const name = (target.name ?? '') !== '' && matches(item.name, target.name);
    const server = (target.server ?? '') !== '' && matches(item.server, target.server);
    const namespace = matches(item.namespace, target.namespace);
    if ((server || name) && namespace) matched = true;
    else if ((!name && deny(item.name)) || (!server && deny(item.server) && namespace)) return false;
    else if (!namespace && deny(item.namespace) && server) return false;
  }
  return matched;
}

/** The API server address of the cluster Argo CD runs in. */
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';
/** Argo CD's name for the cluster it runs in (unless a cluster Secret renames it). */
export const IN_CLUSTER_NAME = 'in-cluster';

/** The destination cluster as Argo CD resolves it: server and name, the in-cluster one completed. */
function clusterOf(destination: Destination): Destination {
  const { server, name, namespace } = destination;
  if ((server ?? '') !== '') return { server, name: server === IN_CLUSTER_SERVER ? IN_CLUSTER_NAME : name, namespace };
  if (name === IN_CLUSTER_NAME) return { server: IN_CLUSTER_SERVER, name, namespace };
  return destination;
}

/** What one AppProject allows: repositories and destinations, with its literal entries indexed. */
export class ProjectPolicy {
  private readonly exactRepos = new Set<string>();
  private readonly repoPatterns: string[] = [];
  private readonly exactDestinations = new Set<string>();
  private readonly destinationPatterns: Destination[] = [];
  private readonly destinations = new Map<string, boolean>();

  constructor(private readonly spec: Readonly<Record<string, unknown>>) {
    for (const repo of Array.isArray(spec.sourceRepos) ? spec.sourceRepos.map(String) : []) {
      if (isLiteral(repo)) this.exactRepos.add(normalizeRepoUrl(repo));
      else this.repoPatterns.push(repo);
    }
    for (const item of (Array.isArray(spec.destinations) ? spec.destinations.filter(isRecord) : []) as Destination[]) {
      if (item.name === undefined && typeof item.server === 'string' && isLiteral(item.server) && isLiteral(item.namespace)) {
        this.exactDestinations.add(`${item.server}\n${item.namespace ?? ''}`);
      } else {
        this.destinationPatterns.push(item);
      }
    }
  }

  /** Whether Applications of the project may read `repoUrl`. */
  public source(repoUrl: string): boolean {
    return sourcePermitted(this.exactRepos, this.repoPatterns, repoUrl);
  }

  /**
   * Whether Applications of the project may deploy to `target` (an Application's
   * destination, by server or by name). Argo CD checks the destination's cluster,
   * with both its server and its name (`IsDestinationPermitted`): the cluster Argo
   * CD runs in is `https://kubernetes.default.svc`, named `in-cluster`
   * (`KubernetesInternalAPIServerAddr`, `KubernetesInClusterName`,
   * `application_defaults.go`), so a project destination naming `in-cluster`
   * admits an Application that gives the server, and the other way round.
   */
  public destination(destination: Destination): boolean {
    const target = clusterOf(destination);
    const key = `${target.server}\n${target.name}\n${target.namespace}`;
    let permitted = this.destinations.get(key);
    if (permitted === undefined) {
      permitted = destinationPermitted(this.exactDestinations, this.destinationPatterns, target);
      this.destinations.set(key, permitted);
    }
    return permitted;
  }

  /** Whether the project allows objects of a group and kind (and name), namespaced or cluster-scoped. */
  public kind(group: string, kind: string, name: string, namespaced: boolean): boolean {
    return kindPermitted(this.spec, group, kind, name, namespaced);
  }
}

/**
 * Argo CD's resource white-/blacklist check for one group and kind (and name):
 * `IsGroupKindNamePermitted` in `pkg/apis/application/v1alpha1/app_project_types.go`
 * (v3.5.1). Patterns are Go's `filepath.Match` ({@link filepathMatch}). Namespaced
 * kinds: allowed when the whitelist is absent or lists the kind, and the
 * blacklist does not (entries are GroupKinds, no names). Cluster-scoped kinds:
 * allowed only when the whitelist lists the kind and, when the entry has one,
 * its name pattern matches (an empty name is any name), and the blacklist does not.
 */
function kindPermitted(spec: Record<string, unknown>, group: string, kind: string, name: string, namespaced: boolean): boolean {
  const inList = (list: unknown, named: boolean): boolean =>
    Array.isArray(list) &&
    list.some(
      (item) =>
        isRecord(item) &&
        filepathMatch(String(item.kind ?? ''), kind) &&
        filepathMatch(String(item.group ?? ''), group) &&
        (!named || item.name === undefined || item.name === '' || filepathMatch(String(item.name), name)),
    );
  if (namespaced) {
    const white = spec.namespaceResourceWhitelist;
    return (white === undefined || white === null || inList(white, false)) && !inList(spec.namespaceResourceBlacklist, false);
  }
  return inList(spec.clusterResourceWhitelist, true) && !inList(spec.clusterResourceBlacklist, true);
}

/**
 * `app-project`: an Application's project allows what the Application does:
 * its repositories (`sourceRepos`), its destination (`destinations`), and the
 * kinds and namespaces of the rendered objects it applies (its manifest folders
 * in the output). Checked when the AppProject named by `spec.project` is among
 * the rendered objects of the cluster; a project that is neither rendered nor
 * `default` (built into Argo CD) is a finding of its own.
 *
 * Least privilege, for the child Applications: each has a project of its own
 * (never `default`, which admits everything, and never one another child
 * shares, whose permissions would be the union of both charts'), and, where
 * the cluster has an inventory, the project allows no kind the Application
 * does not apply: a permission nothing uses is one a chart bump could take
 * without anybody reviewing it.
 */
export const appProjectRule: PolicyRule = {
  name: 'app-project',
  description:
    "every Application's repositories, destination and applied objects are allowed by its AppProject, and a child's project is its own and allows nothing more",
  check(context) {
    const findings: Finding[] = [];
    const projects = new Map<string, RenderedObject>();
    const policies = new Map<RenderedObject, ProjectPolicy>();
    const folders = new Map<string, RenderedObject[]>();
    for (const rendered of context.objects) {
      if (rendered.object.kind === 'AppProject' && rendered.object.apiVersion.startsWith('argoproj.io/')) {
        projects.set(`${rendered.cluster}/${String(field(rendered.object, 'metadata', 'name'))}`, rendered);
      }
      const folder = posix.dirname(rendered.path);
      const inFolder = folders.get(folder);
      if (inFolder === undefined) folders.set(folder, [rendered]);
      else inFolder.push(rendered);
    }
    const owners = new Map<string, RenderedObject>();
    const applied = once(() => appliedByApplication(context));
    for (const app of context.objects.filter(isApplication)) {
      const name = field(app.object, 'spec', 'project');
      const projectName = typeof name === 'string' && name !== '' ? name : 'default';
      const project = projects.get(`${app.cluster}/${projectName}`);
      if (app.role === 'child') findings.push(...ownProject(app, projectName, project, owners));
      if (project === undefined) {
        if (projectName !== 'default') {
          findings.push(
            findingAt(
              app,
              'app-project',
              '/spec/project',
              `project ${projectName} is not rendered in ${context.shownDir}/${app.cluster}/ and is not default`,
              `render the AppProject ${projectName} or use an existing project`,
            ),
          );
        }
        continue;
      }
      // The rendered objects this Application applies: those in a folder one of its sources reads
      // (`<git.path>/<cluster>/<component>` reads `<cluster>/<component>/` of the output).
      const inFolders = applicationSources(app).flatMap(({ source }) => {
        const segments = typeof source.path === 'string' ? source.path.split('/') : [];
        const folder = segments.map((_, i) => segments.slice(i).join('/')).find((f, i) => segments[i] === app.cluster && folders.has(f));
        return folder === undefined ? [] : (folders.get(folder) as RenderedObject[]);
      });
      let policy = policies.get(project);
      if (policy === undefined) {
        policy = new ProjectPolicy(isRecord(project.object.spec) ? project.object.spec : {});
        policies.set(project, policy);
      }
      findings.push(...checkApplication(context, app, { object: project, name: projectName, policy }, inFolders));
      if (app.role === 'child' && context.inventories?.has(app.cluster) === true && owners.get(`${app.cluster}/${projectName}`) === app) {
        findings.push(...unusedPermissions(app, project, projectName, applied().get(`${app.cluster}/${nameOf(app)}`) ?? []));
      }
    }
    return findings;
  },
};

/** A child Application's project is its own: not `default`, not one another child of the cluster uses. */
function ownProject(app: RenderedObject, projectName: string, project: RenderedObject | undefined, owners: Map<string, RenderedObject>): Finding[] {
  if (projectName === 'default') {
    return [
      findingAt(
        app,
        'app-project',
        '/spec/project',
        'project default admits every repository, destination and kind',
        'give the Application its own AppProject (`npm run synth` renders one per component in bootstrap/)',
      ),
    ];
  }
  const key = `${app.cluster}/${projectName}`;
  const owner = owners.get(key);
  if (owner === undefined) {
    owners.set(key, app);
    return [];
  }
  return [
    findingAt(
      app,
      'app-project',
      '/spec/project',
      `project ${projectName} is also the project of ${owner.label}: each child Application has a project of its own, so one chart's permissions are never another's`,
      `give the Application its own AppProject${project === undefined ? '' : ` instead of ${project.file}`}`,
    ),
  ];
}

/** What each child Application applies, by `<cluster>/<Application name>`: its chart's objects and its supporting manifests. */
function appliedByApplication(context: PolicyContext): Map<string, AppliedObject[]> {
  const byApp = new Map<string, AppliedObject[]>();
  for (const object of appliedObjects(context)) {
    const key = `${object.cluster}/${object.component}`;
    const list = byApp.get(key);
    if (list === undefined) byApp.set(key, [object]);
    else list.push(object);
  }
  return byApp;
}

/**
 * The whitelist entries of a child's own project that nothing the Application
 * applies needs (its destination namespace counts as an applied Namespace:
 * `CreateNamespace=true` creates it through the whitelist).
 */
function unusedPermissions(app: RenderedObject, project: RenderedObject, projectName: string, applied: readonly AppliedObject[]): Finding[] {
  const findings: Finding[] = [];
  const destination = field(app.object, 'spec', 'destination', 'namespace');
  const uses = [
    ...applied.map((o) => ({ group: o.group, kind: o.kind, name: o.name, namespaced: o.namespace !== undefined })),
    ...(typeof destination === 'string' ? [{ group: '', kind: 'Namespace', name: destination, namespaced: false }] : []),
  ];
  for (const [list, namespaced] of [
    ['clusterResourceWhitelist', false],
    ['namespaceResourceWhitelist', true],
  ] as const) {
    const entries = field(project.object, 'spec', list);
    if (!Array.isArray(entries)) continue;
    entries.forEach((entry: unknown, index) => {
      if (!isRecord(entry)) return;
      const [group, kind, name] = [String(entry.group ?? ''), String(entry.kind ?? ''), entry.name === undefined ? undefined : String(entry.name)];
      const used = uses.some(
        (u) => u.namespaced === namespaced && globMatch(group, u.group) && globMatch(kind, u.kind) && (name === undefined || globMatch(name, u.name)),
      );
      if (!used) {
        const what = `${group === '' ? '' : `${group}/`}${kind}${name === undefined ? '' : ` ${name}`}`;
        findings.push(
          findingAt(
            project,
            'app-project',
            `/spec/${list}/${index}`,
            `project ${projectName} allows ${namespaced ? 'namespaced' : 'cluster-scoped'} ${what}, which ${app.label} does not apply`,
            'remove the entry: run `npm run synth`, which derives the project from what the Application applies',
          ),
        );
      }
    });
  }
  return findings;
}

function checkApplication(
  context: PolicyContext,
  app: RenderedObject,
  project: { readonly object: RenderedObject; readonly name: string; readonly policy: ProjectPolicy },
  applied: readonly RenderedObject[],
): Finding[] {
  const findings: Finding[] = [];
  const { policy } = project;
  const fix = `allow it in AppProject ${project.name} (${project.object.file}) or change the Application`;
  for (const { path, source } of applicationSources(app)) {
    if (typeof source.repoURL === 'string' && !policy.source(source.repoURL)) {
      findings.push(findingAt(app, 'app-project', `${path}/repoURL`, `repository ${source.repoURL} is not in the sourceRepos of project ${project.name}`, fix));
    }
  }
  const destination = (isRecord(field(app.object, 'spec', 'destination')) ? field(app.object, 'spec', 'destination') : {}) as Destination;
  if (!policy.destination(destination)) {
    findings.push(
      findingAt(
        app,
        'app-project',
        '/spec/destination',
        `destination ${destination.server ?? destination.name} namespace ${destination.namespace ?? '(none)'} is not among the destinations of project ${project.name}`,
        fix,
      ),
    );
  }
  for (const object of applied) {
    const scope = context.kind(object.object)?.scope;
    if (scope === undefined) continue;
    const [group, kind] = [object.object.apiVersion.includes('/') ? object.object.apiVersion.split('/')[0] : '', object.object.kind];
    if (!policy.kind(group, kind, nameOf(object), scope === 'Namespaced')) {
      findings.push(
        findingAt(
          object,
          'app-project',
          '',
          `${scope === 'Namespaced' ? 'namespaced' : 'cluster-scoped'} kind ${group === '' ? '' : `${group}/`}${kind} is not allowed by project ${project.name} of ${app.label}`,
          fix,
        ),
      );
    }
    const namespace = field(object.object, 'metadata', 'namespace') ?? destination.namespace;
    if (scope === 'Namespaced' && typeof namespace === 'string' && !policy.destination({ ...destination, namespace })) {
      findings.push(
        findingAt(
          object,
          'app-project',
          '/metadata/namespace',
          `namespace ${namespace} is not among the destinations of project ${project.name} of ${app.label}`,
          fix,
        ),
      );
    }
  }
  return findings;
}
