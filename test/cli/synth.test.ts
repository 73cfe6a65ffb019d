import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readTree } from '../../src/synth/write';
import { INVALID_ENVIRONMENT_MESSAGES } from '../fixtures/invalid-environments';
import { fixtureInventoryText } from '../helpers/fixture-inventory';
import { loadAll } from '../helpers/render';
import { main } from '../../src/main';
import { type Run, runEntry } from '../helpers/run-entry';
import { runMain } from '../helpers/run-main';

const VALID = readFileSync('test/fixtures/environments/lab.yaml', 'utf8');
/** The inventory synth reads for lab (`inventory/lab.yaml`). */
const INVENTORY = fixtureInventoryText(loadAll('test/fixtures/environments')[0]);

/** Writes the valid lab environment and its inventory into `dir`. */
function writeLab(dir: string): void {
  mkdirSync(join(dir, 'environments'));
  writeFileSync(join(dir, 'environments/lab.yaml'), VALID);
  mkdirSync(join(dir, 'inventory'));
  writeFileSync(join(dir, 'inventory/lab.yaml'), INVENTORY);
}

/** The one warning the lab fixture gets: a placeholder ACME contact, fine for the staging directory it uses. */
const LAB_WARNING =
  'environments/lab.yaml:23:10: /acme/email: warning: "ops@example.test" is at the reserved domain .test: ' +
  "Let's Encrypt (staging too) refuses it as an account contact, so use a real address unless this ACME server accepts it\n";

/** Runs synth in `cwd`, in this process (what a user gets from `npm run synth`, without the process start-up). */
function synth(cwd: string, ...args: string[]): Promise<Run> {
  return Promise.resolve(runMain(main, args, { root: cwd }));
}

/** Runs `npm run synth` (its node command) in `cwd` as a process of its own, as a user would. */
function synthProcess(cwd: string, ...args: string[]): Promise<Run> {
  return runEntry('src/main.ts', args, { cwd });
}

/** A folder with `environments/lab.yaml` (valid) and a `dist/` that synth rendered from it, made once. */
let template = '';

/** A fresh copy of the template folder, for one test to change. */
function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pke-cli-'));
  cpSync(template, dir, { recursive: true });
  return dir;
}

beforeAll(async () => {
  // One real synth makes the template (and builds the bundle, so the concurrent runs below do not).
  template = mkdtempSync(join(tmpdir(), 'pke-cli-template-'));
  writeLab(template);
  const first = await synth(template);
  expect(first.code, first.stderr).toBe(0);
});

describe('npm run synth', () => {
  it('renders every environment into dist/<cluster>/ and says what it wrote, as a process of its own', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pke-cli-'));
    writeLab(dir);

    const run = await synthProcess(dir);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^dist\/ written, \d+ file\(s\) changed \(\d+ files for lab\)\n/);
    expect(run.stdout).toContain('  added    dist/lab/cilium.yaml\n');
    expect(readTree(join(dir, 'dist')).has('lab/bootstrap/root-app.yaml')).toBe(true);
  });

  it('leaves dist/ unchanged on a second run', async () => {
    const dir = workspace();

    const run = await synth(dir);

    expect(run).toEqual({ code: 0, stdout: expect.stringMatching(/^dist\/ unchanged \(\d+ files for lab\)\n$/), stderr: LAB_WARNING });
  });

  it('prints warnings on stderr and still exits 0', async () => {
    const dir = workspace();

    const run = await synth(dir, '--check');

    expect(run.code).toBe(0);
    expect(run.stderr).toBe(LAB_WARNING);
    expect(run.stdout).toMatch(/^dist\/ is up to date/);
  });

  it('removes the files of a component that was switched off', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'environments/lab.yaml'), VALID.replace('navidrome: { enabled: true }', 'navidrome: { enabled: false }'));

    const run = await synth(dir);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('  removed  dist/lab/navidrome.yaml\n');
    expect(readTree(join(dir, 'dist')).has('lab/navidrome.yaml')).toBe(false);
  });

  it('with --check, fails and lists the files when dist/ is out of date, and writes nothing', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'environments/lab.yaml'), VALID.replace('revision: release-1', 'revision: release-2'));
    const before = readTree(join(dir, 'dist'));

    const run = await synth(dir, '--check');

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^dist\/ is out of date; run `npm run synth` and commit:\n {2}changed {2}dist\/lab\//);
    expect(readTree(join(dir, 'dist'))).toEqual(before);
  });
});

