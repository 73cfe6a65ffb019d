import type { Plan, PlanEntry } from './plan';

const SIGN: Record<PlanEntry['change'], string> = { added: '+', changed: '~', removed: '-' };

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
function summary(plan: Plan): string {
  if (plan.refused.length > 0 || plan.blocked.length > 0) {
    return `Not safe to merge: ${plan.refused.length} protected Application(s) removed, ${plan.blocked.length} removal(s) not allowed.`;
  }
  return plan.entries.length === 0 ? 'No changes.' : 'Safe to merge: no Application is removed without --allow-delete.';
}

/** The plan for a terminal: one block per cluster, grouped by wave. */
export function formatPlanText(plan: Plan, clusters: readonly string[], outdir: string): string {
  const lines: string[] = [];
  for (const cluster of clusters) {
    const entries = plan.entries.filter((e) => e.cluster === cluster);
    lines.push(`${cluster}: ${entries.length === 0 ? 'no changes' : counts(entries)}`);
    let group = '';
    for (const entry of entries) {
      if (groupLabel(entry) !== group) {
        group = groupLabel(entry);
        lines.push(`  ${group}`);
      }
      const note = verdict(plan, entry);
      lines.push(`    ${SIGN[entry.change]} ${objectLabel(entry).padEnd(48)} ${outdir}/${entry.file}${note ? `\n        ${note}` : ''}`);
    }
  }
  lines.push(summary(plan));
  return `${lines.join('\n')}\n`;
}

/** The plan as Markdown, for a pull-request comment. */
export function formatPlanMarkdown(plan: Plan, clusters: readonly string[], outdir: string): string {
  const lines = ['## Argo CD plan', ''];
  for (const cluster of clusters) {
    const entries = plan.entries.filter((e) => e.cluster === cluster);
    lines.push(`### \`${cluster}\`: ${entries.length === 0 ? 'no changes' : counts(entries)}`, '');
    if (entries.length === 0) continue;
    lines.push('| Wave | Change | Object | File | Note |', '|---|---|---|---|---|');
    for (const entry of entries) {
      const note = verdict(plan, entry) ?? '';
      lines.push(
        `| ${entry.wave ?? 'bootstrap'} | ${entry.change} | ${objectLabel(entry)} | \`${outdir}/${entry.file}\` | ${note.replace(/\|/g, '\\|')} |`,
      );
    }
    lines.push('');
  }
  lines.push(`**${summary(plan)}**`);
  return `${lines.join('\n')}\n`;
}
