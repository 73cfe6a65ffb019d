import { parse } from 'yaml';
import type { ValuesFile } from '../_parse';
import { pointer } from '../object-meta';
import type { Finding } from '../finding';
import { applicationSources, findingAt, isApplication, isRecord, type PolicyRule } from './_context';

/** Keys that hold a credential when their value is a literal: `password`, `adminPassword`, `api_key`, `clientSecret`, `token`, `credentials`. */
const CREDENTIAL = /(?:pass(?:word|wd|phrase)?|token|secret|api[-_]?key|access[-_]?key|private[-_]?key|credentials?)$/i;
/** Keys that hold a credential although they end like a reference (`apiKey` is a key, not the name of one). */
const CREDENTIAL_KEY = /^(?:api|access|secret|secret[-_]?access|private|client|encryption|signing)[-_]?key$/i;
/** Keys that name a Secret, a key in one, or a file: references, not credentials. */
const REFERENCE = /^existing|(?:Name|Ref|Refs|Key|Keys|File|Path|Selector)$/;
/** Containers whose fields are all references (`secretKeyRef: {name, key}`). */
const REFERENCE_CONTAINER = /(?:KeyRef|SecretRef|secretRef|valueFrom)$/;
/** `${ENV}` or `$(ENV)`: filled in at run time, not a literal. */
const PLACEHOLDER = /^\s*(?:\$\{[A-Za-z_][A-Za-z0-9_.-]*\}|\$\([A-Za-z_][A-Za-z0-9_]*\))\s*$/;

const KEYS = new Map<string, boolean>();

/** True for a key whose literal value would be a credential. */
export function isCredentialKey(key: string): boolean {
  let credential = KEYS.get(key);
  if (credential === undefined) {
    credential = CREDENTIAL_KEY.test(key) || (CREDENTIAL.test(key) && !REFERENCE.test(key));
    KEYS.set(key, credential);
  }
  return credential;
}

/** True for a value that is a literal credential (a non-empty string that is not a placeholder). */
function isLiteral(value: unknown): boolean {
  return typeof value === 'string' && value.trim() !== '' && !PLACEHOLDER.test(value);
}

/** Every JSON Pointer (below `base`) where `values` holds a literal credential. */
export function literalCredentials(values: unknown, base = ''): string[] {
  const found: string[] = [];
  const segments: string[] = [];
  const at = (...last: string[]): string => [base, ...segments, ...last].join('/');
  const walk = (value: unknown, key: string): void => {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        segments.push(String(i));
        walk(value[i], key);
        segments.pop();
      }
    } else if (isRecord(value)) {
      if (REFERENCE_CONTAINER.test(key)) return;
      // An environment variable (`{name: DB_PASSWORD, value: hunter2}`) is a credential by its name.
      if (typeof value.name === 'string' && isCredentialKey(value.name) && isLiteral(value.value)) found.push(at('value'));
      for (const child in value) {
        segments.push(pointer(child));
        walk(value[child], child);
        segments.pop();
      }
    } else if (typeof value === 'string' && isCredentialKey(key) && isLiteral(value)) {
      found.push(at());
    }
  };
  walk(values, '');
  return found;
}

/**
 * `no-secrets`: no `Secret` object is rendered. Base64 is not encryption; a
 * Secret in Git is a leaked secret. Secrets come from 1Password through
 * `OnePasswordItem`.
 */
export const noSecretsRule: PolicyRule = {
  name: 'no-secrets',
  description: 'no Secret objects in Git (secrets come from 1Password through OnePasswordItem)',
  check({ objects }) {
    return objects
      .filter((rendered) => rendered.object.kind === 'Secret' && rendered.object.apiVersion === 'v1')
      .map((rendered) =>
        findingAt(
          rendered,
          'no-secrets',
          '',
          'a Secret in Git exposes its data (base64 is not encryption)',
          'store the secret in 1Password and render a OnePasswordItem that creates this Secret in the cluster',
        ),
      );
  },
};

/**
 * `no-credentials`: no literal credential in Helm values (an Application's
 * `helm.valuesObject`, `helm.values` and `helm.parameters`, and values files):
 * a key such as `password`, `token`, `secret`, `apiKey` or `credentials` with a
 * literal string. Keys that name a Secret or a key in one (`existingSecret`,
 * `secretName`, `passwordKey`, `credentialsName`, anything inside
 * `secretKeyRef`) are references, and `${ENV}` placeholders are not literals.
 */
export const noCredentialsRule: PolicyRule = {
  name: 'no-credentials',
  description: 'no literal passwords, tokens, secrets, API keys or credentials in Helm values',
  check({ objects, values }) {
    const findings: Finding[] = [];
    const fix = 'reference a Secret instead (existingSecret / secretKeyRef to a OnePasswordItem), or a ${ENV} placeholder';
    for (const rendered of objects.filter(isApplication)) {
      for (const { path, source } of applicationSources(rendered)) {
        for (const at of helmCredentials(source, path)) {
          findings.push(findingAt(rendered, 'no-credentials', at, 'literal credential in Helm values', fix));
        }
      }
    }
    for (const file of values) {
      for (const at of literalCredentials(file.values)) findings.push(valuesFinding(file, at, fix));
    }
    return findings;
  },
};

function helmCredentials(source: Record<string, unknown>, path: string): string[] {
  const helm = source.helm;
  if (!isRecord(helm)) return [];
  const found = literalCredentials(helm.valuesObject, `${path}/helm/valuesObject`);
  if (typeof helm.values === 'string') {
    let parsed: unknown;
    try {
      parsed = parse(helm.values);
    } catch {
      parsed = undefined; // not YAML: Helm would fail on it, nothing to read here
    }
    // A pointer into a string cannot go further: every finding points at helm.values itself.
    if (literalCredentials(parsed).length > 0) found.push(`${path}/helm/values`);
  }
  if (Array.isArray(helm.parameters)) {
    helm.parameters.forEach((parameter, i) => {
      const name = isRecord(parameter) && typeof parameter.name === 'string' ? (parameter.name.split('.').pop() ?? '') : '';
      if (isRecord(parameter) && isCredentialKey(name) && isLiteral(parameter.value)) found.push(`${path}/helm/parameters/${i}/value`);
    });
  }
  return found;
}

function valuesFinding(file: ValuesFile, path: string, fix: string): Finding {
  return { rule: 'no-credentials', cluster: file.cluster, file: file.file, path, message: 'literal credential in Helm values', fix };
}
