/**
 * `node scripts/run.mjs bench/load-scale.ts <n> <m>`: how the environment loader's time grows with
 * the number of problems in a file. Loads `environments/kkg.yaml` with n and then m unknown
 * top-level keys appended (one problem each, every one mapped to its line and column), the best of
 * three runs each after a warm-up, and prints `{"n":…,"m":…,"nMs":…,"mMs":…}`. Linear growth gives
 * a ratio near m/n; a quadratic step (a key looked up by scanning its mapping, the parser's own
 * duplicate-key check) gives (m/n)^2. `npm run bench` gates the ratio; the tests check only that
 * every problem is reported, never the time.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadEnvironment } from '../src/config/load';
import { UserError } from '../src/core/user-error';
import { componentIds } from '../src/platform/index';

const FILE = 'environments/kkg.yaml';

/** Milliseconds to load the file with `count` unknown keys appended (best of three), after checking every one is reported. */
function measure(count: number): number {
  const text = readFileSync(FILE, 'utf8') + Array.from({ length: count }, (_, i) => `k${i}: ${i}\n`).join('');
  let best = Infinity;
  for (let run = 0; run < 3; run++) {
    const start = performance.now();
    let problems = 0;
    try {
      loadEnvironment(FILE, text, componentIds);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      problems = error.problems.length;
    }
    best = Math.min(best, performance.now() - start);
    if (problems !== count) throw new Error(`expected ${count} problems, got ${problems}`);
  }
  return best;
}

export function main(argv: readonly string[]): number {
  const [n, m] = argv.map(Number);
  measure(Math.min(n, 1000)); // warm-up: V8 compiles the loader
  process.stdout.write(`${JSON.stringify({ n, m, nMs: measure(n), mMs: measure(m) })}\n`);
  return 0;
}
