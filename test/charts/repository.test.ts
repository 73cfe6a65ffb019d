import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChartRef, ChartStore, ChartUnavailable, OFFLINE_COMMAND, repositorySlug, withOfflineSummary } from '../../src/charts/chart-store';
import { UserError } from '../../src/core/user-error';
import { type ServedRepository, serveRepository, testHelm } from '../helpers/chart-repository';

const SIGNED = join(process.cwd(), 'test/fixtures/signed-charts');
const TEST_CHARTS = join(process.cwd(), 'test/fixtures/test-charts');
/** The repository URL the catalog would name; the store reads it from 127.0.0.1. */
const REPO = 'https://charts.example.test/stable';

const sha256 = (bytes: Buffer): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

interface Setup {
  readonly pins?: Record<string, string>;
  readonly keyring?: string;
  readonly nearest?: boolean;
  readonly timeoutMs?: number;
  readonly repoURL?: string;
}

function storeFor(served: ServedRepository, setup: Setup = {}): { store: ChartStore; cacheDir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'store-'));
  const keyringDir = join(dir, 'keys');
  mkdirSync(keyringDir);
  if (setup.keyring !== undefined) copyFileSync(setup.keyring, join(keyringDir, `${repositorySlug(setup.repoURL ?? REPO)}.gpg`));
  const store = new ChartStore({
    cacheDir: join(dir, 'charts'),
    offlineDirs: [],
    helm: testHelm(),
    mirrors: new Map([[setup.repoURL ?? REPO, served.url]]),
    keyringDir,
    nearest: setup.nearest ?? false,
    timeoutMs: setup.timeoutMs ?? 60_000,
  });
  const applications = new Map(
    Object.entries(setup.pins ?? {}).map(([ref, digest]) => {
      const [chart, version] = ref.split(' ');
      return [
        chart,
        { chart, repoURL: setup.repoURL ?? REPO, version, digest, values: '', releaseName: chart, namespace: chart, skipCrds: false, objects: [], crds: [] },
      ];
    }),
  );
  store.pin([{ cluster: 'lab', file: 'inventory/lab.yaml', kubeVersion: '1.33.0', helm: 'v4.1.4', apiVersions: [], applications }]);
  return { store, cacheDir: join(dir, 'charts') };
}

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ChartUnavailable) return error.message;
    throw error;
  }
  throw new Error('expected a failure');
}

/** Every file under a folder (the cache), to show nothing was written. */
function files(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.tgz')) : [];
}

const probe = (version = '0.1.0'): ChartRef => ({ repoURL: REPO, chart: 'probe', version });

