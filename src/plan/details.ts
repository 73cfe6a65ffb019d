/**
 * What a plan shows beyond the list of changed files: what Argo CD applies for
 * each Application that changes, rendered with real Helm on both sides (the
 * render itself is `src/plan/render-both-sides.ts`; this is its result, which the
 * reports print).
 */
import type { ObjectChange } from './object-diff';

/** The rendered objects of one Application that changes, before and after. */
export interface ApplicationRender {
  readonly cluster: string;
  /** Component id = Application name. */
  readonly component: string;
  /** The chart rendered for what Argo CD syncs now (`traefik 37.0.0`); absent for an added Application. */
  readonly before?: string;
  /** The chart rendered for the change (`traefik 37.1.0`); absent for a removed Application. */
  readonly after?: string;
  /** The objects that change, in Argo CD's apply order. */
  readonly changes: readonly ObjectChange[];
  /** How many objects stay as they are (ignored and generated differences included). */
  readonly unchanged: number;
  /** Objects that differ only in fields the Application's `ignoreDifferences` leaves alone, one line each. */
  readonly ignored?: readonly string[];
  /** Objects that differ only in certificates or keys generated anew on every render ("generated, not compared"). */
  readonly generated?: readonly string[];
  /** Ignore rules the plan could not apply (the fields are compared), one line each. */
  readonly notes?: readonly string[];
  /**
   * Why a side could not be rendered, one line each; then `changes` is empty
   * and the rendered diff is missing.
   */
  readonly problems: readonly string[];
  /** Rendered only because the cluster's Kubernetes or API versions change (the Application itself does not). */
  readonly becauseOfCluster: boolean;
}

/** How much rendering a plan took. */
export interface RenderStats {
  /** Applications rendered (each on one or both sides). */
  readonly applications: number;
  /** Distinct `helm template` results used. */
  readonly renders: number;
  /** Of those, rendered now with Helm (the rest came from the cache). */
  readonly helm: number;
  /** The Helm that rendered (`v4.1.4`), when any render was needed. */
  readonly helmVersion?: string;
}

/** The rendered side of a plan. */
export interface PlanDetails {
  /** One per Application that changes (or whose cluster's render settings change), by cluster, root wave and name. */
  readonly renders: readonly ApplicationRender[];
  readonly stats: RenderStats;
  /** Worth knowing about how the plan was rendered (a base without an inventory …), one line each. */
  readonly notes: readonly string[];
}

/** Nothing rendered. */
export const NO_DETAILS: PlanDetails = { renders: [], stats: { applications: 0, renders: 0, helm: 0 }, notes: [] };

/** Every problem of the rendered side, one line each. */
export function renderProblems(details: PlanDetails): string[] {
  return details.renders.flatMap((render) => render.problems);
}
