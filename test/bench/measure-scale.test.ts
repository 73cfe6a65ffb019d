import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { measureScale } from '../../bench/_measure-scale';
import { syntheticCatalog } from '../../bench/catalog';
import { readTree, withoutMarker } from '../../src/synth/write';
import { makeEnvironment } from '../helpers/make-environment';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('measureScale', () => {
  it('writes every rendered file of the synthetic catalog, like synth, and times each phase', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-test-'));
    dirs.push(dir);
    const outdir = join(dir, 'out');

    const result = measureScale(makeEnvironment(), syntheticCatalog(50), outdir);
    const written = withoutMarker(readTree(outdir));

    expect(result.components).toBe(50);
    expect(written.size).toBe(result.files);
    expect([...written.keys()].filter((path) => /^test\/[^/]+\.yaml$/.test(path))).toHaveLength(50);
    expect(result.files).toBeGreaterThan(50);
    expect(result.total).toBeCloseTo(result.phases.plan + result.phases.render + result.phases.validate + result.phases.write, 6);
    expect(result.phases.validate).toBe(0); // no cache folder given: validation skipped
  });
});