describe('a chart repository over HTTP (served on 127.0.0.1)', () => {
  let served: ServedRepository;
  beforeAll(async () => {
    served = await serveRepository(TEST_CHARTS);
  }, 600_000);
  afterAll(() => served.close());

  it('pulls a package, checks it against the digest index.yaml publishes, and marks it published', async () => {
    const { store, cacheDir } = storeFor(served);
    const chart = await store.resolve(probe());

    const bytes = readFileSync(join(TEST_CHARTS, 'probe-0.1.0.tgz'));
    expect(chart).toMatchObject({ version: '0.1.0', source: 'pulled', published: true, digest: sha256(bytes) });
    expect(readFileSync(join(served.dir, 'index.yaml'), 'utf8')).toContain(`digest: ${sha256(bytes).slice('sha256:'.length)}`);
    expect(files(cacheDir)).toEqual([`${repositorySlug(REPO)}/probe-0.1.0.tgz`]);
    expect(served.requests).toContain('/probe-0.1.0.tgz');
  });

  it('accepts the package the inventory pins, and takes it from the cache the next time', async () => {
    const digest = sha256(readFileSync(join(TEST_CHARTS, 'probe-0.1.0.tgz')));
    const { store } = storeFor(served, { pins: { 'probe 0.1.0': digest } });
    expect(await store.resolve(probe())).toMatchObject({ published: true, digest, source: 'pulled' });
    expect(await store.resolve(probe())).toMatchObject({ published: true, digest, source: 'cache' });
  });

  it('refuses a re-tagged chart: one line with chart, version and both digests, and nothing cached', async () => {
    const pinned = `sha256:${'0'.repeat(64)}`;
    const { store, cacheDir } = storeFor(served, { pins: { 'probe 0.1.0': pinned } });
    const message = await failure(store.resolve(probe()));

    const published = sha256(readFileSync(join(TEST_CHARTS, 'probe-0.1.0.tgz')));
    expect(message).toBe(
      `probe 0.1.0 of ${REPO} was re-tagged: ${REPO}/index.yaml has ${published}, inventory/lab.yaml pins ${pinned}; ` +
        'a published version must never change: check the new package before trusting it, then remove its entry from the inventory and run `npm run render`',
    );
    expect(files(cacheDir)).toEqual([]);
  });

  it('names a version the index lacks with the versions next to it, and suggests --nearest; with it, renders the nearest', async () => {
    const { store, cacheDir } = storeFor(served);
    expect(await failure(store.resolve(probe('0.3.0')))).toBe(
      `probe 0.3.0 is not in the index of ${REPO} (read from ${served.url}) (versions 0.1.0, 0.2.0 (of 2)); fix the version, or add --nearest to render the nearest one`,
    );
    expect(files(cacheDir)).toEqual([]);

    const near = storeFor(served, { nearest: true });
    expect(await near.store.resolve(probe('0.3.0'))).toMatchObject({ version: '0.2.0', published: true });
  });

  it('refuses a package whose bytes are not what the index publishes', async () => {
    const tampered = await serveRepository(TEST_CHARTS);
    try {
      writeFileSync(join(tampered.dir, 'probe-0.1.0.tgz'), gzipSync(gunzipSync(readFileSync(join(TEST_CHARTS, 'probe-0.1.0.tgz'))), { level: 1 }));
      const { store, cacheDir } = storeFor(tampered);
      expect(await failure(store.resolve(probe()))).toMatch(
        new RegExp(
          `^${tampered.url}/probe-0\\.1\\.0\\.tgz has digest sha256:[0-9a-f]{64}, but the index of ${REPO} publishes sha256:[0-9a-f]{64} for probe 0\\.1\\.0; refusing it$`,
        ),
      );
      expect(files(cacheDir)).toEqual([]);
    } finally {
      await tampered.close();
    }
  }, 600_000);

  describe('a repository that does not answer', () => {
    it('an HTTP 500: one line with the status and the offline command, the repository asked once, nothing written', async () => {
      const broken = await serveRepository(TEST_CHARTS);
      broken.fault = 'error';
      try {
        const { store, cacheDir } = storeFor(broken);
        const first = await failure(store.resolve(probe()));
        expect(first).toBe(
          `probe-0.1.0.tgz is not in ${cacheDir} and ${REPO} (read from ${broken.url}) did not answer (${broken.url}/index.yaml: HTTP 500 Internal Server Error); connect to it, or render offline: ${OFFLINE_COMMAND}`,
        );
        expect(await failure(store.resolve(probe('0.2.0')))).toContain('HTTP 500');
        expect(broken.requests).toEqual(['/index.yaml']);
        expect(files(cacheDir)).toEqual([]);

        // The command's problems are led by one summary line.
        const summary = await withOfflineSummary(store, () => Promise.reject(new UserError([{ file: 'environments/lab.yaml', message: first }]))).catch(
          (error: Error) => error.message.split('\n'),
        );
        expect(summary).toEqual([
          `no answer from the chart repository ${REPO}: connect to it, or render from the test fixtures: ${OFFLINE_COMMAND}`,
          `environments/lab.yaml: ${first}`,
        ]);
      } finally {
        await broken.close();
      }
    }, 600_000);

    it('no answer at all: one line saying how long it waited', async () => {
      const silent = await serveRepository(TEST_CHARTS);
      silent.fault = 'hang';
      try {
        // The server never answers, so any limit is reached; a short one keeps the test short.
        const { store, cacheDir } = storeFor(silent, { timeoutMs: 500 });
        expect(await failure(store.resolve(probe()))).toBe(
          `probe-0.1.0.tgz is not in ${cacheDir} and ${REPO} (read from ${silent.url}) did not answer (${silent.url}/index.yaml: no answer within 0.5 s); connect to it, or render offline: ${OFFLINE_COMMAND}`,
        );
        expect(files(cacheDir)).toEqual([]);
      } finally {
        await silent.close();
      }
    }, 600_000);
  });
});

