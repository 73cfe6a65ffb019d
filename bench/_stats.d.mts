/** Median, minimum, maximum and count of a list of numbers. */
export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: number;
}
export declare function summarize(values: readonly number[]): Summary;

/** One point of the scaling curve: catalog size and the time t(N) it took. */
export interface SizePoint {
  readonly size: number;
  readonly time: number;
}
/** Slope between two consecutive sizes, in time units per component. */
export interface Marginal {
  readonly from: number;
  readonly to: number;
  readonly perComponent: number;
}
export declare function marginals(points: readonly SizePoint[]): Marginal[];

/** A measured value against its limit; `pass` when value ≤ limit. */
export interface Target {
  readonly name: string;
  readonly value: number;
  readonly limit: number;
  readonly unit: string;
  readonly pass: boolean;
}
export declare function target(name: string, value: number, limit: number, unit?: string): Target;
