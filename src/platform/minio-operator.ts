import type { ComponentSpec } from './types';

/**
 * MinIO Operator: runs MinIO tenants described by the `Tenant` custom
 * resource (see `minio-tenant`). Installed with the chart's defaults, as in
 * the Helmfile era. Protected, like cert-manager: it owns the CRD of the
 * tenant that holds Loki's and Mimir's data.
 *
 * Server-side apply: chart 7.x renders the `tenants.minio.min.io` CRD from
 * `templates/`, so it is applied like any other manifest. The versions of
 * that file checked upstream are 216–247 KB; the 7.1.1 file itself could not
 * be measured, and it is not confirmed to exceed the 262,144-byte annotation
 * limit. Server-side apply is chosen so that it never has to fit.
 */
export const minioOperator = {
  id: 'minio-operator',
  description: 'MinIO Operator: manages MinIO tenants declared as Tenant resources.',
  repoUrl: 'https://operator.min.io',
  chart: 'operator',
  version: '7.1.1',
  namespace: 'minio-operator',
  releaseName: 'minio-operator',
  dependsOn: ['cilium'],
  protected:
    "The operator's Application owns the Tenant CRD, and the tenant behind it holds every Loki and Mimir bucket. " +
    'Argo CD leaves CRDs alone when it cascade-deletes an Application, but a sync prunes a CRD the chart no longer ' +
    'renders, and deleting the CRD deletes the Tenant and, through owner references, the MinIO pods. A cascading ' +
    'delete of the Application removes the operator itself: the tenant keeps serving, but nothing reconciles it.',
  serverSideApply:
    'The chart applies the Tenant CRD (tenants.minio.min.io) as a regular template, and it is large: 216–247 KB in ' +
    'the upstream versions checked. Client-side apply would copy all of it into the last-applied-configuration ' +
    'annotation, which is capped at 262,144 bytes; server-side apply keeps the CRD out of that annotation.',
  values: () => ({}),
} satisfies ComponentSpec;
