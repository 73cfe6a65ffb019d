/**
 * The plan as a reviewer reads it, in a terminal or as the pull-request
 * comment: what to do before merging, then per cluster and wave each changed
 * object with its changed fields, and for each Application what Argo CD will
 * apply differently, object by object in its apply order, with unified diffs.
 */
import { SYNC_WAVE_ANNOTATION } from '../core/argocd-annotations';
import type { ComponentSpec } from '../platform/types';
import { fieldChanges, fieldDiff, formatFieldChange, textHunks } from './field-diff';
import type { ObjectChange } from './object-diff';
import { type ActionContext, type ReviewerAction, reviewerActions } from './actions';
import { changedFields, type Fact, hasFacts, isBookkeeping, planFacts, restartsPods } from './facts';
import { blockedCrdRemovals, type Plan, type PlanEntry } from './plan';
import { type ApplicationRender, NO_DETAILS, type PlanDetails, renderProblems } from './details';

/** The hidden first line of the plan comment, by which the workflow finds the comment to update. */
export const PLAN_COMMENT_MARKER = '<!-- pke-plan -->';

/** GitHub refuses a comment over 65,536 characters; the report stays below this. */
export const MAX_COMMENT_CHARS = 60_000;

/** Diff lines shown for one object in the comment; the rest is cut with a line saying so. */
export const MAX_OBJECT_LINES = 150;

/** A new object's diff of at most this many lines is shown unfolded in the comment (changed objects always are). */
const OPEN_DIFF_LINES = 20;

/** What the reports show beyond the list of changes. */
export interface PlanReportOptions {
  /**
   * The rendered diffs.
   * @default - none: files and fields only
   */
  readonly details?: PlanDetails;
  /**
   * The catalog, for why a component is protected.
   * @default - no component is protected
   */
  readonly catalog?: readonly ComponentSpec[];
  /**
   * Longest comment, in characters (Markdown only); `Infinity` for the full report.
   * @default MAX_COMMENT_CHARS
   */
  readonly maxChars?: number;
  /**
   * Clusters marked `production` in their environment: shown first, and their
   * diffs are the last to be left out of a comment that must be shortened.
   * @default - none
   */
  readonly production?: readonly string[];
  /**
   * What is compared, for the first line (Markdown allowed): `base` is what
   * Argo CD syncs now, `head` the change.
   * @default - not said
   */
  readonly sides?: { readonly base: string; readonly head: string };
  /**
   * Where the full report is kept (`--full-report`), linked from a comment that leaves anything out.
   * @default - nowhere: the comment says to run `npm run plan`
   */
  readonly fullReport?: { readonly path: string; readonly url?: string };
  /**
   * More label and annotation keys whose changes alone are bookkeeping (`*` at the end: a prefix).
   * @default - {@link BOOKKEEPING_KEYS} only
   */
  readonly noise?: readonly string[];
  /** What the reviewer actions know beyond the plan (1Password fields). */
  readonly context?: ActionContext;
}

const SIGN: Record<PlanEntry['change'], string> = { added: '+', changed: '~', removed: '-' };
const ICON: Record<ReviewerAction['level'], string> = { blocking: '⛔', after: '🔁', notice: '⚠️' };

/** What a reader must do about an entry, if anything. */
function verdict(plan: Plan, entry: PlanEntry): string | undefined {
  const consequence = entry.cascades ? 'Argo CD deletes everything it installed' : 'Argo CD deletes the Application';
  if (plan.refused.includes(entry)) {
    return (
      `REFUSED: ${entry.component} is protected. Remove \`protected\` from its catalog file, synth, merge and ` +
      'let Argo CD sync that first; then remove it in a change of its own'
    );
  }
  if (plan.blocked.includes(entry)) {
    return `BLOCKED: ${consequence}; pass --allow-delete ${entry.component} if that is intended`;
  }
  if (entry.isApplication && entry.change === 'removed') {
    return `allowed by --allow-delete: ${consequence}`;
  }
  return undefined;
}

