import { describe, expect, it } from 'vitest';
import { transitiveReduction } from '../../src/graph/reduction';

const graph = (entries: Record<string, string[]>): Map<string, string[]> => new Map(Object.entries(entries));

describe('transitiveReduction', () => {
  it('leaves out a dependency that another dependency already implies', () => {
    // cni <- certs <- ingress <- app, and app also names cni and certs directly
    const reduced = transitiveReduction(graph({ cni: [], certs: ['cni'], ingress: ['certs'], app: ['cni', 'certs', 'ingress'] }));

    expect(Object.fromEntries(reduced)).toEqual({ cni: [], certs: ['cni'], ingress: ['certs'], app: ['ingress'] });
  });

  it('keeps both sides of a diamond, which no single path implies', () => {
    const reduced = transitiveReduction(graph({ base: [], left: ['base'], right: ['base'], top: ['left', 'right', 'base'] }));

    expect(reduced.get('top')).toEqual(['left', 'right']);
    expect(reduced.get('left')).toEqual(['base']);
  });

  it('finds implied dependencies over long paths and keeps the order of the rest', () => {
    const reduced = transitiveReduction(graph({ a: [], b: ['a'], c: ['b'], d: ['c'], e: ['x', 'a', 'd', 'b'], x: [] }));

    expect(reduced.get('e')).toEqual(['x', 'd']);
  });

  it('drops a dependency named twice only once, and treats unknown nodes as leaves', () => {
    const reduced = transitiveReduction(graph({ app: ['db', 'db', 'cache'], cache: ['db'] }));

    expect(reduced.get('app')).toEqual(['cache']);
    expect(reduced.get('cache')).toEqual(['db']);
  });
});
