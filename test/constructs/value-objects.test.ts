import { describe, expect, it } from 'vitest';
import { DeletionPolicy } from '../../src/constructs/deletion-policy';
import { SyncOption } from '../../src/constructs/sync-option';
import { SyncWave } from '../../src/constructs/sync-wave';

describe('SyncOption', () => {
  it('renders options as Key=value in the order given, without duplicates', () => {
    const rendered = SyncOption.render([SyncOption.createNamespace(), SyncOption.serverSideApply(), SyncOption.createNamespace()]);

    expect(rendered).toEqual(['CreateNamespace=true', 'ServerSideApply=true']);
  });

  it('refuses Replace next to ServerSideApply, since Replace would silently win', () => {
    expect(() => SyncOption.render([SyncOption.serverSideApply(), SyncOption.replace()])).toThrow(
      'Replace=true overrides ServerSideApply=true; use one of them',
    );
  });
});

describe('SyncWave', () => {
  it('renders the wave annotation as a string', () => {
    expect(SyncWave.of(-1).annotation()).toEqual({ 'argocd.argoproj.io/sync-wave': '-1' });
  });

  it('rejects a wave that is not a whole number', () => {
    expect(() => SyncWave.of(1.5)).toThrow('a sync-wave must be a whole number, got 1.5');
  });
});

describe('DeletionPolicy', () => {
  it('cascades through the foreground resources finalizer', () => {
    expect(DeletionPolicy.cascade().finalizers()).toEqual(['resources-finalizer.argocd.argoproj.io']);
  });

  it('protects with no finalizer and keeps the reason', () => {
    const policy = DeletionPolicy.protect('CNI');

    expect(policy.finalizers()).toEqual([]);
    expect(policy.isProtected).toBe(true);
    expect(policy.reason).toBe('CNI');
  });

  it('requires a reason to protect a component', () => {
    expect(() => DeletionPolicy.protect(' ')).toThrow('a protected component needs the reason it is protected');
  });
});
