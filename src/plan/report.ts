/**
 * The plan as a reviewer reads it, in a terminal or as the pull-request
 * comment: what to do before merging, then per cluster and wave each changed
 * object with its changed fields, and for each Application what Argo CD will
 * apply differently, object by object in its apply order, with unified diffs.
 */
import { SYNC_WAVE_ANNOTATION } from '../core/argocd-annotations';
import type { ComponentSpec } from '../platform/types';
import { fieldDiff } from './field-diff';
import type { ObjectChange } from './object-diff';
import { type ReviewerAction, reviewerActions } from './actions';
import type { Plan, PlanEntry } from './plan';
import { type ApplicationRender, NO_DETAILS, type PlanDetails, renderProblems } from './details';

/** The hidden first line of the plan comment, by which the workflow finds the comment to update. */
export const PLAN_COMMENT_MARKER = '<!-- pke-plan -->';

/** GitHub refuses a comment over 65,536 characters; the report stays below this. */
export const MAX_COMMENT_CHARS = 60_000;

/** Diff lines shown for one object in the comment; the rest is cut with a line saying so. */
export const MAX_OBJECT_LINES = 150;

/** A diff of at most this many lines is shown unfolded in the comment. */
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
   * Longest comment, in characters (Markdown only).
   * @default MAX_COMMENT_CHARS
   */
  readonly maxChars?: number;
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

