/**
 * Child process of the scaling benchmark (run by bench/bench.mjs through
 * scripts/run.mjs, like synth):
 *
 *   node scripts/run.mjs bench/scale.ts <components> <outdir> [cluster=kkg] [--validate-cache <dir>]
 *
 * Loads the environments as synth does, generates a synthetic catalog of
 * <components> components in memory, plans, renders, validates (with
 * --validate-cache: the validation's cache folder) and writes it into <outdir>,
 * and prints one JSON line: start-up, phases (ms, performance.now()),
 * garbage-collection time, and peak memory (maxRSS of process.resourceUsage()).
 */
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { loadEnvironments } from '../src/config/load';
import { componentIds } from '../src/platform/index';
import { syntheticCatalog } from './catalog';
import { measureScale } from './_measure-scale';

async function main(): Promise<void> {
  // performance.now() counts from the start of the process: node's own start-up,
  // scripts/run.mjs and loading the bundle.
  const startup = performance.now();
  const argv = process.argv.slice(2);
  const cacheFlag = argv.indexOf('--validate-cache');
  const validateCacheDir = cacheFlag === -1 ? undefined : argv.splice(cacheFlag, 2)[1];
  const [sizeArg, outdir, cluster = 'kkg'] = argv;
  const size = Number(sizeArg);
  if (!Number.isInteger(size) || outdir === undefined) {
    throw new Error('usage: node scripts/run.mjs bench/scale.ts <components> <outdir> [cluster] [--validate-cache <dir>]');
  }
  let gc = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gc += entry.duration;
  });
  observer.observe({ entryTypes: ['gc'] });

  const loadStart = performance.now();
  const env = loadEnvironments('environments', componentIds).find((candidate) => candidate.cluster === cluster);
  if (env === undefined) throw new Error(`no environments/${cluster}.yaml`);
  const generateStart = performance.now();
  const catalog = syntheticCatalog(size);
  const generated = performance.now();
  const result = measureScale(env, catalog, outdir, { validateCacheDir });

  await new Promise((resolve) => setTimeout(resolve, 0)); // gc entries arrive on a later turn of the event loop
  for (const entry of observer.takeRecords()) gc += entry.duration;
  observer.disconnect();
  const usage = process.resourceUsage();
  const memory = process.memoryUsage();
  process.stdout.write(
    `${JSON.stringify({
      ...result,
      startup,
      load: generateStart - loadStart,
      generate: generated - generateStart,
      gc,
      maxRssKiB: usage.maxRSS,
      heapUsedMiB: memory.heapUsed / 2 ** 20,
    })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 2;
});
