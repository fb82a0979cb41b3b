import type { Document } from 'bson';
import { Query } from './mingo-context.js';
import { cloneValue, isPlainObject } from './document-values.js';
import { badValue, ErrorCode, MongoCommandError } from './errors.js';
import { compileFilter, compileMatcher, type Matcher } from './query-matcher.js';

export type Projector = (doc: Document) => Document;

interface SliceSpec {
  parts: string[];
  skip: number;
  limit: number | undefined;
}

interface ElemMatchSpec {
  field: string;
  matches: Matcher;
}

/**
 * A find()/findAndModify projection, MongoDB-style. mingo projects inclusions, exclusions,
 * positional `$` and computed fields; the two find-only operators are applied here, since
 * mingo reads them differently from MongoDB:
 * - `$slice` does not decide the projection's style: with no inclusions, the projection is
 *   an exclusion one and every other field comes back (`{arr: {$slice: 1}}`);
 * - `$elemMatch` takes any `$elemMatch` query condition, operator-only ones included
 *   (`{$gt: 5}` on an array of numbers), and its field comes after the included ones.
 * Included fields keep the order they have in the document (mingo puts `_id` last).
 * Returns undefined for an empty projection (whole documents).
 */
export function compileProjection(projection: Document | undefined, filter: Document): Projector | undefined {
  if (!projection || Object.keys(projection).length === 0) return undefined;
  const base: Document = {};
  const slices: SliceSpec[] = [];
  const elemMatches: ElemMatchSpec[] = [];
  const computed = new Set<string>();
  let includes = false;
  let excludes = false;
  for (const [path, spec] of Object.entries(projection)) {
    if (isPlainObject(spec) && Object.keys(spec)[0] === '$slice') {
      slices.push({ parts: path.split('.'), ...parseSlice(spec.$slice) });
    } else if (isPlainObject(spec) && Object.keys(spec)[0] === '$elemMatch') {
      if (path.includes('.')) throw new MongoCommandError(ErrorCode.Location31275, 'Cannot use $elemMatch projection on a nested field.');
      elemMatches.push({ field: path, matches: compileMatcher({ [path]: { $elemMatch: spec.$elemMatch } }) });
      includes = true;
    } else {
      base[path] = spec;
      if (typeof spec === 'number' || typeof spec === 'boolean') {
        if (path !== '_id') {
          if (spec) includes = true;
          else excludes = true;
        }
      } else {
        // A literal or an expression computes the field: inclusion-style, placed after the included fields.
        includes = true;
        computed.add(path.split('.')[0]);
      }
    }
  }
  // Only `_id` (and $slice) given: `{_id: 1}` keeps just the _id, anything else excludes.
  const inclusion = includes || (!excludes && isTruthy(base._id));
  if (inclusion) for (const slice of slices) base[slice.parts.join('.')] ??= 1;
  const onlyIdLeft = Object.keys(base).every((path) => path === '_id');
  const usesPositional = Object.keys(base).some((path) => path.endsWith('.$'));
  const query = usesPositional ? compileFilter(filter) : new Query({});

  return (doc) => {
    let result: Document;
    if (onlyIdLeft) {
      const keepId = inclusion ? base._id === undefined || isTruthy(base._id) : !('_id' in base) || isTruthy(base._id);
      result = inclusion ? (keepId && doc._id !== undefined ? { _id: doc._id } : {}) : withoutId(doc, keepId);
    } else {
      result = (query.find([doc], base as never).all()[0] as Document | undefined) ?? {};
    }
    if (inclusion) result = inDocumentOrder(result, doc, computed);
    if (slices.length > 0) {
      result = cloneValue(result);
      for (const slice of slices) applySlice(result, slice, 0);
    }
    for (const { field, matches } of elemMatches) {
      const values = doc[field];
      if (!Array.isArray(values)) continue;
      const first = values.find((element) => matches({ [field]: [element] }));
      if (first !== undefined) result[field] = [first];
    }
    return result;
  };
}

function isTruthy(value: unknown): boolean {
  return value !== undefined && value !== 0 && value !== false;
}

function withoutId(doc: Document, keepId: boolean): Document {
  if (keepId) return doc;
  const { _id: _dropped, ...rest } = doc;
  return rest;
}

/** `$slice: n` (first n, or last -n) or `$slice: [skip, limit]` (skip < 0 counts from the end). */
function parseSlice(argument: unknown): { skip: number; limit: number | undefined } {
  if (typeof argument === 'number') return argument >= 0 ? { skip: 0, limit: argument } : { skip: argument, limit: undefined };
  if (Array.isArray(argument) && argument.length === 2 && argument.every((value) => typeof value === 'number')) {
    const [skip, limit] = argument as [number, number];
    if (limit <= 0) throw badValue('$slice limit must be positive');
    return { skip, limit };
  }
  throw badValue('$slice only supports numbers and [skip, limit] arrays');
}

function sliceArray(values: unknown[], { skip, limit }: SliceSpec): unknown[] {
  const start = skip < 0 ? Math.max(values.length + skip, 0) : Math.min(skip, values.length);
  return limit === undefined ? values.slice(start) : values.slice(start, start + limit);
}

/** Slices the array at the path, through arrays of subdocuments on the way (as MongoDB does). */
function applySlice(container: unknown, slice: SliceSpec, i: number): void {
  if (Array.isArray(container)) {
    for (const element of container) applySlice(element, slice, i);
    return;
  }
  if (!isPlainObject(container)) return;
  const key = slice.parts[i];
  const value = container[key];
  if (i === slice.parts.length - 1) {
    if (Array.isArray(value)) container[key] = sliceArray(value, slice);
    return;
  }
  applySlice(value, slice, i + 1);
}

/** The projected document with its fields in the source document's order, computed fields last. */
function inDocumentOrder(result: Document, source: Document, computed: Set<string>): Document {
  const ordered: Document = {};
  for (const key of Object.keys(source)) {
    if (key in result && !computed.has(key)) ordered[key] = reorderLike(result[key], source[key]);
  }
  for (const key of Object.keys(result)) if (!(key in ordered)) ordered[key] = result[key];
  return ordered;
}

function reorderLike(value: unknown, source: unknown): unknown {
  if (Array.isArray(value) && Array.isArray(source) && value.length === source.length) {
    return value.map((element, i) => reorderLike(element, source[i]));
  }
  if (isPlainObject(value) && isPlainObject(source)) return inDocumentOrder(value, source, new Set());
  return value;
}
