import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const workflow: any = parse(readFileSync('.github/workflows/ci.yaml', 'utf8'));
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const steps: any[] = workflow.jobs.test.steps;
const runs = steps.map((step) => String(step.run ?? ''));

describe('the pull-request workflow', () => {
  it('installs from the lock file and runs the README\'s test command', () => {
    expect(runs.findIndex((run) => run.startsWith('npm ci'))).toBeLessThan(runs.indexOf('npm test'));
    expect(readFileSync('README.md', 'utf8')).toContain('npm test ');
  });

  it('fails when dist/ is not what synth renders, and says to run synth', () => {
    const check = runs.find((run) => run.includes('npm run -s synth:check')) as string;

    expect(check).toContain('Run `npm run synth` and commit the result.');
    expect(check).toContain('exit 1');
  });

  it('compares with the base branch\'s dist/ and posts the plan as Markdown', () => {
    const plan = runs.find((run) => run.includes('npm run -s plan')) as string;

    expect(plan).toContain('--markdown --base ../base/dist');
    expect(runs.some((run) => run.includes('gh pr comment'))).toBe(true);
  });
});
