/**
 * A bounded set of recently seen ids, oldest forgotten first. It only catches a socket's
 * quick redeliveries; the durable dedupe is the dispatcher's inbound log.
 */
export interface RecentIds {
  /** Records the id; false when it was already there (a redelivery). */
  add(id: string): boolean;
  delete(id: string): void;
  readonly size: number;
}

export function createRecentIds(limit = 2000): RecentIds {
  const ids = new Set<string>();
  return {
    add(id) {
      if (ids.has(id)) return false;
      ids.add(id);
      // A Set iterates in insertion order, so the first entry is the oldest.
      if (ids.size > limit) ids.delete(ids.values().next().value as string);
      return true;
    },
    delete(id) {
      ids.delete(id);
    },
    get size() {
      return ids.size;
    },
  };
}
