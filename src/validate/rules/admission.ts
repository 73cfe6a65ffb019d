import type { Finding } from '../finding';
import { type AppliedObject, appliedObjects } from './_applied';
import { field, isApplication, isRecord, type PolicyContext, type PolicyRule } from './_context';
import { ProjectPolicy } from './app-project';

/**
 * `admission`: Argo CD admits every object a chart renders, as its sync does,
 * and only where its component may write.
 *
 * - A namespaced object lands in its Application's own namespace or in one its
 *   catalog entry declares (`namespaces`, with the reason): a chart writing into
 *   another namespace is a reviewed decision, never a side effect.
 * - Its namespace is a destination of the Application's AppProject, and its kind
 *   is allowed there (cluster-scoped kinds by `clusterResourceWhitelist`,
 *   namespaced ones by the namespace white/blacklists). Argo CD refuses the
 *   whole sync otherwise, on every retry.
 *
 * Supporting manifests are checked by `app-project`.
 */
export const admissionRule: PolicyRule = {
  name: 'admission',
  description: "every object a chart renders is admitted by its Application's AppProject and stays in the namespaces its component may use",
  check(context) {
    const findings: Finding[] = [];
    const projects = projectPolicies(context);
    for (const object of appliedObjects(context)) {
      if (object.origin !== 'chart') continue;
      const facts = context.clusters.get(object.cluster)?.namespaces.get(object.component);
      const target = projects.get(`${object.cluster}/${object.component}`);
      const catalog = `src/platform/${object.component}.ts`;
      if (object.namespace !== undefined && facts !== undefined && object.namespace !== facts.own && !(object.namespace in facts.declared)) {
        findings.push(
          object.finding(
            'admission',
            '',
            `namespace ${object.namespace} is neither ${object.component}'s own (${facts.own}) nor declared by it`,
            `declare it with the reason in \`namespaces\` of ${catalog}, or set the chart's values so the object stays in ${facts.own}`,
          ),
        );
        continue;
      }
      if (target === undefined) continue;
      findings.push(...admit(object, target));
    }
    return findings;
  },
};

interface Target {
  readonly project: string;
  readonly policy: ProjectPolicy;
  readonly server: string;
}

function admit(object: AppliedObject, target: Target): Finding[] {
  const fix = `run \`npm run synth\` (it derives AppProject ${target.project} from the inventory), review the new permission and apply bootstrap/ before merging`;
  const namespaced = object.namespace !== undefined;
  const kindText = `${object.group === '' ? '' : `${object.group}/`}${object.kind}`;
  if (!target.policy.kind(object.group, object.kind, object.name, namespaced)) {
    return [
      object.finding('admission', '', `${namespaced ? 'namespaced' : 'cluster-scoped'} kind ${kindText} is not allowed by project ${target.project}`, fix),
    ];
  }
  if (namespaced && !target.policy.destination({ server: target.server, namespace: object.namespace })) {
    return [object.finding('admission', '', `namespace ${object.namespace} is not among the destinations of project ${target.project}`, fix)];
  }
  return [];
}

/** The AppProject policy of every child Application, by `<cluster>/<component>`. */
function projectPolicies(context: PolicyContext): Map<string, Target> {
  const projects = new Map<string, ProjectPolicy>();
  for (const rendered of context.objects) {
    if (rendered.object.kind === 'AppProject' && rendered.object.apiVersion.startsWith('argoproj.io/')) {
      const spec = field(rendered.object, 'spec');
      projects.set(`${rendered.cluster}/${String(field(rendered.object, 'metadata', 'name'))}`, new ProjectPolicy(isRecord(spec) ? spec : {}));
    }
  }
  const targets = new Map<string, Target>();
  for (const app of context.objects) {
    if (!isApplication(app) || app.role !== 'child') continue;
    const project = String(field(app.object, 'spec', 'project') ?? 'default');
    const policy = projects.get(`${app.cluster}/${project}`);
    const server = field(app.object, 'spec', 'destination', 'server');
    if (policy !== undefined)
      targets.set(`${app.cluster}/${String(field(app.object, 'metadata', 'name'))}`, { project, policy, server: typeof server === 'string' ? server : '' });
  }
  return targets;
}
