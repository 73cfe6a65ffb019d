import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLAN_COMMENT_MARKER } from '../../src/plan/report';

const SCRIPT = join(process.cwd(), 'scripts/ci/plan-comment.sh');
const BASE = 'a'.repeat(40);
const HEAD = 'b'.repeat(40);

/** Runs the script with an `npm` on PATH that logs its arguments and prints what the plan would (`FAKE_PLAN`, exit `FAKE_CODE`). */
function planComment(env: Record<string, string>): { code: number | null; comment: string; npm: string } {
  const dir = mkdtempSync(join(tmpdir(), 'plan-comment-'));
  writeFileSync(
    join(dir, 'npm'),
    '#!/usr/bin/env bash\nprintf "%s\\n" "$*" >> "$FAKE_LOG"\nprintf "%s" "$FAKE_PLAN"\n[ -n "$FAKE_ERR" ] && echo "$FAKE_ERR" >&2\nexit "${FAKE_CODE:-0}"\n',
  );
  chmodSync(join(dir, 'npm'), 0o755);
  writeFileSync(join(dir, 'npm.log'), '');
  const out = join(dir, 'plan.md');
  const result = spawnSync('bash', [SCRIPT, out], {
    encoding: 'utf8',
    env: {
      PATH: `${dir}:${process.env.PATH ?? ''}`,
      FAKE_LOG: join(dir, 'npm.log'),
      BASE_SHA: BASE,
      HEAD_SHA: HEAD,
      BASE_DIST: '../base/dist',
      FAKE_PLAN: '',
      FAKE_ERR: '',
      ...env,
    },
  });
  return { code: result.status, comment: readFileSync(out, 'utf8'), npm: readFileSync(join(dir, 'npm.log'), 'utf8') };
}

describe('scripts/ci/plan-comment.sh', () => {
  it("puts the commits it compared under the plan's heading, and passes every allow-delete: line of the description", () => {
    const plan = `${PLAN_COMMENT_MARKER}\n## Argo CD plan\n\nNo changes.\n`;
    const result = planComment({ FAKE_PLAN: plan, PR_BODY: 'Removes two.\r\nallow-delete: navidrome\r\nallow-delete:   mk-stream\r\n' });

    expect(result.code).toBe(0);
    expect(result.npm).toBe('run -s plan -- --markdown --base ../base/dist --allow-delete navidrome --allow-delete mk-stream\n');
    expect(result.comment).toBe(
      `${PLAN_COMMENT_MARKER}\n## Argo CD plan\n\nCompared base \`${BASE.slice(0, 12)}\` (what Argo CD syncs now) with head \`${HEAD.slice(0, 12)}\`.\n\nNo changes.\n`,
    );
  });

  it("passes on the plan's verdict: a plan that is not safe to merge fails", () => {
    const result = planComment({ FAKE_PLAN: `${PLAN_COMMENT_MARKER}\n## Argo CD plan\n\n⛔ removes navidrome\n`, FAKE_CODE: '1' });

    expect(result.code).toBe(1);
    expect(result.comment.startsWith(`${PLAN_COMMENT_MARKER}\n`)).toBe(true);
  });

  it('says the plan failed, with its error, when it printed nothing', () => {
    const result = planComment({ FAKE_CODE: '1', FAKE_ERR: 'npm run plan: something broke' });

    expect(result.code).toBe(1);
    expect(result.comment).toContain(`${PLAN_COMMENT_MARKER}\n## Argo CD plan\n\nCompared base`);
    expect(result.comment).toContain('npm run plan: something broke');
  });

  it("shows the render's log instead of a plan when the checks failed, and plans nothing", () => {
    const dir = mkdtempSync(join(tmpdir(), 'render-log-'));
    writeFileSync(join(dir, 'render.txt'), 'inventory/kkg.yaml out of date; run `npm run render` and commit\n');
    const result = planComment({ CHECKS_CODE: '1', RENDER_LOG: join(dir, 'render.txt') });

    expect(result.code).toBe(1);
    expect(result.npm).toBe('');
    expect(result.comment).toContain(`Compared base \`${BASE.slice(0, 12)}\``);
    expect(result.comment).toContain('inventory/kkg.yaml out of date');
  });
});
