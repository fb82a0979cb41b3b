import type { Document } from 'bson';
import { Query } from './mingo-context.js';
import { isPlainObject } from './document-values.js';
import { badValue, notImplemented } from './errors.js';
import { collectPathValues, encodeKey } from './key-encoding.js';
import { normalizeFilter } from './normalize-filter.js';

/** Compiles a filter once; rejects non-object filters the way MongoDB does. */
export function compileFilter(filter: unknown): Query {
  if (filter !== undefined && filter !== null && !isPlainObject(filter)) throw badValue('filter must be an object');
  return new Query(normalizeFilter((filter ?? {}) as Document));
}

export type Matcher = (doc: Document) => boolean;

/**
 * A predicate for the filter. Plain equalities on scalars (findById, lookups by phone)
 * are matched directly on encoded keys, skipping mingo's per-query compilation; anything
 * else goes through mingo.
 */
export function compileMatcher(filter: Document): Matcher {
  const equalities = simpleEqualities(filter);
  if (equalities) {
    return (doc) => equalities.every(([path, key]) => collectPathValues(doc, path).some((value) => encodeKey(value) === key));
  }
  rejectUncomparableValues(filter);
  const query = compileFilter(filter);
  return (doc) => query.test(doc);
}

const ORDERING_OPERATORS = new Set(['$gt', '$gte', '$lt', '$lte']);

/**
 * mingo compares Decimal128 wrongly (1.0 and 1.00 differ, 5 and Decimal128 5 too) and
 * orders int64 beyond 2^53 by its digits; refuse such filters rather than answer a silently
 * wrong result. Equality on such a Long is exact (only values beyond 2^53 stay Long), so it
 * is allowed.
 */
export function rejectUncomparableValues(value: unknown, ordering = false): void {
  if (value === null || typeof value !== 'object') return;
  const bsonType = (value as { _bsontype?: string })._bsontype;
  if (bsonType === 'Decimal128' || (bsonType === 'Long' && ordering)) throw notImplemented(`${ordering ? 'range queries' : 'queries'} on ${bsonType} values`);
  if (Array.isArray(value)) for (const item of value) rejectUncomparableValues(item, ordering);
  else if (isPlainObject(value)) for (const [key, item] of Object.entries(value)) rejectUncomparableValues(item, ordering || ORDERING_OPERATORS.has(key));
}

function simpleEqualities(filter: Document): Array<[string, string]> | undefined {
  if (!isPlainObject(filter)) return undefined;
  const pairs: Array<[string, string]> = [];
  for (const [path, value] of Object.entries(filter)) {
    if (path.startsWith('$') || !isSimpleScalar(value)) return undefined;
    pairs.push([path, encodeKey(value)]);
  }
  return pairs;
}

/** Values whose MongoDB equality is exactly key equality with any reached value. */
function isSimpleScalar(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return !Number.isNaN(value);
  if (value instanceof Date) return true;
  const bsonType = (value as { _bsontype?: string })._bsontype;
  return bsonType === 'ObjectId';
}
