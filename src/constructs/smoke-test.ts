import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { HOOK_ANNOTATION, HOOK_DELETE_POLICY_ANNOTATION } from '../core/argocd-annotations';
import { assertDnsLabel, assertDnsSubdomain } from './_names';

/**
 * The image the smoke tests run: curl, pinned by digest (Renovate's docker
 * datasource keeps tag and digest current, see renovate.json).
 */
export const SMOKE_TEST_IMAGE = 'curlimages/curl:8.11.1@sha256:c1fe1679c34d9784c1b0d1e5f62ac0a79fca01fb6377cdd33e90473c6f9f9a69';

/** An image reference pinned by digest. */
const PINNED = /^[a-z0-9.\-/:]+@sha256:[0-9a-f]{64}$/;

/** One endpoint to ask. */
export interface SmokeTestTarget {
  /** `http://…` URL, in-cluster. */
  readonly url: string;
  /** `success`: 2xx or 3xx; `any-response`: any HTTP answer. */
  readonly expect: 'success' | 'any-response';
}

/** Props of {@link SmokeTestHook}. */
export interface SmokeTestHookProps {
  readonly name: string;
  readonly namespace: string;
  /** What to ask, in order; at least one. */
  readonly targets: readonly SmokeTestTarget[];
  /**
   * Seconds the Job may run, retries included.
   * @default 180
   */
  readonly deadlineSeconds?: number;
  /**
   * Pod retries after a failure.
   * @default 1
   */
  readonly backoffLimit?: number;
  /**
   * Image, pinned by digest.
   * @default SMOKE_TEST_IMAGE
   */
  readonly image?: string;
}

/**
 * A PostSync hook Job that asks every target once the sync has applied and the
 * Application's resources are healthy, in place of the charts' `helm test`
 * hooks, which Argo CD never runs. A target that does not answer within the
 * retries fails the Job, which fails the sync: the Application turns Degraded
 * and, through the Application health check, holds the next wave.
 *
 * The Job is replaced at the next sync (`BeforeHookCreation`), so the last run
 * and its logs stay for inspection. The pod runs as nobody, read-only, with no
 * capabilities and a short deadline. (A built-in kind: an `ApiObject`;
 * synth validates it against the Kubernetes schema.)
 */
export class SmokeTestHook extends Construct {
  /** The Job object. */
  public readonly apiObject: ApiObject;
  /** The shell script the container runs. */
  public readonly script: string;
  public readonly deadlineSeconds: number;
  public readonly backoffLimit: number;

  constructor(scope: Construct, id: string, props: SmokeTestHookProps) {
    super(scope, id);
    assertDnsSubdomain('smoke test name', props.name);
    assertDnsLabel(`namespace of smoke test ${props.name}`, props.namespace, 63);
    if (props.targets.length === 0) throw new Error(`smoke test ${props.name} needs at least one target`);
    for (const target of props.targets) {
      if (!/^http:\/\/[a-z0-9.-]+(:[0-9]+)?\/[-A-Za-z0-9._~/]*$/.test(target.url))
        throw new Error(`smoke test ${props.name}: "${target.url}" is not a plain in-cluster http URL`);
    }
    const image = props.image ?? SMOKE_TEST_IMAGE;
    if (!PINNED.test(image)) throw new Error(`smoke test ${props.name}: image ${image} is not pinned by digest`);
    this.deadlineSeconds = props.deadlineSeconds ?? 180;
    this.backoffLimit = props.backoffLimit ?? 1;
    this.script = smokeScript(props.targets);
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: props.name,
        namespace: props.namespace,
        annotations: { [HOOK_ANNOTATION]: 'PostSync', [HOOK_DELETE_POLICY_ANNOTATION]: 'BeforeHookCreation' },
      },
      spec: {
        activeDeadlineSeconds: this.deadlineSeconds,
        backoffLimit: this.backoffLimit,
        template: {
          metadata: { labels: { 'app.kubernetes.io/name': 'platform-smoke-test', 'app.kubernetes.io/part-of': 'platform' } },
          spec: {
            restartPolicy: 'Never',
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name: 'smoke-test',
                image,
                command: ['/bin/sh', '-c', this.script],
                resources: {
                  requests: { cpu: '10m', memory: '16Mi' },
                  limits: { memory: '64Mi' },
                },
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
              },
            ],
          },
        },
      },
    });
  }
}

/**
 * One curl per target, each retried for about a minute (connection refused and
 * 5xx included) before it counts as failed; `success` targets must answer
 * 2xx/3xx (`--fail`), `any-response` targets any HTTP status.
 */
function smokeScript(targets: readonly SmokeTestTarget[]): string {
  const lines = targets.map(
    (t) =>
      `curl ${t.expect === 'success' ? '--fail ' : ''}--silent --show-error --output /dev/null --max-time 5 --retry 12 --retry-delay 5 --retry-all-errors --write-out '%{http_code} %{url_effective}\\n' '${t.url}'`,
  );
  return ['set -eu', ...lines].join('\n') + '\n';
}
