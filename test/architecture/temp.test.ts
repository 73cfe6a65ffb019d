import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import setup, { RUN_TEMP_PREFIX } from '../helpers/temp-root';

describe('temporary folders of a test run', () => {
  it('go into the run’s own folder, in the tests and in the processes they start', () => {
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(require("node:os").tmpdir())'], { encoding: 'utf8' });

    expect(basename(tmpdir())).toMatch(new RegExp(`^${RUN_TEMP_PREFIX}`));
    expect(child.stdout).toBe(tmpdir());
  });

  it('go with the run: its folder is removed at the end, whatever is in it, and TMPDIR is what it was', () => {
    const before = process.env.TMPDIR;
    const teardown = setup();
    const root = process.env.TMPDIR as string;
    mkdirSync(join(root, 'pke-render-x', 'cache'), { recursive: true });
    writeFileSync(join(root, 'pke-render-x', 'cache', 'bodies.json'), '[]');

    teardown();

    expect(existsSync(root)).toBe(false);
    expect(process.env.TMPDIR).toBe(before);
  });
});