describe('provenance (.prov) against a keyring kept in the repository', () => {
  let served: ServedRepository;
  const whoami: ChartRef = { repoURL: REPO, chart: 'whoami', version: '1.2.3' };
  beforeAll(async () => {
    served = await serveRepository(join(SIGNED, 'repository'));
  }, 600_000);
  afterAll(() => served.close());

  it('accepts a package signed by the key in the keyring', async () => {
    const { store } = storeFor(served, { keyring: join(SIGNED, 'keys/test-signer.gpg') });
    expect(await store.resolve(whoami)).toMatchObject({ published: true, version: '1.2.3' });
    expect(store.unverifiedProvenance()).toEqual([]);
  });

  it('refuses one signed by a key the keyring does not hold', async () => {
    const { store, cacheDir } = storeFor(served, { keyring: join(SIGNED, 'keys/wrong-signer.gpg') });
    expect(await failure(store.resolve(whoami))).toMatch(
      /^whoami 1\.2\.3 of https:\/\/charts\.example\.test\/stable fails provenance verification against .*charts\.example\.test_stable\.gpg \(helm verify: openpgp: signature made by unknown entity\); refusing it$/,
    );
    expect(files(cacheDir)).toEqual([]);
  });

  it('refuses a tampered package (the index republished with its digest, the signature unchanged)', async () => {
    const tampered = await serveRepository(join(SIGNED, 'repository'));
    try {
      writeFileSync(join(tampered.dir, 'whoami-1.2.3.tgz'), gzipSync(gunzipSync(readFileSync(join(SIGNED, 'repository/whoami-1.2.3.tgz'))), { level: 1 }));
      await tampered.index();
      const { store, cacheDir } = storeFor(tampered, { keyring: join(SIGNED, 'keys/test-signer.gpg') });
      expect(await failure(store.resolve(whoami))).toMatch(
        /^whoami 1\.2\.3 of .* fails provenance verification against .*\(helm verify: .*sha256 sum does not match.*\); refusing it$/,
      );
      expect(files(cacheDir)).toEqual([]);
    } finally {
      await tampered.close();
    }
  }, 600_000);

  it('refuses an unsigned package from a repository that has a keyring', async () => {
    const unsigned = await serveRepository(TEST_CHARTS);
    try {
      const { store, cacheDir } = storeFor(unsigned, { keyring: join(SIGNED, 'keys/test-signer.gpg') });
      expect(await failure(store.resolve(probe()))).toMatch(
        new RegExp(
          `^probe 0\\.1\\.0 of ${REPO} has no provenance \\(${unsigned.url}/probe-0\\.1\\.0\\.tgz\\.prov: HTTP 404\\), but .*/keys/charts\\.example\\.test_stable\\.gpg requires every package of it to be signed; refusing it$`,
        ),
      );
      expect(files(cacheDir)).toEqual([]);
    } finally {
      await unsigned.close();
    }
  }, 600_000);

  it('without a keyring for the repository, a signed package is taken and reported as not verified', async () => {
    const { store } = storeFor(served);
    expect(await store.resolve(whoami)).toMatchObject({ published: true });
    expect(store.unverifiedProvenance()).toEqual([`whoami 1.2.3 of ${REPO}`]);
  });
});

describe('a local package (--charts)', () => {
  const local = (pins: Record<string, string>): ChartStore => {
    const store = new ChartStore({ cacheDir: join(mkdtempSync(join(tmpdir(), 'store-')), 'charts'), offlineDirs: [TEST_CHARTS] });
    const applications = new Map(
      Object.entries(pins).map(([name, digest]) => [
        name,
        { chart: 'probe', repoURL: REPO, version: '0.1.0', digest, values: '', releaseName: name, namespace: name, skipCrds: false, objects: [], crds: [] },
      ]),
    );
    store.pin([{ cluster: 'lab', file: 'inventory/lab.yaml', kubeVersion: '1.33.0', helm: 'v4.1.4', apiVersions: [], applications }]);
    return store;
  };
  const own = sha256(readFileSync(join(TEST_CHARTS, 'probe-0.1.0.tgz')));

  it('is the published one when it has exactly the digest the inventory pins as published', async () => {
    expect(await local({ probe: own }).resolve(probe())).toMatchObject({ source: 'offline', published: true, digest: own });
  });

  it('is local, and never refused for its digest, when the pin is another one or there is none', async () => {
    expect(await local({ probe: `sha256:${'0'.repeat(64)}` }).resolve(probe())).toMatchObject({ source: 'offline', published: false, digest: own });
    expect(await local({}).resolve(probe())).toMatchObject({ published: false });
  });
});
