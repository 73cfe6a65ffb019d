import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { readTree } from '../../src/synth/write';

describe('cdk8s synth', () => {
  it('runs the same app through cdk8s.yaml and writes the same files as npm run synth', async () => {
    const outdir = join(mkdtempSync(join(tmpdir(), 'pke-cdk8s-')), 'out');

    await promisify(execFile)(resolve('node_modules/.bin/cdk8s'), ['synth', '--output', outdir, '--no-check-upgrade'], {
      env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' },
    });

    expect(readTree(outdir)).toEqual(readTree('dist'));
  });
});
