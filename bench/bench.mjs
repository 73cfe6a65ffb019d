#!/usr/bin/env node
// npm run bench: times `npm run synth` (as the process it starts, without npm's
// own start-up) against the floor, a plain Node script writing the same files
// with the yaml package. Medians and min–max over RUNS runs after a warm-up.
// Exits non-zero when synth is slower than MAX_RATIO × the floor.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const MAX_RATIO = 1.5;
const work = mkdtempSync(join(tmpdir(), 'pke-bench-'));

function run(label, args, env = {}) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { env: { ...process.env, ...env }, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) {
    throw new Error(`${label} failed (${result.status}):\n${result.stderr}`);
  }
  return ms;
}

function measure(label, makeArgs) {
  run(label, ...makeArgs(0)); // warm-up (also builds the synth bundle when sources changed)
  const times = [];
  for (let i = 1; i <= RUNS; i++) times.push(run(label, ...makeArgs(i)));
  times.sort((a, b) => a - b);
  return { label, median: times[Math.floor(times.length / 2)], min: times[0], max: times.at(-1) };
}

// Synth into fresh folders, so every run writes every file.
const synth = measure('synth (node scripts/run.mjs src/main.ts)', (i) => [
  ['scripts/run.mjs', 'src/main.ts'],
  { CDK8S_OUTDIR: join(work, `synth-${i}`) },
]);

// The floor writes the same files from the same objects.
const { readTree } = await import('./_read-tree.mjs');
const files = [...readTree(join(work, 'synth-1'))].map(([path, content]) => {
  const newline = content.indexOf('\n');
  return { path, header: content.slice(0, newline + 1), object: parse(content.slice(newline + 1)) };
});
const objects = join(work, 'objects.json');
writeFileSync(objects, JSON.stringify(files));
const floor = measure('floor (plain node + yaml, same files)', (i) => [['bench/floor.mjs', objects, join(work, `floor-${i}`)]]);
const empty = measure('node -e 0', () => [['-e', '0']]);

rmSync(work, { recursive: true, force: true });
const ratio = synth.median / floor.median;
const fmt = (r) => `${r.label.padEnd(44)} median ${r.median.toFixed(0).padStart(5)} ms  (min ${r.min.toFixed(0)}, max ${r.max.toFixed(0)})`;
console.log(`machine: ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ${RUNS} runs after a warm-up; ${files.length} files`);
console.log(fmt(synth));
console.log(fmt(floor));
console.log(fmt(empty));
console.log(`synth / floor = ${ratio.toFixed(2)} (target ≤ ${MAX_RATIO})`);
if (ratio > MAX_RATIO) {
  console.error(`FAIL: synth is ${ratio.toFixed(2)}× the floor`);
  process.exitCode = 1;
}
