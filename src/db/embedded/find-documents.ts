import type { Document } from 'bson';
import { Query } from 'mingo';
import type { Collection } from './collection.js';
import type { DataView } from './data-view.js';
import { isPlainObject } from './document-values.js';
import { badValue, notImplemented } from './errors.js';
import { collectPathValues, encodeKey } from './key-encoding.js';

export interface FindOptions {
  sort?: Document;
  skip?: number;
  limit?: number;
  projection?: Document;
}

/** Compiles a filter once; rejects non-object filters the way MongoDB does. */
export function compileFilter(filter: unknown): Query {
  if (filter !== undefined && filter !== null && !isPlainObject(filter)) throw badValue('filter must be an object');
  return new Query((filter ?? {}) as Document);
}

/**
 * mingo ignores collations when matching, so a case-insensitive query would silently miss
 * documents: only the binary ("simple") collation is accepted.
 */
export function rejectCollation(collation: unknown): void {
  if (collation === undefined || collation === null) return;
  if (isPlainObject(collation) && collation.locale === 'simple') return;
  throw notImplemented('collation');
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

/**
 * mingo compares Decimal128 and int64 beyond 2^53 wrongly; refuse such filters rather
 * than answer a silently wrong result.
 */
export function rejectUncomparableValues(value: unknown): void {
  if (value === null || typeof value !== 'object') return;
  const bsonType = (value as { _bsontype?: string })._bsontype;
  if (bsonType === 'Decimal128' || bsonType === 'Long') throw notImplemented(`queries on ${bsonType} values`);
  if (Array.isArray(value)) for (const item of value) rejectUncomparableValues(item);
  else if (isPlainObject(value)) for (const item of Object.values(value)) rejectUncomparableValues(item);
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

/** Matching documents in sort order, with skip, limit and projection applied. */
export function findDocuments(view: DataView, collection: Collection | undefined, filter: Document, options: FindOptions = {}): Document[] {
  if (!collection) return [];
  const matcher = compileMatcher(filter ?? {});
  const hasSort = options.sort && Object.keys(options.sort).length > 0;
  const matches: Document[] = [];
  const stopAt = !hasSort && options.limit ? (options.skip ?? 0) + options.limit : Infinity;
  for (const doc of view.candidates(collection, filter ?? {})) {
    if (matcher(doc)) {
      matches.push(doc);
      if (matches.length >= stopAt) break;
    }
  }
  const hasProjection = options.projection && Object.keys(options.projection).length > 0;
  if (!hasSort && !hasProjection) {
    const start = options.skip ?? 0;
    return options.limit ? matches.slice(start, start + options.limit) : start > 0 ? matches.slice(start) : matches;
  }
  let cursor = compileFilter(filter).find(matches, hasProjection ? (options.projection as never) : undefined);
  if (hasSort) cursor = cursor.sort(options.sort as never);
  if (options.skip) cursor = cursor.skip(options.skip);
  if (options.limit) cursor = cursor.limit(options.limit);
  return cursor.all() as Document[];
}
