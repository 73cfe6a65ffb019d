import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readYaml } from '../../src/charts/jobs';
import { toYaml } from '../../src/synth/cluster-files';
import { ambiguousIn11 } from '../../src/synth/yaml11';

// Argo CD reads dist/ through sigs.k8s.io/yaml and go-yaml v2, a YAML 1.1 reader (gitops-engine
// pkg/utils/kube/kube.go SplitYAML, v3.5.1); reviewers' tools read YAML 1.2. dist/ must mean the same to both.

/** Strings a YAML 1.1 reader takes for something else when they are written plain. */
const TRICKY = [
  'on',
  'On',
  'ON',
  'off',
  'yes',
  'Yes',
  'no',
  'NO',
  'y',
  'Y',
  'n',
  'N',
  'true',
  'False',
  '~',
  'null',
  'Null',
  '',
  '0400',
  '0o17',
  '0x1F',
  '0b101',
  '1_000',
  '+1',
  '-2',
  '1e3',
  '.5',
  '1.',
  '.inf',
  '-.Inf',
  '.NaN',
  '1:20',
  '190:20:30.15',
  '2001-12-14',
  '2001-12-14t21:59:43.10-05:00',
  '2001-12-14 21:59:43.10 -5',
  '<<',
];
/** Strings every reader keeps as they are. */
const PLAIN = ['cluster-pool', '10.26.0.0/16', '1.18.1', 'v1.2', 'tRUE', 'onion', 'yes-no', 'a: b', '0x', '1:2:3:x'];

describe('dist/ YAML, read by YAML 1.1 (Argo CD) and YAML 1.2', () => {
  const values = Object.fromEntries([...TRICKY, ...PLAIN].map((text, i) => [`k${i}`, text]));
  const keys = Object.fromEntries(TRICKY.filter((t) => t !== '' && t !== '<<').map((text) => [text, text]));
  const typed = { replicas: 3, enabled: true, disabled: false, ratio: 0.5, nothing: null, list: ['on', 1, 'off'] };
  const document = { values, keys, typed };
  const text = toYaml(document);

  it('round-trips every string a YAML 1.1 reader would misread, as values and as keys, through YAML 1.2', () => {
    expect(parse(text)).toEqual(document);
  });

  it('round-trips them through a YAML 1.1 reader (the yaml package, version 1.1)', () => {
    expect(parse(text, { version: '1.1' })).toEqual(document);
  });

  it("round-trips them through go-yaml v2's resolution, as Argo CD reads dist/", () => {
    expect(readYaml(text)).toEqual({ values: [document] });
  });

  it('quotes only what needs it', () => {
    for (const plain of PLAIN.filter((p) => !p.includes(': '))) expect(text).toContain(`: ${plain}\n`);
    for (const tricky of TRICKY) expect(ambiguousIn11(tricky), tricky).toBe(true);
  });
});
