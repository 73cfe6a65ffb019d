/**
 * The candidate closest to `word`, for "did you mean" hints: an edit distance of
 * at most 2 (ignoring case), else a candidate that starts with the word, else one
 * the word starts with (prefixes of at least three characters). Ties go to the
 * first candidate in alphabetical order.
 * Returns `undefined` when nothing is close.
 */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: { readonly candidate: string; readonly score: number } | undefined;
  for (const candidate of [...candidates].sort()) {
    const other = candidate.toLowerCase();
    const distance = levenshtein(lower, other);
    const long = Math.min(lower.length, other.length) >= 3;
    // Prefix matches rank after every edit-distance match; completing the word beats cutting it short.
    const score = distance <= 2 ? distance : long && other.startsWith(lower) ? 3 : long && lower.startsWith(other) ? 4 : Infinity;
    if (score !== Infinity && (best === undefined || score < best.score)) {
      best = { candidate, score };
    }
  }
  return best?.candidate;
}

/** `, did you mean "x"?` or the empty string. */
export function didYouMeanHint(word: string, candidates: readonly string[]): string {
  const suggestion = didYouMean(word, candidates);
  return suggestion === undefined ? '' : `, did you mean ${JSON.stringify(suggestion)}?`;
}

/** Edit distance (insertions, deletions, substitutions) between two strings. */
export function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length];
}
