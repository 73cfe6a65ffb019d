import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PLAN_COMMENT_MARKER } from '../../src/plan/report';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const workflow: any = parse(readFileSync('.github/workflows/ci.yaml', 'utf8'));
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const steps: any[] = workflow.jobs.test.steps;
const runs = steps.map((step) => String(step.run ?? ''));
const indexOf = (text: string) => runs.findIndex((run) => run.includes(text));

describe('the pull-request workflow', () => {
  it("installs from the lock file and runs the README's test command", () => {
    expect(runs.findIndex((run) => run.startsWith('npm ci'))).toBeLessThan(runs.indexOf('npm test'));
    expect(readFileSync('README.md', 'utf8')).toContain('npm test ');
  });

  it('fails when dist/ is not what synth renders, and says to run synth', () => {
    const check = runs.find((run) => run.includes('npm run -s synth:check')) as string;

    expect(check).toContain('Run `npm run synth` and commit the result.');
    expect(check).toContain('exit 1');
  });

  it('renders every chart with the network it has, and fails the check when the render fails (admission, schemas), on pull requests and on main', () => {
    const render = steps[indexOf('npm run -s render')];
    const fail = steps.at(-1);

    expect(render.id).toBe('render');
    expect(render.run).not.toContain('--offline');
    expect(fail.if).toContain("steps.render.outputs.code != '0' ||");
    expect(fail.run).toContain('exit 1');
  });

  it("plans against the base branch's dist/ and inventory/, after the render pulled the charts", () => {
    const base = steps.find((step) => step.with?.path === 'base');

    expect(base.with['sparse-checkout']).toBe('dist\ninventory\n');
    expect(runs[indexOf('npm run -s plan')]).toContain('--markdown --base ../base/dist');
    expect(indexOf('npm run -s render')).toBeLessThan(indexOf('npm run -s plan'));
  });

  it('posts one comment and updates it on every push: found by the marker the plan starts with, created only when there is none', () => {
    const post = runs[indexOf('gh api')];

    expect(post).toContain(`startswith("${PLAN_COMMENT_MARKER}")`);
    expect(post).toMatch(/gh api --method PATCH "repos\/\$GITHUB_REPOSITORY\/issues\/comments\/\$id"/);
    expect(post).toMatch(/gh api --method POST "repos\/\$GITHUB_REPOSITORY\/issues\/\$PR\/comments"/);
    expect(runs.some((run) => run.includes('gh pr comment'))).toBe(false);
    expect(runs[indexOf('npm run -s plan')]).toContain(`marker='${PLAN_COMMENT_MARKER}'`);
  });

  it('installs Lua 5.1 before the tests, so the health check is tested in the Lua Argo CD runs', () => {
    const lua = runs.findIndex((run) => /apt-get install .*\blua5\.1\b/.test(run));

    expect(lua).toBeGreaterThan(-1);
    expect(lua).toBeLessThan(runs.indexOf('npm test'));
  });

  it('lets .ci/run install Lua 5.1 when it is missing, without failing when it cannot', () => {
    const run = readFileSync('.ci/run', 'utf8');

    expect(run).toMatch(/if ! command -v lua5\.1 .*command -v apt-get/);
    expect(run.indexOf('lua5.1')).toBeLessThan(run.indexOf('npm test'));
    expect(run).toContain('could not be installed');
  });
});
