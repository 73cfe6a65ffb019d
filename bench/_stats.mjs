// Statistics of the benchmark: plain functions on arrays of numbers, no I/O.

/**
 * Median, minimum and maximum of a non-empty list (the median of an even
 * count is the mean of the two middle values).
 */
export function summarize(values) {
  if (values.length === 0) throw new Error('summarize: no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], runs: sorted.length };
}

/**
 * Marginal cost per component between consecutive sizes: for points sorted by
 * size, (t(N) − t(prev)) / (N − prev), where prev is the next smaller size.
 * The first point has no marginal cost (it is the baseline).
 */
export function marginals(points) {
  const sorted = [...points].sort((a, b) => a.size - b.size);
  return sorted.slice(1).map((point, index) => {
    const previous = sorted[index];
    if (point.size === previous.size) throw new Error(`marginals: size ${point.size} twice`);
    return { from: previous.size, to: point.size, perComponent: (point.time - previous.time) / (point.size - previous.size) };
  });
}

/** A target: a measured value against a limit (`value ≤ limit` passes). */
export function target(name, value, limit, unit = '') {
  return { name, value, limit, unit, pass: Number.isFinite(value) && value <= limit };
}
