import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-29';

/** The `argocd-cm` key of the health check for `argoproj.io/Application`. */
export const APPLICATION_HEALTH_KEY = 'resource.customizations.health.argoproj.io_Application';

/**
 * The health check itself (Lua). A child Application is as healthy as Argo CD
 * last assessed it; with no assessment yet it is Progressing, never Healthy, so
 * a brand-new child holds back the next wave until Argo CD has looked at it.
 */
export const APPLICATION_HEALTH_LUA = `-- Health of a child Application, so that App-of-Apps sync-waves wait for it.
-- No assessment yet counts as Progressing, never as Healthy.
hs = {}
hs.status = "Progressing"
hs.message = ""
if obj.status ~= nil and obj.status.health ~= nil then
  hs.status = obj.status.health.status
  if obj.status.health.message ~= nil then
    hs.message = obj.status.health.message
  end
end
return hs
`;

/** Props of {@link ApplicationHealthCheck}. */
export interface ApplicationHealthCheckProps {
  /** Namespace of Argo CD. */
  readonly namespace: string;
}

/**
 * The `argocd-cm` ConfigMap entry that gives `argoproj.io/Application` a
 * health status again (Argo CD removed the built-in one in 1.8). Without it the
 * root app does not wait for wave N to be Healthy before it starts wave N+1,
 * and the sync-waves of the App-of-Apps only order creation.
 *
 * Rendered with only this key: applied with `kubectl apply --server-side`, it
 * merges into an existing `argocd-cm` without touching other keys. The same
 * text goes into the argo-cd Helm chart's values (`configs.cm`).
 */
export class ApplicationHealthCheck extends Construct {
  /** The ConfigMap object. */
  public readonly apiObject: k8s.KubeConfigMap;

  constructor(scope: Construct, id: string, props: ApplicationHealthCheckProps) {
    super(scope, id);
    this.apiObject = new k8s.KubeConfigMap(this, 'Resource', {
      metadata: {
        name: 'argocd-cm',
        namespace: props.namespace,
        // Argo CD only reads a ConfigMap named argocd-cm that carries these labels.
        labels: { 'app.kubernetes.io/name': 'argocd-cm', 'app.kubernetes.io/part-of': 'argocd' },
      },
      data: { [APPLICATION_HEALTH_KEY]: APPLICATION_HEALTH_LUA },
    });
  }
}
