import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main as bootstrapSecrets } from '../../src/commands/bootstrap-secrets';
import { main as crds } from '../../src/commands/crds';
import { main as cutover } from '../../src/commands/cutover';
import { main as plan } from '../../src/commands/plan';
import { main as readme } from '../../src/commands/readme';
import { main as render } from '../../src/commands/render';
import { main as validate } from '../../src/commands/validate';
import { main as values } from '../../src/commands/values';
import { main as synth } from '../../src/main';
import { readTree } from '../../src/synth/write';
import { main as schema } from '../../src/write-schema';
import { type AsyncMain, type Main, runAsyncMain, runMain } from '../helpers/run-main';

const COMMANDS: readonly (readonly [string, Main, readonly string[], string])[] = [
  ['npm run synth', synth, [], '[--check] [--debug]'],
  ['npm run values', values, ['kkg', 'cilium'], '<cluster> <component> [--json]'],
  ['npm run cutover', cutover, ['kkg'], '<cluster>'],
  ['npm run bootstrap-secrets', bootstrapSecrets, ['kkg'], '<cluster>'],
  ['npm run validate', validate, [], '[--dir <output folder>] [--crds <CRD file or folder>]... [--environments <folder>] [--json]'],
  ['npm run readme', readme, [], ''],
  ['npm run schema', schema, [], ''],
];

const ASYNC_COMMANDS: readonly (readonly [string, AsyncMain, string])[] = [
  ['npm run render', render, '[--charts <folder of .tgz>]... [--nearest] [--offline] [--check] [--jobs <n>] [--helm-timeout <seconds>]'],
  [
    'npm run plan',
    plan,
    '[--markdown] [--allow-delete <component or CRD>]... [--base <dir>] [--full-report <file>] [--noise <label or annotation key>]... [--charts <folder of .tgz>]... [--nearest] [--offline] [--helm-timeout <seconds>]',
  ],
  ['npm run crds', crds, ''],
];

describe('every command', () => {
  it.each(COMMANDS)('%s refuses an unknown flag with its usage, before it reads or writes anything', (name, main, args, usage) => {
    // GIVEN a copy of the repository's inputs and outputs
    const dir = mkdtempSync(join(tmpdir(), 'pke-cli-'));
    for (const path of ['environments', 'dist', 'README.md']) cpSync(path, join(dir, path), { recursive: true });
    const before = readTree(dir);

    const result = runMain(main, [...args, '--chek'], { root: dir });

    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')[0]).toBe(
      `${name}: unknown option --chek; usage: ${name}${name === 'npm run readme' || name === 'npm run schema' ? '' : ' --'}${usage === '' ? '' : ` ${usage}`}`,
    );
    expect(result.stderr).not.toContain('    at ');
    expect(readTree(dir)).toEqual(before);
  });
});

describe('every command that waits for Helm or the network', () => {
  it.each(ASYNC_COMMANDS)('%s refuses an unknown flag with its usage, before it renders, fetches or writes anything', async (name, main, usage) => {
    const dir = mkdtempSync(join(tmpdir(), 'pke-cli-'));
    for (const path of ['environments', 'inventory', 'crds']) cpSync(path, join(dir, path), { recursive: true });
    const before = readTree(dir);

    const result = await runAsyncMain(main, ['--chek'], { root: dir });

    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')[0]).toBe(`${name}: unknown option --chek; usage: ${name} --${usage === '' ? '' : ` ${usage}`}`);
    expect(readTree(dir)).toEqual(before);
  });
});
