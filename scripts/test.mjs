#!/usr/bin/env node
// npm test: the type check (tsc --noEmit, incremental) and every vitest test, run side
// by side so that the type check fills the time vitest waits on child processes (Helm,
// git, a real synth). tsc's output is printed after vitest's, and the exit code is
// non-zero when either fails. Arguments go to vitest.
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

const tsc = spawn(bin('tsc'), ['--noEmit', '--incremental', '--tsBuildInfoFile', '.cache/tsc/tsbuildinfo'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
const tscOutput = [];
tsc.stdout.on('data', (chunk) => tscOutput.push(chunk));
tsc.stderr.on('data', (chunk) => tscOutput.push(chunk));
const tscDone = new Promise((done) => tsc.on('close', (code, signal) => done(code ?? (signal === null ? 1 : 128))));

const vitest = spawn(bin('vitest'), ['run', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
const vitestDone = new Promise((done) => vitest.on('close', (code, signal) => done(code ?? (signal === null ? 1 : 128))));

const [typeCheck, tests] = await Promise.all([tscDone, vitestDone]);
if (typeCheck !== 0) {
  process.stdout.write(Buffer.concat(tscOutput));
  process.stderr.write(`tsc --noEmit found type errors (exit ${typeCheck})\n`);
}
process.exitCode = typeCheck !== 0 ? typeCheck : tests;
