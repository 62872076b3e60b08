/**
 * Maps keyed by ids and class names that came from the API. A plain `{}` would answer
 * `constructor` or `toString` with a member of Object.prototype, and an assignment to
 * `__proto__` would replace its prototype instead of adding an entry: these helpers make
 * any such name an id like any other.
 */

/** A map with no prototype, holding the own entries of `from`. */
export function idMap<T>(from?: Readonly<Record<string, T>> | null): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, from ?? {});
}

/** The own entry of `map` at `key`, never an inherited member. */
export function own<T>(map: Readonly<Record<string, T>> | null | undefined, key: string): T | undefined {
  return map && Object.hasOwn(map, key) ? map[key] : undefined;
}