function groupLabel(entry: PlanEntry): string {
  return entry.wave === undefined ? 'bootstrap' : `wave ${entry.wave}`;
}

function objectLabel(entry: PlanEntry): string {
  return entry.isApplication ? `Application ${entry.name}` : `${entry.kind} ${entry.name}`;
}

/** Counts per change, e.g. `1 added, 2 changed, 0 removed`. */
function counts(entries: readonly PlanEntry[]): string {
  const count = (change: PlanEntry['change']) => entries.filter((e) => e.change === change).length;
  return `${count('added')} added, ${count('changed')} changed, ${count('removed')} removed`;
}

/** Whether anything Argo CD applies changes: an entry, a rendered object, or Argo CD's own values. */
function anyChange(plan: Plan, details: PlanDetails): boolean {
  return plan.entries.length > 0 || (plan.bootstrapValues ?? []).length > 0 || details.renders.some((r) => r.changes.length > 0 || r.problems.length > 0);
}

/** The verdict line of a report. */
function summary(plan: Plan, details: PlanDetails, actions: readonly ReviewerAction[]): string {
  const missing = renderProblems(details).length;
  const crds = blockedCrdRemovals(plan, details).length;
  if (plan.refused.length > 0 || plan.blocked.length > 0 || missing > 0 || crds > 0) {
    const parts = [
      `${plan.refused.length} protected Application(s) removed`,
      `${plan.blocked.length} removal(s) not allowed`,
      ...(crds > 0 ? [`${crds} CRD removal(s) not allowed`] : []),
      ...(missing > 0 ? [`${missing} rendered diff(s) missing`] : []),
    ];
    return `Not safe to merge: ${parts.join(', ')}.`;
  }
  const before = [...new Set(actions.filter((a) => a.level === 'blocking').map((a) => a.cluster))];
  if (!anyChange(plan, details) && before.length === 0) return 'No changes.';
  if (before.length > 0)
    return `Safe to merge once the steps marked ⛔ are done on ${before.join(', ')}: no Application or CRD is removed without --allow-delete.`;
  return 'Safe to merge: no Application or CRD is removed without --allow-delete.';
}

/** An object as it changes, in one line: `+ apps/v1 Deployment probe/probe`. */
function objectName(change: ObjectChange): string {
  return `${change.apiVersion} ${change.kind} ${change.namespace === undefined ? '' : `${change.namespace}/`}${change.name}`;
}

/** Where Argo CD applies an object: `PreSync · wave 0`. */
function appliedIn(change: ObjectChange): string {
  return `${change.phase} · wave ${change.wave}`;
}

function renderCounts(render: ApplicationRender): string {
  const count = (change: ObjectChange['change']) => render.changes.filter((c) => c.change === change).length;
  return `${count('added')} added, ${count('changed')} changed, ${count('removed')} removed, ${render.unchanged} unchanged`;
}

function chartLine(render: ApplicationRender): string {
  if (render.before === undefined) return render.after ?? '';
  if (render.after === undefined || render.after === render.before) return render.before;
  return `${render.before} → ${render.after}`;
}

/** `+3 −2`: the lines a diff adds and removes. */
function diffSize(lines: readonly string[]): string {
  const added = lines.filter((l) => l.startsWith('+')).length;
  const removed = lines.filter((l) => l.startsWith('-')).length;
  return `+${added} −${removed}`;
}

/** One line under an Application or supporting manifest: chart and namespace of an added or removed Application. */
function applicationSummary(entry: PlanEntry): string | undefined {
  if (!entry.isApplication || entry.change === 'changed') return undefined;
  const spec = ((entry.after ?? entry.before)?.spec ?? {}) as {
    source?: Record<string, unknown>;
    sources?: Record<string, unknown>[];
    destination?: { namespace?: string };
  };
  const source = [spec.source, ...(spec.sources ?? [])].find((s) => s !== undefined && typeof s.chart === 'string');
  if (source === undefined) return undefined;
  return `chart ${String(source.chart)} ${String(source.targetRevision)} from ${String(source.repoURL)}, namespace ${spec.destination?.namespace ?? '(none)'}`;
}

