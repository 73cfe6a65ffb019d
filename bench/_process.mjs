// Timing whole processes: wall time from spawn to exit, measured by this process
// with process.hrtime (node's own start-up included, npm's not).
import { spawnSync } from 'node:child_process';
import { summarize } from './_stats.mjs';

/**
 * Runs `command args` to completion; returns its wall time in ms and its output.
 * Throws with the child's stderr when it exits non-zero (unless `allowFailure`).
 */
export function timeProcess(label, command, args, { env = {}, cwd, allowFailure = false } = {}) {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.error !== undefined) throw new Error(`${label}: ${result.error.message}`);
  if (result.status !== 0 && !allowFailure) {
    throw new Error(`${label} failed (exit ${result.status ?? result.signal}):\n${tail(result.stderr || result.stdout)}`);
  }
  return { ms, status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * One warm-up run (index 0: builds bundles, fills V8's code cache and the file
 * cache), then `runs` measured runs (indices 1..runs). `makeRun(i)` returns
 * [command, args, options]; `onRun(result, i)` may collect what a run printed.
 */
export function repeat(label, runs, makeRun, onRun = () => {}) {
  const [command, args, options] = makeRun(0);
  timeProcess(label, command, args, options);
  const times = [];
  for (let i = 1; i <= runs; i++) {
    const [command, args, options] = makeRun(i);
    const result = timeProcess(label, command, args, options);
    times.push(result.ms);
    onRun(result, i);
  }
  return { label, ...summarize(times) };
}

/**
 * Like {@link repeat} for several commands at once, interleaved: after one
 * warm-up each, run i of every command follows run i of the one before, so a
 * machine that gets busier or quieter during the benchmark biases none of them.
 * `specs` are { label, makeRun }; returns one summary per spec, in order.
 */
export function repeatInterleaved(specs, runs) {
  for (const { label, makeRun } of specs) {
    const [command, args, options] = makeRun(0);
    timeProcess(label, command, args, options);
  }
  const times = specs.map(() => []);
  for (let i = 1; i <= runs; i++) {
    specs.forEach(({ label, makeRun }, k) => {
      const [command, args, options] = makeRun(i);
      times[k].push(timeProcess(label, command, args, options).ms);
    });
  }
  return specs.map(({ label }, k) => ({ label, ...summarize(times[k]) }));
}

/** The last lines of a child's output, for error messages (colours removed). */
export function tail(text, lines = 20) {
  return stripAnsi(text).trimEnd().split('\n').slice(-lines).join('\n');
}

/**
 * What failed in a test run's output: the lines naming a failed test, file or
 * type error (colours removed); the last lines when there are none.
 */
export function failures(text, lines = 15) {
  const found = stripAnsi(text)
    .split('\n')
    .filter((line) => /^\s*(FAIL\b|×)|error TS\d+/.test(line))
    .map((line) => line.trim());
  return found.length === 0 ? tail(text, lines) : [...new Set(found)].slice(0, lines).join('\n');
}

function stripAnsi(text) {
  // eslint-disable-next-line no-control-regex -- the escape character starts the colour codes this removes
  return text.replace(/\x1b\[[0-9;]*m/g, '');
}
