import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { readTree } from '../../src/synth/write';
import { main as validate } from '../../src/commands/validate';
import { copyOfRepository, entryOf } from '../helpers/copy-entry';
import { REPO, type Run } from '../helpers/run-entry';
import { runMain } from '../helpers/run-main';
import { folderWith } from './_helpers';

/** Runs `npm run validate` in this process, in the repository. */
function run(_cwd: string, _entry: string, ...args: string[]): Promise<Run> {
  return Promise.resolve(runMain(validate, args, { root: REPO }));
}

/** A copy of dist/ in which one Application has a typo and a wrong type. */
function brokenDist(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'pke-validate-cli-')), 'dist');
  cpSync(join(REPO, 'dist'), dir, { recursive: true });
  const file = join(dir, 'kkg/minio-operator.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('      selfHeal: true', '      selfHeal: "yes"'));
  return dir;
}

describe('npm run validate', () => {
  it('passes the committed dist/ and says what it checked', async () => {
    const result = await run(REPO, 'src/commands/validate.ts');

    expect(result).toEqual({ code: 0, stdout: expect.stringMatching(/^dist\/ is valid: \d+ files against their schemas and 11 policy rules\n$/), stderr: '' });
  });

  it('prints one line per finding for people and exits 1', async () => {
    const dir = brokenDist();

    const result = await run(REPO, 'src/commands/validate.ts', '--dir', dir);

    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      `${dir}/kkg/minio-operator.yaml: Application/minio-operator: /spec/syncPolicy/automated/selfHeal: expected boolean, got string "yes" [schema]\n`,
    );
    expect(result.stderr).toBe(`1 finding(s) in ${dir}/\n`);
  });

  it('prints the findings as JSON for machines, with how to fix each', async () => {
    const dir = brokenDist();

    const result = await run(REPO, 'src/commands/validate.ts', '--dir', dir, '--json');

    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      findings: [
        {
          rule: 'schema',
          cluster: 'kkg',
          file: `${dir}/kkg/minio-operator.yaml`,
          object: 'Application/minio-operator',
          path: '/spec/syncPolicy/automated/selfHeal',
          message: 'expected boolean, got string "yes"',
          fix: 'give a value of the expected type',
        },
      ],
    });
  });

  it('takes the CRDs from --crds, so an object whose kind has no CRD there is a finding', async () => {
    const crds = folderWith({ 'empty.yaml': stringify({ apiVersion: 'v1', kind: 'List', items: [] }) });

    const result = await run(REPO, 'src/commands/validate.ts', '--crds', crds);

    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `dist/kkg/cert-manager.yaml: Application/cert-manager: no schema for argoproj.io/v1alpha1 Application: no CRD in ${crds} defines it and it is not a built-in kind (cdk8s-plus-29 2.6.0) [schema]\n`,
    );
  });

  it('refuses an unknown argument with its usage', async () => {
    const result = await run(REPO, 'src/commands/validate.ts', '--strict');

    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'npm run validate: unknown option --strict; usage: npm run validate -- ' +
        '[--dir <output folder>] [--crds <CRD file or folder>]... [--environments <folder>] [--json]\n',
    );
  });
});

describe('npm run synth with a finding', () => {
  it('writes nothing, exits 1 and says dist/ was not changed', async () => {
    // GIVEN a copy of the repository whose dist/ is up to date, sharing node_modules, the CRDs and the validator cache
    const dir = copyOfRepository(
      ['src', 'imports', 'crds', 'inventory', 'environments', 'scripts', 'dist', 'package.json', 'cdk8s.yaml'],
      'pke-validate-synth-',
    );
    const before = readTree(join(dir, 'dist'));

    // WHEN a catalog entry gets a literal password in its values
    const catalog = join(dir, 'src/platform/grafana.ts');
    writeFileSync(
      catalog,
      readFileSync(catalog, 'utf8').replace(
        "admin: { existingSecret: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' }",
        "admin: { user: 'admin', password: 'hunter2' }",
      ),
    );
    const result = runMain(await entryOf(dir, 'src/main.ts'), [], { root: dir });

    // THEN synth refuses it before writing anything, with the inventory the values change made stale
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'dist/example/grafana.yaml: Application/grafana: /spec/sources/0/helm/valuesObject/admin/password: literal credential in Helm values [no-credentials]\n' +
        'dist/kkg/grafana.yaml: Application/grafana: /spec/sources/0/helm/valuesObject/admin/password: literal credential in Helm values [no-credentials]\n' +
        'inventory/example.yaml: stale for grafana (values); run `npm run render` (with no chart repository: `npm run render -- --charts test/fixtures/charts --nearest --offline`) and commit inventory/example.yaml\n' +
        'inventory/kkg.yaml: stale for grafana (values); run `npm run render` (with no chart repository: `npm run render -- --charts test/fixtures/charts --nearest --offline`) and commit inventory/kkg.yaml\n' +
        '4 problem(s); dist/ was not changed.\n',
    );
    expect(readTree(join(dir, 'dist'))).toEqual(before);
  });
});
