import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const REPO = resolve('.');

/** A throwaway copy of the repository (sources, CRDs, environments, inventories, scripts), sharing node_modules and the caches. */
function copyOfRepository(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'pke-new-component-')), 'main');
  mkdirSync(dir);
  for (const entry of ['src', 'imports', 'crds', 'environments', 'inventory', 'scripts', 'package.json', 'tsconfig.json', 'cdk8s.yaml']) {
    cpSync(join(REPO, entry), join(dir, entry), { recursive: true });
  }
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  // Compiled schema validators, renders, chart packages and Helm are keyed by content, so the copy may share them (its bundle may not).
  mkdirSync(join(dir, '.cache'));
  for (const cache of ['validate', 'render', 'charts', 'helm']) {
    mkdirSync(join(REPO, '.cache', cache), { recursive: true });
    symlinkSync(join(REPO, '.cache', cache), join(dir, '.cache', cache));
  }
  return dir;
}

function edit(path: string, change: (text: string) => string): void {
  writeFileSync(path, change(readFileSync(path, 'utf8')));
}

describe('adding a component in three steps (README)', () => {
  it('puts the new component in the output of every cluster, in the wave after its dependency', { timeout: 120_000 }, async () => {
    const dir = copyOfRepository();

    // 1. Add src/platform/<id>.ts (and its id to the ComponentId union)
    writeFileSync(
      join(dir, 'src/platform/whoami.ts'),
      [
        "import type { ComponentSpec } from './types';",
        '',
        '/** A tiny web service that answers with its own request. */',
        'export const whoami = {',
        "  id: 'whoami',",
        "  description: 'Echo service.',",
        "  repoUrl: 'https://charts.example.test',",
        "  chart: 'whoami',",
        "  version: '1.2.3',",
        "  namespace: 'whoami',",
        "  releaseName: 'whoami',",
        "  dependsOn: ['traefik'],",
        '  values: (env) => ({ ingress: { host: `whoami.${env.domains.internal}` } }),',
        '} satisfies ComponentSpec;',
        '',
      ].join('\n'),
    );
    edit(join(dir, 'src/platform/types.ts'), (text) => text.replace("  | 'uptime-kuma';", "  | 'uptime-kuma'\n  | 'whoami';"));
    // 2. Register it in src/platform/index.ts
    edit(join(dir, 'src/platform/index.ts'), (text) =>
      text
        .replace("import { uptimeKuma } from './uptime-kuma';", "import { uptimeKuma } from './uptime-kuma';\nimport { whoami } from './whoami';")
        .replace('  uptimeKuma,\n];', '  uptimeKuma,\n  whoami,\n];'),
    );
    // 3. npm run render (here from the offline chart folders, the new chart among them), then npm run synth
    const charts = ['test/fixtures/charts', 'test/fixtures/test-charts'].flatMap((folder) => ['--charts', join(REPO, folder)]);
    const render = await promisify(execFile)(process.execPath, [join(dir, 'scripts/run.mjs'), 'src/commands/render.ts', ...charts, '--nearest', '--offline'], {
      cwd: dir,
      env: { ...process.env, CDK8S_OUTDIR: '' },
    });
    const { stdout } = await promisify(execFile)(process.execPath, [join(dir, 'scripts/run.mjs'), 'src/main.ts'], {
      cwd: dir,
      env: { ...process.env, CDK8S_OUTDIR: '' },
    });

    expect(render.stdout).toContain('+ whoami: 3 objects');
    expect(readFileSync(join(dir, 'inventory/kkg.yaml'), 'utf8')).toContain('- apps/v1 Deployment whoami/whoami');
    expect(stdout).toContain('  added    dist/kkg/whoami.yaml\n');
    for (const cluster of ['example', 'kkg']) {
      const app = parse(readFileSync(join(dir, `dist/${cluster}/whoami.yaml`), 'utf8'));
      expect(app.metadata.annotations['argocd.argoproj.io/sync-wave'], cluster).toBe('5');
      expect(app.spec.source.helm.valuesObject.ingress.host, cluster).toMatch(/^whoami\./);
      const project = parse(readFileSync(join(dir, `dist/${cluster}/bootstrap/appproject-platform.yaml`), 'utf8'));
      expect(project.spec.sourceRepos, cluster).toContain('https://charts.example.test');
    }
  });
});