/** Where a supporting manifest is applied: by its component's Application, in its in-app wave (not the root wave it is listed under). */
function supportingWave(entry: PlanEntry): string | undefined {
  if (entry.isApplication || entry.wave === undefined) return undefined;
  const metadata = ((entry.after ?? entry.before)?.metadata ?? {}) as { annotations?: Record<string, unknown> };
  const wave = Number(metadata.annotations?.[SYNC_WAVE_ANNOTATION] ?? 0);
  return `applied by ${entry.component}'s Application in its in-app wave ${Number.isFinite(wave) ? wave : 0}`;
}

/** The field diff of a changed entry (empty otherwise). */
function entryFields(entry: PlanEntry): string[] {
  return entry.change === 'changed' ? fieldDiff(entry.before, entry.after) : [];
}

/** Entries grouped by cluster, then by wave and component (bootstrap first). */
interface Group {
  readonly label: string;
  readonly component: string;
  readonly entries: PlanEntry[];
}

function groupsOf(entries: readonly PlanEntry[]): Group[] {
  const groups: Group[] = [];
  for (const entry of entries) {
    const last = groups.at(-1);
    if (last !== undefined && last.component === entry.component && last.label === groupLabel(entry)) last.entries.push(entry);
    else groups.push({ label: groupLabel(entry), component: entry.component, entries: [entry] });
  }
  return groups;
}

function renderOf(details: PlanDetails, cluster: string, component: string): ApplicationRender | undefined {
  return details.renders.find((r) => r.cluster === cluster && r.component === component);
}

/** Renders that no entry of the plan leads to: the cluster's render settings changed. */
function clusterRenders(details: PlanDetails, cluster: string, entries: readonly PlanEntry[]): ApplicationRender[] {
  const components = new Set(entries.map((e) => e.component));
  return details.renders.filter((r) => r.cluster === cluster && !components.has(r.component) && (r.changes.length > 0 || r.problems.length > 0));
}

function statsLine(details: PlanDetails): string | undefined {
  const { stats } = details;
  if (stats.applications === 0) return undefined;
  return (
    `Rendered ${stats.applications} Application(s) as Argo CD does (helm template${stats.helmVersion === undefined ? '' : ` ${stats.helmVersion}`}): ` +
    `${stats.renders} render(s), ${stats.helm} with Helm, ${stats.renders - stats.helm} from the cache.`
  );
}

/** Clusters in report order: production first, then the rest, each by name. */
function ordered(clusters: readonly string[], production: readonly string[]): string[] {
  return [...clusters.filter((c) => production.includes(c)), ...clusters.filter((c) => !production.includes(c))];
}

/** A render's changes split into those shown one by one and the chart bookkeeping collapsed into one line. */
function splitBookkeeping(render: ApplicationRender, noise: readonly string[]): { shown: ObjectChange[]; bookkeeping: ObjectChange[] } {
  const shown: ObjectChange[] = [];
  const bookkeeping: ObjectChange[] = [];
  for (const change of render.changes) (isBookkeeping(change, noise) ? bookkeeping : shown).push(change);
  return { shown, bookkeeping };
}

/** `14 objects: chart labels only (helm.sh/chart, app.kubernetes.io/version); 3 of them replace their pods`. */
function bookkeepingLine(bookkeeping: readonly ObjectChange[]): string {
  const keys = new Set<string>();
  for (const change of bookkeeping) {
    for (const field of changedFields(change)) {
      const match = /\["([^"]+)"\]$|\.([A-Za-z0-9_-]+)$/.exec(field.path);
      if (match !== null) keys.add(match[1] ?? match[2]);
    }
  }
  const restarts = bookkeeping.filter(restartsPods).length;
  return (
    `${bookkeeping.length} object(s): chart labels and annotations only (${[...keys].sort().join(', ')})` +
    (restarts > 0 ? `; ${restarts} of them replace their pods (a pod template label changes)` : '')
  );
}

