#!/usr/bin/env node
// npm test: the static checks (tsc --noEmit, then ESLint, then Prettier --check, each with its
// cache in .cache/, then knip for unused files, exports and dependencies: knip.jsonc) one after
// another, side by side with every vitest test, so that they fill
// the time vitest waits on child processes (Helm, git, a real synth). Their output is printed
// after vitest's, and the exit code is non-zero when any of them fails. Arguments go to vitest.
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

/** The static checks: name, command, arguments; `npm run typecheck`, `npm run lint` and `npm run knip` run the same. */
const checks = [
  ['tsc --noEmit', 'tsc', ['--noEmit', '--incremental', '--tsBuildInfoFile', '.cache/tsc/tsbuildinfo']],
  ['eslint', 'eslint', ['--cache', '--cache-location', '.cache/eslint/', '--max-warnings', '0', '.']],
  ['prettier --check', 'prettier', ['--check', '--cache', '--cache-location', '.cache/prettier/cache', '--log-level', 'warn', '.']],
  ['knip', 'knip', ['--no-progress']],
];

/** Runs `command`, keeping its output; resolves to its exit code. */
function run(command, args) {
  return new Promise((done) => {
    const child = spawn(bin(command), args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = [];
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    child.on('error', (error) => done({ code: 1, output: [Buffer.from(`${error.message}\n`)] }));
    child.on('close', (code, signal) => done({ code: code ?? (signal === null ? 1 : 128), output }));
  });
}

const staticChecks = (async () => {
  const failed = [];
  for (const [name, command, args] of checks) {
    const { code, output } = await run(command, args);
    if (code !== 0) failed.push({ name, code, output });
  }
  return failed;
})();

const vitest = spawn(bin('vitest'), ['run', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
const vitestDone = new Promise((done) => vitest.on('close', (code, signal) => done(code ?? (signal === null ? 1 : 128))));

const [failed, tests] = await Promise.all([staticChecks, vitestDone]);
for (const { name, code, output } of failed) {
  process.stdout.write(Buffer.concat(output));
  process.stderr.write(`${name} failed (exit ${code})\n`);
}
process.exitCode = failed.length > 0 ? failed[0].code : tests;