/** True when the newest generation of a lock folder names a holder (not `free`). */
function lockHeld(lock: string): boolean {
  try {
    const newest = Math.max(
      ...readdirSync(lock)
        .filter((name) => /^\d+$/.test(name))
        .map(Number),
    );
    return Number.isFinite(newest) && readFileSync(join(lock, String(newest)), 'utf8').startsWith('{');
  } catch {
    return false;
  }
}

describe('two synths at once', () => {
  it('take turns: the second waits for the lock of the first, then finds dist/ up to date; nothing is left next to it', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'environments/lab.yaml'), VALID.replace('revision: release-1', 'revision: release-2'));

    // GIVEN a synth that holds the lock (it takes it first thing, and keeps it while it renders)
    const first = synthProcess(dir);
    let seen = false;
    for (let i = 0; i < 60_000 && !seen; i++) {
      seen = lockHeld(join(dir, '.dist.synth-lock'));
      if (!seen) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(seen).toBe(true);

    // WHEN a second synth starts meanwhile
    const runs = await Promise.all([first, synthProcess(dir)]);

    // THEN both succeed, one after the other
    const problems = (run: { stderr: string }) => run.stderr.split('\n').filter((line) => line !== '' && !line.includes(': warning: '));
    expect(runs.map((run) => [run.code, problems(run)])).toEqual([
      [0, []],
      [0, []],
    ]);
    expect(runs.map((run) => run.stdout.split(' ')[1])).toEqual(['written,', 'unchanged']);
    expect(readTree(join(dir, 'dist')).get('lab/bootstrap/root-app.yaml')).toContain('targetRevision: release-2');
    expect(readdirSync(dir).sort()).toEqual(['.cache', '.dist.synth-lock', '.inventory.synth-lock', 'dist', 'environments', 'inventory']);
    // The lock stays as one generation that says it is free.
    expect(readdirSync(join(dir, '.dist.synth-lock')).map((name) => readFileSync(join(dir, '.dist.synth-lock', name), 'utf8'))).toEqual(['free\n']);
  });
});

describe('npm run synth on bad input', () => {
  it.concurrent.each(Object.entries(INVALID_ENVIRONMENT_MESSAGES))(
    'prints the %s problem with file:line:column, exits 1 and leaves dist/ as it was',
    async (fixture, message) => {
      const dir = workspace();
      const before = readTree(join(dir, 'dist'));
      copyFileSync(join('test/fixtures/invalid-environments', fixture, 'lab.yaml'), join(dir, 'environments/lab.yaml'));

      const run = await synth(dir);

      expect(run.code).toBe(1);
      expect(run.stderr).toBe(`environments/${message.slice(fixture.length + 1)}\n1 problem(s); dist/ was not changed.\n`);
      expect(run.stdout).toBe('');
      expect(readTree(join(dir, 'dist'))).toEqual(before);
    },
  );

  it.concurrent.each([
    [
      'a dependency switched off',
      (text: string) => `${text}  cert-manager: { enabled: false }\n`,
      'environments/lab.yaml:43:3: /components/cert-manager: component "traefik" depends on "cert-manager", which is disabled in this environment',
    ],
    [
      'a missing setting a component requires',
      (text: string) => `${text}  mk-stream: { enabled: true }\n`,
      'environments/lab.yaml:43:3: /components/mk-stream: misskey.host is required when mk-stream is enabled',
    ],
  ])('rejects %s without touching dist/', async (_name, edit, message) => {
    const dir = workspace();
    const before = readTree(join(dir, 'dist'));
    writeFileSync(join(dir, 'environments/lab.yaml'), edit(VALID));

    const run = await synth(dir);

    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')).toContain(message);
    expect(run.stderr).not.toContain('    at ');
    expect(readTree(join(dir, 'dist'))).toEqual(before);
  });

  it('reports the problems of every environment file in one run', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'environments/lab.yaml'), VALID.replace('ops@example.test', 'ops'));
    writeFileSync(join(dir, 'environments/other.yaml'), VALID.replace('label: lab', 'label: other').replace('10.20.0.5', 'nas'));

    const run = await synth(dir);

    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'environments/lab.yaml:23:10: /acme/email: expected an e-mail address, got "ops"\n' +
        'environments/other.yaml:15:11: /cluster/apiServer/host: expected an IPv4 address, got "nas"\n' +
        '2 problem(s); dist/ was not changed.\n',
    );
  });
});
