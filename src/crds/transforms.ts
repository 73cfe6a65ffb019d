/**
 * The changes `npm run crds` makes to an upstream CRD file before vendoring it,
 * each deterministic: the same upstream bytes always give the same file.
 */

/**
 * cert-manager's `deploy/crds/*.yaml` (v1.18) are Helm-template sources of the
 * chart's CRD templates. What its release build renders into the static
 * `cert-manager.crds.yaml` (release `release`, `crds.keep=true`, not created by
 * Helm) differs only in the wrapper and label lines:
 *
 * - the `# START crd {{- if … }}` and `# END crd {{- end }}` lines go;
 * - the `# START annotations {{- if .Values.crds.keep }}` and `# END annotations`
 *   lines go, the `helm.sh/resource-policy: keep` annotation between them stays;
 * - `'{{ template "cert-manager.name" . }}'` becomes `'cert-manager'` and
 *   `'{{ .Release.Name }}'` the release name;
 * - `# Generated labels {{- include "labels" . | nindent 4 }}` becomes
 *   `app.kubernetes.io/version: "<version>"`, what that helper renders outside Helm.
 *
 * `spec` is untouched. Any other `{{` left is an upstream change this transform
 * does not know, and an error rather than a guess.
 */
export interface CertManagerStatic {
  readonly name: 'cert-manager-static';
  /** Helm release name the static bundle is rendered with. */
  readonly release: string;
  /** The release version, as in the tag (`v1.18.6`). */
  readonly version: string;
}

/** A named change of an upstream file. */
export type Transform = CertManagerStatic;

/** The names of the transforms there are. */
export const TRANSFORM_NAMES: readonly Transform['name'][] = ['cert-manager-static'];

/** An upstream file the transform cannot handle; the message says where and why. */
export class TransformError extends Error {}

const WRAPPER_LINE = /^\s*# (?:START|END) (?:crd|annotations) \{\{.*\}\}$/;
const GENERATED_LABELS = /^(\s*)# Generated labels \{\{- include "labels" \. \| nindent 4 \}\}$/;

function certManagerStatic(text: string, transform: CertManagerStatic): string {
  const lines = text.split('\n').flatMap((line) => {
    if (WRAPPER_LINE.test(line)) return [];
    const generated = GENERATED_LABELS.exec(line);
    if (generated !== null) return [`${generated[1]}app.kubernetes.io/version: ${JSON.stringify(transform.version)}`];
    return [line.replaceAll(`'{{ template "cert-manager.name" . }}'`, "'cert-manager'").replaceAll("'{{ .Release.Name }}'", `'${transform.release}'`)];
  });
  const left = lines.findIndex((line) => line.includes('{{'));
  if (left !== -1) {
    throw new TransformError(`line ${left + 1} of the result still holds a template: ${JSON.stringify(lines[left].trim())}`);
  }
  return lines.join('\n');
}

/**
 * Applies a transform to the text of an upstream file.
 * @throws TransformError when the upstream file is not of the shape the transform knows
 */
export function applyTransform(text: string, transform: Transform): string {
  switch (transform.name) {
    case 'cert-manager-static':
      return certManagerStatic(text, transform);
  }
}
