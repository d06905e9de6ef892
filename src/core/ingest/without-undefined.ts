/** A copy of `o` without its undefined-valued keys, so optional fields are absent rather than undefined. */
export function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
