#!/usr/bin/env node
// What Helm alone costs when run as the render runs it: the given `helm template` runs,
// `parallel` at a time, each with the GOMAXPROCS the render gives it, output read and
// thrown away. No parsing, no checks, no files: the floor of a cold `npm run render`
// on this machine, which bench.mjs times beside the render.
//
//   node bench/helm-runner.mjs <helm> <commands.json> <parallel>
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

const [helm, commandsFile, parallelArg] = process.argv.slice(2);
const commands = JSON.parse(readFileSync(commandsFile, 'utf8'));
const parallel = Number(parallelArg);
const env = { ...process.env, GOMAXPROCS: process.env.GOMAXPROCS || String(Math.max(1, Math.floor(availableParallelism() / parallel))) };

function run(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(helm, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    child.stdout.on('data', (chunk) => out.push(chunk));
    child.stderr.on('data', () => {});
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(Buffer.concat(out).toString('utf8')) : reject(new Error(`helm ${args.slice(0, 3).join(' ')}: exit ${code}`)),
    );
  });
}

let next = 0;
await Promise.all(
  Array.from({ length: parallel }, async () => {
    while (next < commands.length) await run(commands[next++]);
  }),
);
