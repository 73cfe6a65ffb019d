/**
 * What synth will render from each cluster's inventory, checked as synth checks it,
 * worked out once per inventory. While Helm still renders the clusters to come,
 * their committed inventories are checked ahead; a cluster whose rendered inventory
 * reads the same as its committed one (a fresh clone's `--check`, every cluster a
 * bump leaves alone) then has nothing left to check once its charts are rendered,
 * and one whose inventory changed is checked again.
 */
import type { Environment } from '../config/environment';
import type { Inventory } from '../inventory/inventory';

/** An inventory, and its text as written (`serializeInventory`, or the committed file). */
export interface InventoryText {
  readonly inventory: Inventory;
  readonly text: string;
}

/** A check's result, with the inventory it was made from (as written). */
export interface InventoryCheck {
  readonly inventoryText: string;
}

/** Checks per cluster, made ahead from committed inventories or from the rendered ones. */
export class ClusterChecks<T extends InventoryCheck> {
  private readonly ahead = new Map<string, Promise<T>>();
  private readonly renderedClusters = new Set<string>();
  private readonly results = new Map<string, T>();
  /** Checks run, and checks made ahead that a rendered cluster used. */
  public readonly counts = { checked: 0, reused: 0 };

  constructor(private readonly check: (env: Environment, inventory: Inventory, inventoryText: string) => Promise<T>) {}

  /** The check of a rendered cluster's inventory: the one made ahead when it was made from the same text, else a new one. */
  public async checkRendered(env: Environment, { inventory, text }: InventoryText): Promise<T> {
    this.renderedClusters.add(env.cluster);
    const made = await this.ahead.get(env.cluster);
    let result: T;
    if (made !== undefined && made.inventoryText === text) {
      this.counts.reused++;
      result = made;
    } else {
      result = await this.run(env, inventory, text);
    }
    this.results.set(env.cluster, result);
    return result;
  }

  /** Checks ahead, one after another, every cluster not rendered yet that has a committed inventory. */
  public async checkAhead(environments: readonly Environment[], committed: ReadonlyMap<string, InventoryText>): Promise<void> {
    for (const env of environments) {
      const found = committed.get(env.cluster);
      if (found === undefined || this.renderedClusters.has(env.cluster) || this.ahead.has(env.cluster)) continue;
      const made = this.run(env, found.inventory, found.text);
      this.ahead.set(env.cluster, made);
      await made;
    }
  }

  /** The check of a rendered cluster, once {@link checkRendered} has returned it. */
  public of(cluster: string): T | undefined {
    return this.results.get(cluster);
  }

  private run(env: Environment, inventory: Inventory, text: string): Promise<T> {
    this.counts.checked++;
    return this.check(env, inventory, text);
  }
}