/** What an Application's render leaves out of its diff, one line each: ignored fields, generated certificates, rules not applied. */
function notComparedLines(render: ApplicationRender): string[] {
  return [
    ...((render.ignored ?? []).length > 0
      ? [`not compared, ignored by the Application (ignoreDifferences, RespectIgnoreDifferences): ${(render.ignored ?? []).join('; ')}`]
      : []),
    ...((render.generated ?? []).length > 0 ? [`generated anew by every render, not compared: ${(render.generated ?? []).join('; ')}`] : []),
    ...(render.notes ?? []),
  ];
}

function factLines(facts: ReturnType<typeof planFacts>): { heading: string; facts: readonly Fact[] }[] {
  return [
    { heading: 'Images', facts: facts.images },
    { heading: 'Chart versions', facts: facts.charts },
    { heading: 'CRDs', facts: facts.crds },
    { heading: 'RBAC and admission webhooks', facts: facts.access },
    { heading: 'Data', facts: facts.data },
    { heading: 'Replicas and resources', facts: facts.scale },
  ].filter((group) => group.facts.length > 0);
}

/** The plan for a terminal: what to do, then one block per cluster, grouped by wave, with field and rendered diffs (never cut). */
export function formatPlanText(plan: Plan, clusters: readonly string[], outdir: string, options: PlanReportOptions = {}): string {
  const details = options.details ?? NO_DETAILS;
  const production = options.production ?? [];
  const noise = options.noise ?? [];
  const actions = reviewerActions(plan, outdir, options.catalog ?? [], details, options.context);
  const plain = (text: string) => text.replace(/\*\*/g, '');
  const lines: string[] = [];
  if (options.sides !== undefined) lines.push(plain(`Compared: ${options.sides.base} (what Argo CD syncs now) with ${options.sides.head}.`.replace(/`/g, '')));
  const facts = planFacts(details.renders);
  if (hasFacts(facts)) {
    lines.push('At a glance:');
    for (const group of factLines(facts)) {
      lines.push(`  ${group.heading}:`);
      for (const fact of group.facts) lines.push(`    ${plain(fact.text).replace(/`/g, '')} (${fact.where.join(', ')})`);
    }
  }
  if (actions.length > 0) {
    lines.push('Before merging:');
    for (const action of actions) lines.push(`  ${ICON[action.level]} ${plain(action.text)}`);
  }
  const renderLines = (render: ApplicationRender, indent: string): void => {
    if (render.problems.length > 0) {
      lines.push(`${indent}rendered diff missing: ${render.problems.join('; ')}`);
      return;
    }
    lines.push(`${indent}rendered ${chartLine(render)}: ${renderCounts(render)}`);
    for (const note of notComparedLines(render)) lines.push(`${indent}  (${note})`);
    const { shown, bookkeeping } = splitBookkeeping(render, noise);
    if (bookkeeping.length > 0) {
      lines.push(`${indent}  ${bookkeepingLine(bookkeeping)}: ${bookkeeping.map((c) => `${c.kind} ${c.name}`).join(', ')}`);
    }
    for (const change of shown) {
      lines.push(`${indent}  ${appliedIn(change).padEnd(18)} ${SIGN[change.change]} ${objectName(change)}${change.supporting ? ' (supporting manifest)' : ''}`);
      for (const note of change.notes) lines.push(`${indent}      (${note})`);
      for (const line of change.diff) lines.push(`${indent}      ${line}`);
    }
  };
  for (const cluster of ordered(clusters, production)) {
    const entries = plan.entries.filter((e) => e.cluster === cluster);
    const values = (plan.bootstrapValues ?? []).filter((v) => v.cluster === cluster);
    lines.push(
      `${cluster}${production.includes(cluster) ? ' (production)' : ''}: ${entries.length === 0 && values.length === 0 ? 'no changes' : counts(entries)}`,
    );
    for (const value of values) {
      lines.push(`  bootstrap values ${outdir}/${value.file} (installed by hand with Helm)`);
      for (const change of fieldChanges(value.before, value.after)) for (const line of formatFieldChange(change)) lines.push(`        ${line}`);
    }
    let label = '';
    for (const group of groupsOf(entries)) {
      if (group.label !== label) {
        label = group.label;
        lines.push(`  ${label}`);
      }
      for (const entry of group.entries) {
        const note = verdict(plan, entry);
        lines.push(`    ${SIGN[entry.change]} ${objectLabel(entry).padEnd(48)} ${outdir}/${entry.file}${note ? `\n        ${note}` : ''}`);
        if (entry.identityChange !== undefined) lines.push(`        identity: ${entry.identityChange}`);
        const where = supportingWave(entry);
        if (where !== undefined) lines.push(`        ${where}`);
        const about = applicationSummary(entry);
        if (about !== undefined) lines.push(`        ${about}`);
        for (const line of entryFields(entry)) lines.push(`        ${line}`);
      }
      const render = renderOf(details, cluster, group.component);
      if (render !== undefined) renderLines(render, '      ');
    }
    const others = clusterRenders(details, cluster, entries);
    if (others.length > 0) {
      lines.push("  rendered again: the cluster's Kubernetes or API versions change");
      for (const render of others) {
        lines.push(`    ${render.component}`);
        renderLines(render, '      ');
      }
    }
  }
  for (const note of details.notes) lines.push(`note: ${note}`);
  const stats = statsLine(details);
  if (stats !== undefined) lines.push(stats);
  lines.push(summary(plan, details, actions));
  return `${lines.join('\n')}\n`;
}

/** A fenced code block whose fence no line of `lines` can close. */
function fence(language: string, lines: readonly string[]): string[] {
  const longest = Math.max(2, ...lines.map((line) => Math.max(0, ...[...line.matchAll(/`+/g)].map((m) => m[0].length))));
  const marks = '`'.repeat(longest + 1);
  return [`${marks}${language}`, ...lines, marks];
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/**
 * How much a part of the comment matters, for shortening: the lowest goes
 * first. Collapsed chart bookkeeping, then the diffs of clusters not marked
 * production, then production's own.
 */
const IMPORTANCE = { bookkeeping: 0, other: 1, production: 2 } as const;

/** A part of the comment: always shown, a part that may be left out (and is then named), or the place a cluster's section says what it left out. */
type Chunk =
  | string
  | { readonly type: 'optional'; readonly text: string; readonly what: string; readonly cluster: string; readonly importance: number }
  | { readonly type: 'left-out'; readonly cluster: string };

/** The Markdown lines of a field diff: plain changes in one `text` block, each changed multi-line text whole in a `diff` block. */
function fieldBlocks(before: unknown, after: unknown): string[] {
  const changes = fieldChanges(before, after);
  const plainLines: string[] = [];
  const texts: string[] = [];
  for (const change of changes) {
    const text = textHunks(change);
    if (text === undefined) plainLines.push(...formatFieldChange(change));
    else texts.push('', `\`${text.header}\``, '', ...fence('diff', text.hunks));
  }
  return [...(plainLines.length > 0 ? ['', ...fence('text', plainLines)] : []), ...texts];
}

/** The plan as Markdown, for the pull-request comment (see {@link PLAN_COMMENT_MARKER}). */
export function formatPlanMarkdown(plan: Plan, clusters: readonly string[], outdir: string, options: PlanReportOptions = {}): string {
  const details = options.details ?? NO_DETAILS;
  const production = options.production ?? [];
  const noise = options.noise ?? [];
  const maxChars = options.maxChars ?? MAX_COMMENT_CHARS;
  const full = maxChars === Number.POSITIVE_INFINITY;
  const actions = reviewerActions(plan, outdir, options.catalog ?? [], details, options.context);
  const chunks: Chunk[] = [];
  const push = (...lines: string[]) => chunks.push(...lines.map((line) => `${line}\n`));
  const clusterName = (cluster: string) => `\`${cluster}\`${production.includes(cluster) ? ' (production)' : ''}`;
  const verdictLine = `**${summary(plan, details, actions)}**`;
  push(PLAN_COMMENT_MARKER, '## Argo CD plan', '');
  if (options.sides !== undefined) push(`Compared: ${options.sides.base} (what Argo CD syncs now) with ${options.sides.head}.`, '');
  push(verdictLine, '');

  // The first screen: one row per changed Application, then the facts a reviewer scans for.
  const order = ordered(clusters, production);
  const rows = order.flatMap((cluster) =>
    details.renders
      .filter((r) => r.cluster === cluster && (r.changes.length > 0 || r.problems.length > 0))
      .map((render) => {
        const count = (change: ObjectChange['change']) => render.changes.filter((c) => c.change === change).length;
        const bookkeeping = splitBookkeeping(render, noise).bookkeeping.length;
        const objects =
          render.problems.length > 0
            ? 'rendered diff missing'
            : `+${count('added')} −${count('removed')} ~${count('changed')}${bookkeeping > 0 ? ` (${bookkeeping} chart labels only)` : ''}`;
        return `| ${clusterName(cluster)} | \`${render.component}\` | \`${cell(chartLine(render))}\` | ${objects} |`;
      }),
  );
  const facts = planFacts(details.renders);
  if (rows.length > 0 || hasFacts(facts)) {
    push('### At a glance', '');
    if (rows.length > 0) push('| Cluster | Application | Chart | Objects (+ − ~) |', '|---|---|---|---|', ...rows, '');
    for (const group of factLines(facts)) {
      const many = group.facts.length > 1 || group.facts[0].text.length > 80;
      if (!many) push(`- **${group.heading}**: ${group.facts[0].text} (${group.facts[0].where.join(', ')})`);
      else {
        push(`- **${group.heading}**:`);
        for (const fact of group.facts) push(`  - ${fact.text} (${fact.where.join(', ')})`);
      }
    }
    push('');
  }
  if (anyChange(plan, details) || actions.length > 0) {
    push('### Before you merge', '');
    if (actions.length === 0) push('Nothing to do: no bootstrap change, no removal, no protected component touched.');
    for (const action of actions) push(`- ${ICON[action.level]} ${action.text}`);
    push('');
  }

  // A change identical in several clusters (the same lines added and removed; the context around them may
  // differ with each cluster's values) is printed once, in the first cluster shown, naming the others.
  // Checksums differ with each cluster's values; they say only that something the pods read changed.
  const diffKey = (change: ObjectChange) =>
    `${objectName(change)}\n${change.diff.filter((line) => /^[-+#]/.test(line) && !/^[-+]\s*checksum\/[^:]*:/.test(line)).join('\n')}`;
  const seenIn = new Map<string, string[]>();
  for (const cluster of order) {
    for (const render of details.renders.filter((r) => r.cluster === cluster)) {
      for (const change of render.changes) {
        if (change.diff.length === 0) continue;
        const key = `${render.component}\n${diffKey(change)}`;
        seenIn.set(key, [...(seenIn.get(key) ?? []), cluster]);
      }
    }
  }

  const renderSection = (render: ApplicationRender): void => {
    if (render.problems.length > 0) {
      push(`**Rendered diff missing**: ${render.problems.join('; ')}`, '');
      return;
    }
    push(`**What Argo CD applies**, rendered with Helm: \`${chartLine(render)}\`: ${renderCounts(render)}`, '');
    for (const note of notComparedLines(render)) push(`_${note.charAt(0).toUpperCase()}${note.slice(1)}._`, '');
    const { shown, bookkeeping } = splitBookkeeping(render, noise);
    const importance = production.includes(render.cluster) ? IMPORTANCE.production : IMPORTANCE.other;
    if (bookkeeping.length > 0) {
      push(`- ${bookkeepingLine(bookkeeping)}.`);
      chunks.push({
        type: 'optional',
        text: `  <details><summary>Which</summary>\n\n  ${bookkeeping.map((c) => `\`${SIGN[c.change]} ${cell(objectName(c))}\``).join(', ')}\n\n  </details>\n`,
        what: `${render.cluster}/${render.component}: the list of ${bookkeeping.length} bookkeeping-only object(s)`,
        cluster: render.cluster,
        importance: IMPORTANCE.bookkeeping,
      });
      push('');
    }
    if (shown.length === 0) return;
    push('| Applied in | | Object |', '|---|---|---|');
    for (const change of shown) {
      push(`| ${appliedIn(change)} | \`${SIGN[change.change]}\` | \`${cell(objectName(change))}\`${change.supporting ? ' (supporting manifest)' : ''} |`);
    }
    push('');
    for (const change of shown) {
      if (change.diff.length === 0) continue;
      const places = seenIn.get(`${render.component}\n${diffKey(change)}`) ?? [render.cluster];
      if (places.length > 1 && places[0] !== render.cluster) {
        push(`- \`${SIGN[change.change]}\` ${escapeHtml(objectName(change))}: the same change as in \`${places[0]}\` (shown there; checksums aside).`, '');
        continue;
      }
      const limit = full ? Number.POSITIVE_INFINITY : MAX_OBJECT_LINES;
      const shownLines = change.diff.slice(0, limit);
      const cut = change.diff.length - shownLines.length;
      // Bookkeeping is collapsed above, so what is left matters: open, except a long new object.
      const open = change.change !== 'added' || change.diff.length <= OPEN_DIFF_LINES ? ' open' : '';
      const also = places.length > 1 ? ` (identical in ${places.map((c) => `\`${c}\``).join(', ')})` : '';
      const block = [
        `<details${open}><summary><code>${SIGN[change.change]}</code> ${escapeHtml(objectName(change))}: ${diffSize(change.diff)}${also}</summary>`,
        '',
        ...change.notes.map((note) => `_${note}._`),
        ...(change.notes.length > 0 ? [''] : []),
        ...fence('diff', shownLines),
        ...(cut > 0 ? ['', `_… ${cut} more diff line(s) of this object cut (at most ${MAX_OBJECT_LINES} per object); the full plan has them all._`] : []),
        '',
        '</details>',
        '',
      ];
      chunks.push({ type: 'optional', text: `${block.join('\n')}\n`, what: objectName(change), cluster: render.cluster, importance });
    }
  };
  for (const cluster of order) {
    const entries = plan.entries.filter((e) => e.cluster === cluster);
    const values = (plan.bootstrapValues ?? []).filter((v) => v.cluster === cluster);
    push(`### ${clusterName(cluster)}: ${entries.length === 0 && values.length === 0 ? 'no changes' : counts(entries)}`, '');
    chunks.push({ type: 'left-out', cluster });
    for (const value of values) {
      push(`#### bootstrap values (installed by hand with Helm)`, '', `- \`~\` \`${outdir}/${value.file}\``, ...fieldBlocks(value.before, value.after), '');
    }
    for (const group of groupsOf(entries)) {
      push(group.component === 'bootstrap' ? '#### bootstrap (applied by hand)' : `#### ${group.label} · \`${group.component}\``, '');
      for (const entry of group.entries) {
        const note = verdict(plan, entry);
        const where = supportingWave(entry);
        push(
          `- \`${SIGN[entry.change]}\` ${entry.isApplication ? 'Application' : entry.kind} \`${entry.name}\` · \`${outdir}/${entry.file}\`${where === undefined ? '' : ` (${where})`}${note === undefined ? '' : ` — ${note}`}`,
        );
        if (entry.identityChange !== undefined) push(`  identity: ${entry.identityChange}`);
        const about = applicationSummary(entry);
        if (about !== undefined) push(`  ${about}`);
        if (entry.change === 'changed') push(...fieldBlocks(entry.before, entry.after));
        push('');
      }
      const render = renderOf(details, cluster, group.component);
      if (render !== undefined) renderSection(render);
    }
    const others = clusterRenders(details, cluster, entries);
    if (others.length > 0) {
      push("#### Rendered again: the cluster's Kubernetes or API versions change", '');
      for (const render of others) {
        push(`##### \`${render.component}\``, '');
        renderSection(render);
      }
    }
  }
  const footer: string[] = [...details.notes.map((note) => `_Note: ${note}_`), ...(details.notes.length > 0 ? [''] : []), verdictLine];
  const stats = statsLine(details);
  if (stats !== undefined) footer.push('', `<sub>${stats}</sub>`);
  return assemble(chunks, footer, maxChars, options.fullReport);
}

/** Where the full plan is, for a comment that leaves something out. */
function fullPlanLink(fullReport: PlanReportOptions['fullReport']): string {
  if (fullReport === undefined) return '`npm run plan -- --markdown` prints the full plan';
  if (fullReport.url !== undefined) return `the full plan is in [this run's summary and its \`plan\` artifact](${fullReport.url})`;
  return `the full plan is in \`${fullReport.path}\``;
}

/**
 * Joins the comment. When it would exceed `maxChars`, optional parts are left
 * out, the least important first (bookkeeping lists, then other clusters'
 * diffs, then production's; within one level the longest first), and each
 * cluster's section names what it lost, with a link to the full plan.
 */
function assemble(chunks: readonly Chunk[], footer: readonly string[], maxChars: number, fullReport: PlanReportOptions['fullReport']): string {
  const clusters = [...new Set(chunks.flatMap((c) => (typeof c === 'object' && c.type === 'left-out' ? [c.cluster] : [])))];
  const fixed = chunks.reduce((sum, c) => sum + (typeof c === 'string' ? c.length : 0), 0) + footer.join('\n').length + 1;
  const optional = chunks.filter((c): c is Extract<Chunk, { type: 'optional' }> => typeof c === 'object' && c.type === 'optional');
  const leftOut = new Set<Chunk>();
  let total = fixed + optional.reduce((sum, c) => sum + c.text.length, 0);
  // Each cluster that loses something gets a line naming what it lost: reserve room for it as parts go.
  const noteFor = (cluster: string, extra: readonly string[] = []): string => {
    const lost = [...optional.filter((c) => leftOut.has(c) && c.cluster === cluster).map((c) => c.what), ...extra];
    if (lost.length === 0) return '';
    return `> [!WARNING]\n> Left out of this section to keep the comment under GitHub's 65,536 characters (${fullPlanLink(fullReport)}): ${lost.map((w) => `\`${w}\``).join(', ')}.\n\n`;
  };
  const notes = () => clusters.reduce((sum, cluster) => sum + noteFor(cluster).length, 0);
  const byImportance = [...optional].sort((a, b) => a.importance - b.importance || b.text.length - a.text.length);
  for (const chunk of byImportance) {
    if (total + notes() <= maxChars) break;
    leftOut.add(chunk);
    total -= chunk.text.length;
  }
  let text = '';
  for (const chunk of chunks) {
    if (typeof chunk === 'string') text += chunk;
    else if (chunk.type === 'left-out') text += noteFor(chunk.cluster);
    else if (!leftOut.has(chunk)) text += chunk.text;
  }
  return `${text}${footer.join('\n')}\n`;
}
