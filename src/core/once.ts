/** A value made on first use, then kept: `once(make)()` calls `make` the first time only. */
export function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}
