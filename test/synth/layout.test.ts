import { describe, expect, it } from 'vitest';
import { describeFile } from '../../src/synth/layout';

describe('describeFile', () => {
  it.each([
    ['kkg/cilium.yaml', { cluster: 'kkg', role: 'child', component: 'cilium' }],
    ['kkg/cilium/ciliumloadbalancerippool-default-ip-pool.yaml', { cluster: 'kkg', role: 'supporting', component: 'cilium' }],
    ['kkg/bootstrap/root-app.yaml', { cluster: 'kkg', role: 'bootstrap' }],
    ['kkg/bootstrap/values/argo-cd.yaml', { cluster: 'kkg', role: 'values' }],
    ['kkg/README.md', { cluster: 'kkg', role: 'document' }],
  ])('tells that %s is %o', (path, info) => {
    expect(describeFile(path)).toEqual(info);
  });

  it.each(['README.md', 'kkg/a/b/c.yaml', 'kkg/bootstrap/other/x.yaml'])('does not know %s, which the layout never writes', (path) => {
    expect(describeFile(path)).toBeUndefined();
  });
});