/** The verdict line at the end of a report. */
function summary(plan: Plan, details: PlanDetails, actions: readonly ReviewerAction[]): string {
  const missing = renderProblems(details).length;
  if (plan.refused.length > 0 || plan.blocked.length > 0 || missing > 0) {
    const parts = [
      `${plan.refused.length} protected Application(s) removed`,
      `${plan.blocked.length} removal(s) not allowed`,
      ...(missing > 0 ? [`${missing} rendered diff(s) missing`] : []),
    ];
    return `Not safe to merge: ${parts.join(', ')}.`;
  }
  if (plan.entries.length === 0) return 'No changes.';
  const bootstrap = [...new Set(actions.filter((a) => a.level === 'blocking').map((a) => a.cluster))];
  if (bootstrap.length > 0) return `Safe to merge once bootstrap/ is applied on ${bootstrap.join(', ')}: no Application is removed without --allow-delete.`;
  return 'Safe to merge: no Application is removed without --allow-delete.';
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

/** The plan for a terminal: what to do, then one block per cluster, grouped by wave, with field and rendered diffs. */
export function formatPlanText(plan: Plan, clusters: readonly string[], outdir: string, options: PlanReportOptions = {}): string {
  const details = options.details ?? NO_DETAILS;
  const actions = reviewerActions(plan, outdir, options.catalog ?? [], details);
  const plain = (text: string) => text.replace(/\*\*/g, '');
  const lines: string[] = [];
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
    for (const change of render.changes) {
      lines.push(`${indent}  ${appliedIn(change).padEnd(18)} ${SIGN[change.change]} ${objectName(change)}${change.supporting ? ' (supporting manifest)' : ''}`);
      for (const note of change.notes) lines.push(`${indent}      (${note})`);
      for (const line of change.diff) lines.push(`${indent}      ${line}`);
    }
  };
  for (const cluster of clusters) {
    const entries = plan.entries.filter((e) => e.cluster === cluster);
    lines.push(`${cluster}: ${entries.length === 0 ? 'no changes' : counts(entries)}`);
    let label = '';
    for (const group of groupsOf(entries)) {
      if (group.label !== label) {
        label = group.label;
        lines.push(`  ${label}`);
      }
      for (const entry of group.entries) {
        const note = verdict(plan, entry);
        lines.push(`    ${SIGN[entry.change]} ${objectLabel(entry).padEnd(48)} ${outdir}/${entry.file}${note ? `\n        ${note}` : ''}`);
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

/** A part of the comment: always shown, or an object diff that is left out when the comment would grow too long. */
type Chunk = string | { readonly diff: string; readonly what: string };

/** The plan as Markdown, for the pull-request comment (see {@link PLAN_COMMENT_MARKER}). */
export function formatPlanMarkdown(plan: Plan, clusters: readonly string[], outdir: string, options: PlanReportOptions = {}): string {
  const details = options.details ?? NO_DETAILS;
  const actions = reviewerActions(plan, outdir, options.catalog ?? [], details);
  const chunks: Chunk[] = [];
  const push = (...lines: string[]) => chunks.push(...lines.map((line) => `${line}\n`));
  push(PLAN_COMMENT_MARKER, '## Argo CD plan', '');
  if (plan.entries.length > 0 || actions.length > 0) {
    push('### Before you merge', '');
    if (actions.length === 0) push('Nothing to do: no bootstrap change, no removal, no protected component touched.');
    for (const action of actions) push(`- ${ICON[action.level]} ${action.text}`);
    push('');
  }
  const renderSection = (render: ApplicationRender): void => {
    if (render.problems.length > 0) {
      push(`**Rendered diff missing**: ${render.problems.join('; ')}`, '');
      return;
    }
    push(`**What Argo CD applies**, rendered with Helm: \`${chartLine(render)}\`: ${renderCounts(render)}`, '');
    if (render.changes.length === 0) return;
    push('| Applied in | | Object |', '|---|---|---|');
    for (const change of render.changes) {
      push(`| ${appliedIn(change)} | \`${SIGN[change.change]}\` | \`${cell(objectName(change))}\`${change.supporting ? ' (supporting manifest)' : ''} |`);
    }
    push('');
    for (const change of render.changes) {
      if (change.diff.length === 0) continue;
      const shown = change.diff.slice(0, MAX_OBJECT_LINES);
      const cut = change.diff.length - shown.length;
      const open = change.diff.length <= OPEN_DIFF_LINES ? ' open' : '';
      const block = [
        `<details${open}><summary><code>${SIGN[change.change]}</code> ${escapeHtml(objectName(change))}: ${diffSize(change.diff)}</summary>`,
        '',
        ...change.notes.map((note) => `_${note}._`),
        ...(change.notes.length > 0 ? [''] : []),
        ...fence('diff', shown),
        ...(cut > 0 ? ['', `_… ${cut} more diff line(s) of this object cut (at most ${MAX_OBJECT_LINES} per object); \`npm run plan\` prints them all._`] : []),
        '',
        '</details>',
        '',
      ];
      chunks.push({ diff: `${block.join('\n')}\n`, what: `${render.cluster}/${render.component}: ${objectName(change)}` });
    }
  };
  for (const cluster of clusters) {
    const entries = plan.entries.filter((e) => e.cluster === cluster);
    push(`### \`${cluster}\`: ${entries.length === 0 ? 'no changes' : counts(entries)}`, '');
    for (const group of groupsOf(entries)) {
      push(group.component === 'bootstrap' ? '#### bootstrap (applied by hand)' : `#### ${group.label} · \`${group.component}\``, '');
      for (const entry of group.entries) {
        const note = verdict(plan, entry);
        const where = supportingWave(entry);
        push(
          `- \`${SIGN[entry.change]}\` ${entry.isApplication ? 'Application' : entry.kind} \`${entry.name}\` · \`${outdir}/${entry.file}\`${where === undefined ? '' : ` (${where})`}${note === undefined ? '' : ` — ${note}`}`,
        );
        const about = applicationSummary(entry);
        if (about !== undefined) push(`  ${about}`);
        const fields = entryFields(entry);
        if (fields.length > 0) push('', ...fence('text', fields));
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
  const footer: string[] = [
    ...details.notes.map((note) => `_Note: ${note}_`),
    ...(details.notes.length > 0 ? [''] : []),
    `**${summary(plan, details, actions)}**`,
  ];
  const stats = statsLine(details);
  if (stats !== undefined) footer.push('', `<sub>${stats}</sub>`);
  return assemble(chunks, footer, options.maxChars ?? MAX_COMMENT_CHARS);
}

/** Joins the comment, leaving out object diffs (from the last) once it would exceed `maxChars`, and says what was cut. */
function assemble(chunks: readonly Chunk[], footer: readonly string[], maxChars: number): string {
  const fixed = chunks.reduce((sum, chunk) => sum + (typeof chunk === 'string' ? chunk.length : 0), 0) + footer.join('\n').length + 1;
  const reserve = 600; // the line about what was cut
  let budget = maxChars - fixed - reserve;
  const cut: string[] = [];
  let text = '';
  for (const chunk of chunks) {
    if (typeof chunk === 'string') {
      text += chunk;
    } else if (cut.length === 0 && chunk.diff.length <= budget) {
      text += chunk.diff;
      budget -= chunk.diff.length;
    } else {
      cut.push(chunk.what);
    }
  }
  if (cut.length > 0) {
    const named = cut
      .slice(0, 5)
      .map((what) => `\`${what}\``)
      .join(', ');
    text += `_The diffs of ${cut.length} object(s) are left out to keep this comment under GitHub's 65,536 characters (${named}${cut.length > 5 ? ', …' : ''}); \`npm run plan\` prints them all._\n\n`;
  }
  return `${text}${footer.join('\n')}\n`;
}
