import { SYNC_WAVE_ANNOTATION } from '../core/argocd-annotations';

/**
 * An Argo CD sync-wave: resources of a lower wave are applied, and must be
 * healthy, before the next wave starts. Rendered as a quoted string, the form
 * Argo CD reads from annotations.
 */
export class SyncWave {
  /** Wave 0, where Argo CD puts every resource without a wave annotation. */
  public static readonly DEFAULT = new SyncWave(0);

  /**
   * A wave number.
   * @param wave a whole number (negative waves run before the default wave 0)
   */
  public static of(wave: number): SyncWave {
    if (!Number.isSafeInteger(wave)) {
      throw new Error(`a sync-wave must be a whole number, got ${wave}`);
    }
    return new SyncWave(wave);
  }

  private constructor(public readonly value: number) {}

  /** The annotation that puts a resource into this wave. */
  public annotation(): Record<string, string> {
    return { [SYNC_WAVE_ANNOTATION]: String(this.value) };
  }
}
