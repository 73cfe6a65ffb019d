import { describe, expect, it } from 'vitest';
import { FORMATS } from '../../src/config/formats';
import { compareVersions, isExactVersion } from '../../src/core/versions';
import { inexactVersion } from '../../src/validate/rules/chart-versions';

const EXACT = ['1.2.3', 'v1.18.2', '0.0.18', '1.0.0-rc.1', '1.0.0+build.5', '2.0.0-beta.1+exp', '1.2.3-a-b.c'];
const NOT_EXACT = [
  '^1.2',
  '~1.2.3',
  '1.2',
  '1.x',
  '*',
  'latest',
  '>=1.2.3',
  '=1.2.3',
  'V1.2.3',
  'v01.2.3',
  '1.2.3-',
  '1.2.3-01',
  ' 1.2.3',
  '1.2.3 ',
  '1.2.3-rc..1',
];

describe('one SemVer rule', () => {
  it.each(EXACT)('%s is exact everywhere: the environment format and the chart-versions rule', (version) => {
    expect(isExactVersion(version)).toBe(true);
    expect(FORMATS['exact-version'].validate(version)).toBe(true);
    expect(inexactVersion(version)).toBeUndefined();
  });

  it.each(NOT_EXACT)('%s is refused everywhere', (version) => {
    expect(isExactVersion(version)).toBe(false);
    expect(FORMATS['exact-version'].validate(version)).toBe(false);
    expect(inexactVersion(version)).toMatch(/range|latest|not an exact version/);
  });

  it('orders by SemVer precedence, a leading v ignored and pre-releases first', () => {
    expect(['1.10.0', '1.2.1', 'v1.2.0', '1.2.0-rc.1', '0.9.9', '1.2.0-rc.10', '1.2.0-rc.2'].sort(compareVersions)).toEqual([
      '0.9.9',
      '1.2.0-rc.1',
      '1.2.0-rc.2',
      '1.2.0-rc.10',
      'v1.2.0',
      '1.2.1',
      '1.10.0',
    ]);
  });
});
