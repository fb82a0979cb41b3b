import type { Document } from 'bson';
import { compareBsonValues, isPlainObject } from './document-values.js';
import { ErrorCode, MongoCommandError, notImplemented } from './errors.js';
import { collectPathValues } from './key-encoding.js';

type SortSpec = Array<{ path: string; direction: 1 | -1 }>;

/** Reads a `sort` document the way MongoDB does: each value 1 or -1 (any numeric type), in order. */
export function parseSort(sort: Document): SortSpec {
  return Object.entries(sort).map(([path, value]) => {
    if (isPlainObject(value) && '$meta' in value) throw notImplemented(`$meta sort (${String(value.$meta)})`);
    const direction = Number(typeof value === 'object' && value !== null ? (value as { valueOf(): unknown }).valueOf() : value);
    if (direction !== 1 && direction !== -1) {
      throw new MongoCommandError(ErrorCode.Location15975, '$sort key ordering must be 1 (for ascending) or -1 (for descending)');
    }
    if (path === '') throw new MongoCommandError(ErrorCode.EmptyFieldName, 'FieldPath cannot be constructed with empty string');
    return { path, direction };
  });
}

/**
 * Sorts documents by MongoDB's rules: a field holding an array sorts by its smallest element
 * ascending and its largest descending, values of different types in BSON's canonical order,
 * missing as null. Ties keep their order (the sort is stable).
 */
export function sortDocuments<T extends Document>(docs: readonly T[], sort: Document): T[] {
  const spec = parseSort(sort);
  if (spec.length === 0) return [...docs];
  const keyed = docs.map((doc, index) => ({ doc, index, keys: spec.map(({ path, direction }) => sortKey(doc, path, direction)) }));
  keyed.sort((a, b) => {
    for (let k = 0; k < spec.length; k++) {
      const order = compareBsonValues(a.keys[k], b.keys[k]) * spec[k].direction;
      if (order !== 0) return order;
    }
    return a.index - b.index;
  });
  return keyed.map((entry) => entry.doc);
}

/** The value a document sorts by on one path: the least of its values ascending, the greatest descending. */
function sortKey(doc: Document, path: string, direction: 1 | -1): unknown {
  const values = collectPathValues(doc, path);
  let best = values[0];
  for (let i = 1; i < values.length; i++) {
    if (compareBsonValues(values[i], best) * direction < 0) best = values[i];
  }
  return best;
}
