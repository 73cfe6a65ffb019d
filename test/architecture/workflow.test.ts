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
  it('runs on every change of a pull request, its description included (allow-delete:), and on main', () => {
    expect(workflow.on.pull_request.types).toEqual(['opened', 'synchronize', 'reopened', 'edited']);
    expect(workflow.on.push.branches).toEqual(['main']);
  });

  it("installs from the lock file and runs the README's test command", () => {
    expect(runs.findIndex((run) => run.startsWith('npm ci'))).toBeLessThan(runs.indexOf('npm test'));
    expect(readFileSync('README.md', 'utf8')).toContain('npm test ');
  });

  it("on Renovate's own pull requests, regenerates and commits to the branch before any check, and reports the checks on that commit", () => {
    const regen = steps.find((step) => step.id === 'regen');
    const checkout = steps[0];

    expect(workflow.jobs.test.env.RENOVATE_PR).toContain("github.event.pull_request.user.login == 'renovate[bot]'");
    expect(workflow.jobs.test.env.RENOVATE_PR).toContain('github.event.pull_request.head.repo.full_name == github.repository');
    expect(checkout.with.ref).toContain('github.event.pull_request.head.ref');
    expect(regen.if).toBe("env.RENOVATE_PR == 'true'");
    expect(regen.run).toContain('scripts/ci/regenerate.sh');
    expect(regen.run).toContain('scripts/ci/commit-regenerated.sh');
    expect(regen.env.PUSH_TO).toBe('${{ github.event.pull_request.head.ref }}');
    expect(steps.indexOf(regen)).toBeLessThan(runs.indexOf('npm test'));
    expect(workflow.permissions).toMatchObject({ contents: 'write', statuses: 'write' });
    const status = steps.at(-1);
    expect(status.if).toBe("always() && steps.regen.outputs.commit != ''");
    expect(status.run).toContain('repos/$GITHUB_REPOSITORY/statuses/$SHA');
    expect(status.run).toContain('context=test');
  });

  it('runs the checks script (synth --check, render --check) with the network it has, and fails the job when it fails', () => {
    const checks = steps.find((step) => step.id === 'checks');
    const fail = steps.at(-2);

    expect(checks.run).toContain('scripts/ci/checks.sh');
    expect(checks.run).not.toContain('--offline');
    expect(readFileSync('scripts/ci/checks.sh', 'utf8')).toContain('npm run -s synth:check');
    expect(readFileSync('scripts/ci/checks.sh', 'utf8')).toContain('npm run -s render -- --check');
    expect(fail.if).toContain("steps.checks.outputs.code != '0' ||");
    expect(fail.run).toContain('exit 1');
  });

  it("plans against the base branch's dist/ and inventory/, after the render pulled the charts, naming both commits", () => {
    const base = steps.find((step) => step.with?.path === 'base');
    const plan = steps.find((step) => step.id === 'plan');

    expect(base.with['sparse-checkout']).toBe('dist\ninventory\n');
    expect(plan.run).toContain('scripts/ci/plan-comment.sh');
    expect(plan.env).toMatchObject({ BASE_DIST: '../base/dist', BASE_SHA: '${{ github.event.pull_request.base.sha }}' });
    expect(plan.env.HEAD_SHA).toBe('${{ steps.regen.outputs.commit || github.event.pull_request.head.sha }}');
    expect(steps.indexOf(plan)).toBeGreaterThan(steps.findIndex((step) => step.id === 'checks'));
  });

  it('posts one comment and updates it on every push: found by the marker the plan starts with, created only when there is none', () => {
    const post = runs[indexOf('gh api --paginate')];

    expect(post).toContain(`startswith("${PLAN_COMMENT_MARKER}")`);
    expect(post).toMatch(/gh api --method PATCH "repos\/\$GITHUB_REPOSITORY\/issues\/comments\/\$id"/);
    expect(post).toMatch(/gh api --method POST "repos\/\$GITHUB_REPOSITORY\/issues\/\$PR\/comments"/);
    expect(runs.some((run) => run.includes('gh pr comment'))).toBe(false);
    expect(readFileSync('scripts/ci/plan-comment.sh', 'utf8')).toContain(`marker='${PLAN_COMMENT_MARKER}'`);
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
