import type { Document } from 'bson';
import { ID_INDEX_NAME, type Collection } from './collection.js';
import type { DataView } from './data-view.js';
import { compareBsonValues, forEachRequiredCondition, isPlainObject } from './document-values.js';
import { badValue, notImplemented } from './errors.js';
import { collectPathValues } from './key-encoding.js';
import type { SecondaryIndex } from './secondary-index.js';

/** What a `hint` asks for: a collection scan in one direction, or one index. */
export type ResolvedHint =
  | { kind: 'natural'; direction: 1 | -1 }
  | { kind: 'index'; keyPattern: Record<string, number | string>; index: SecondaryIndex | undefined };

const UNKNOWN_INDEX = 'hint provided does not correspond to an existing index';

/**
 * Resolves a `hint` (index name, key pattern, or `{$natural: ±1}`) against the collection's
 * indexes; an unknown one is BadValue (2) as in MongoDB. An empty hint is no hint.
 */
export function resolveHint(collection: Collection, hint: unknown, filter: Document): ResolvedHint | undefined {
  if (hint === undefined || hint === null) return undefined;
  if (typeof hint === 'string') {
    if (hint === ID_INDEX_NAME) return { kind: 'index', keyPattern: { _id: 1 }, index: undefined };
    const index = collection.indexes.get(hint);
    if (!index) throw badValue(UNKNOWN_INDEX);
    return indexHint(index, filter);
  }
  if (!isPlainObject(hint)) throw badValue('hint must be a string or an object');
  const fields = Object.keys(hint);
  if (fields.length === 0) return undefined;
  if (fields[0] === '$natural') {
    if (fields.length > 1 || (hint.$natural !== 1 && hint.$natural !== -1)) throw badValue(UNKNOWN_INDEX);
    return { kind: 'natural', direction: hint.$natural };
  }
  if (fields.length === 1 && fields[0] === '_id' && hint._id === 1) return { kind: 'index', keyPattern: { _id: 1 }, index: undefined };
  const index = [...collection.indexes.values()].find((candidate) => sameKeyPattern(candidate.spec.key, hint));
  if (!index) throw badValue(UNKNOWN_INDEX);
  return indexHint(index, filter);
}

function sameKeyPattern(key: Record<string, unknown>, hint: Record<string, unknown>): boolean {
  const keyFields = Object.keys(key);
  const hintFields = Object.keys(hint);
  return keyFields.length === hintFields.length && keyFields.every((field, i) => field === hintFields[i] && sameDirection(key[field], hint[field]));
}

/** 1 and 1.0 name the same direction; 'hashed' only matches 'hashed'. */
function sameDirection(a: unknown, b: unknown): boolean {
  return typeof a === 'string' || typeof b === 'string' ? a === b : Number(a) === Number(b);
}

/**
 * MongoDB only uses a partial index for queries that imply its filter, and a hint naming
 * one it cannot use fails. The embedded server recognises the plain case (every condition
 * of the index filter appears, as written, in the query) and does not guess beyond it.
 */
function indexHint(index: SecondaryIndex, filter: Document): ResolvedHint {
  const partial = index.spec.partialFilterExpression;
  if (partial && !filterRepeatsConditions(filter, partial)) {
    throw notImplemented(`a hint of the partial index ${index.name} for a query that does not repeat its filter`);
  }
  return { kind: 'index', keyPattern: index.spec.key, index };
}

function filterRepeatsConditions(filter: Document, partial: Document): boolean {
  const present: Array<[string, unknown]> = [];
  forEachRequiredCondition(filter, (field, condition) => present.push([field, condition]));
  let all = true;
  forEachRequiredCondition(partial, (field, condition) => {
    if (!present.some(([name, value]) => name === field && compareBsonValues(value, condition) === 0)) all = false;
  });
  return all;
}

/**
 * The documents a hinted plan visits, in its order: a collection scan in natural (insertion)
 * order or its reverse; an index scan over the documents the index holds (a sparse or
 * partial index leaves some out, as in MongoDB), ordered by its key pattern, ties in
 * natural order. A hashed index has no meaningful order, so its documents keep natural order.
 */
export function hintedCandidates(view: DataView, collection: Collection, hint: ResolvedHint): Document[] {
  const natural = [...view.candidates(collection, {})];
  if (hint.kind === 'natural') return hint.direction === 1 ? natural : natural.reverse();
  const { index, keyPattern } = hint;
  const held = index ? natural.filter((doc) => index.entriesOf(doc) !== undefined) : natural;
  const fields = Object.entries(keyPattern);
  if (fields.some(([, direction]) => typeof direction !== 'number')) return held;
  const keyed = held.map((doc) => ({ doc, key: fields.map(([field, direction]) => firstKeyValue(doc, field, direction as number)) }));
  keyed.sort((a, b) => {
    for (let i = 0; i < fields.length; i++) {
      const order = compareBsonValues(a.key[i], b.key[i]) * (fields[i][1] as number);
      if (order !== 0) return order;
    }
    return 0;
  });
  return keyed.map((entry) => entry.doc);
}

/** The key a document is first met at in an index scan: its smallest value (largest for a descending field). */
function firstKeyValue(doc: Document, field: string, direction: number): unknown {
  const values = collectPathValues(doc, field);
  let best = values[0];
  for (const value of values.slice(1)) {
    if (compareBsonValues(value, best) * direction < 0) best = value;
  }
  return best;
}
