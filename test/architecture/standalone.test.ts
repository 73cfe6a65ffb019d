import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/** Folders that are installed, cached or generated, or hold binary packages. */
const SKIPPED = new Set(['node_modules', '.git', '.cache', 'coverage', 'dist', 'imports', 'test/fixtures/charts']);

/** Every text file of the repository, relative to its root. */
function repositoryFiles(dir = '.'): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = dir === '.' ? entry.name : join(dir, entry.name);
    if (SKIPPED.has(path)) return [];
    return entry.isDirectory() ? repositoryFiles(path) : [path];
  });
}

describe('the repository', () => {
  it("refers to no folder beside it: no file names the team's shared folder, not even in a comment", () => {
    const files = repositoryFiles().filter((file) => file !== 'test/architecture/standalone.test.ts'); // this file spells the pattern

    expect(files.length).toBeGreaterThan(100);
    expect(files.filter((file) => /\.\.\/shared|\/work\/shared/.test(readFileSync(file, 'utf8')))).toEqual([]);
  });

  it('imports its CRD classes from the vendored crds/ only', () => {
    const imports = (parse(readFileSync('cdk8s.yaml', 'utf8')) as { imports: string[] }).imports;

    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((entry) => !/^[a-z0-9-]+:=crds\/[a-z0-9-]+\/[A-Za-z0-9._-]+\.yaml$/.test(entry))).toEqual([]);
  });
});
