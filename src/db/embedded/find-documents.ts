import type { Document } from 'bson';
import type { Collection } from './collection.js';
import type { DataView } from './data-view.js';
import { isPlainObject } from './document-values.js';
import { notImplemented } from './errors.js';
import { compileProjection } from './find-projection.js';
import { hintedCandidates, resolveHint } from './query-hint.js';
import { compileMatcher } from './query-matcher.js';
import { sortDocuments } from './sort-documents.js';

// Kept here for callers that compile a filter next to finding documents.
export { compileMatcher } from './query-matcher.js';

export interface FindOptions {
  sort?: Document;
  skip?: number;
  limit?: number;
  projection?: Document;
  /** An index name, key pattern or `{$natural: ±1}` the documents are visited by. */
  hint?: unknown;
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

/** Matching documents in sort order, with skip, limit and projection applied. */
export function findDocuments(view: DataView, collection: Collection | undefined, filter: Document, options: FindOptions = {}): Document[] {
  if (!collection) {
    // A missing collection matches nothing, but a bad filter is still an error, as in MongoDB.
    compileMatcher(filter ?? {});
    return [];
  }
  const hint = resolveHint(collection, options.hint, filter ?? {});
  const matcher = compileMatcher(filter ?? {});
  const hasSort = options.sort && Object.keys(options.sort).length > 0;
  const matches: Document[] = [];
  const stopAt = !hasSort && options.limit ? (options.skip ?? 0) + options.limit : Infinity;
  const candidates = hint ? hintedCandidates(view, collection, hint) : view.candidates(collection, filter ?? {});
  for (const doc of candidates) {
    if (matcher(doc)) {
      matches.push(doc);
      if (matches.length >= stopAt) break;
    }
  }
  const project = compileProjection(options.projection, filter ?? {});
  let found: Document[];
  if (!hasSort) {
    const start = options.skip ?? 0;
    found = options.limit ? matches.slice(start, start + options.limit) : start > 0 ? matches.slice(start) : matches;
  } else {
    const sorted = sortDocuments(matches, options.sort as Document);
    const start = options.skip ?? 0;
    found = sorted.slice(start, options.limit ? start + options.limit : undefined);
  }
  return project ? found.map(project) : found;
}
