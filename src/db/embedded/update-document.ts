import { ObjectId, type Document } from 'bson';
import { update as applyMingoUpdate } from 'mingo';
import { cannotCreateField, cannotTraverse, findNonViablePart, readPath, removePath, writePath } from './document-paths.js';
import {
  cloneDocument,
  cloneValue,
  compareBsonValues,
  describeType,
  forEachRequiredCondition,
  isIdenticalValue,
  isPlainObject,
  renderValue,
} from './document-values.js';
import { badValue, ErrorCode, MongoCommandError, notImplemented } from './errors.js';
import { rejectCollation } from './find-documents.js';
import { Aggregator } from './mingo-context.js';
import { checkArrayFilterUse, expandUpdatePaths, parseArrayFilters, type ConcreteEntry } from './positional-update-paths.js';
import { compilePullCondition, type ElementPredicate } from './pull-condition.js';
import { checkUpdatePaths, type UpdateEntry } from './update-path-tree.js';

const UPDATE_OPERATORS = new Set([
  '$set', '$unset', '$inc', '$mul', '$min', '$max', '$push', '$addToSet', '$pull', '$pullAll', '$pop',
  '$rename', '$currentDate', '$setOnInsert', '$bit',
]);
const PIPELINE_UPDATE_STAGES = new Set(['$addFields', '$set', '$project', '$unset', '$replaceRoot', '$replaceWith']);
/** Operators that only remove: MongoDB neither creates their path nor validates what they leave. */
const SHRINKING_OPERATORS = new Set(['$unset', '$pull', '$pullAll', '$pop']);

export type UpdateSpec = Document | Document[];

export interface UpdateOutcome {
  doc: Document;
  modified: boolean;
}

export function isOperatorUpdate(update: UpdateSpec): boolean {
  if (Array.isArray(update)) return false;
  const keys = Object.keys(update);
  return keys.length > 0 && keys[0].startsWith('$');
}

/**
 * Applies an update (operators, replacement or pipeline) to a copy of `doc`; the stored
 * document is never touched. `query` resolves the positional `$` operator.
 */
export function applyUpdate(
  doc: Document,
  update: UpdateSpec,
  options: { arrayFilters?: Document[]; query?: Document; isInsert?: boolean } = {},
): UpdateOutcome {
  if (Array.isArray(update)) return applyPipelineUpdate(doc, update);
  if (!isOperatorUpdate(update)) return applyReplacement(doc, update);
  return applyOperatorUpdate(doc, update, options);
}

/**
 * Operator updates, in MongoDB's steps: check every path against the others (sibling
 * branches such as `x.$[].a` and `x.$[].b` are fine, overlapping ones are not), turn
 * positional parts into array indexes using the document as it was, then apply each
 * concrete path in MongoDB's order. `$set`, `$unset`, `$inc`, `$mul`, `$pull` and
 * `$addToSet` are applied here; the remaining operators go to mingo one path at a time.
 */
function applyOperatorUpdate(doc: Document, update: Document, options: { arrayFilters?: Document[]; query?: Document; isInsert?: boolean }): UpdateOutcome {
  const isInsert = options.isInsert === true;
  const entries = readUpdateEntries(update);
  const usedFilters = checkUpdatePaths(entries);
  const filters = parseArrayFilters(options.arrayFilters);
  checkArrayFilterUse(entries, usedFilters, filters);
  // $setOnInsert takes part in conflict checks but only acts when the update inserts.
  const active = isInsert ? entries : entries.filter((entry) => entry.operator !== '$setOnInsert');
  const concrete = expandUpdatePaths(doc, active, { filters, query: options.query, isInsert });
  const next = cloneDocument(doc);
  const pulls = new Map<UpdateEntry, ElementPredicate>();
  let modified = false;
  for (const entry of concrete) {
    if (applyEntry(next, entry, isInsert, pulls)) modified = true;
  }
  if (!modified) return { doc, modified: false };
  assertIdUnchanged(doc, next);
  return { doc: next, modified: true };
}

function readUpdateEntries(update: Document): UpdateEntry[] {
  const entries: UpdateEntry[] = [];
  for (const [operator, fields] of Object.entries(update)) {
    if (!UPDATE_OPERATORS.has(operator)) {
      throw new MongoCommandError(ErrorCode.FailedToParse, `Unknown modifier: ${operator}. Expected a valid update modifier or pipeline-style update specified as an array`);
    }
    if (!isPlainObject(fields)) {
      throw new MongoCommandError(ErrorCode.FailedToParse, `Modifiers operate on fields but we found type ${describeType(fields)} instead.`);
    }
    for (const [path, argument] of Object.entries(fields)) entries.push({ operator, path, argument });
  }
  return entries;
}

/** Applies one concrete path of the update to `next`; returns whether it changed anything. */
function applyEntry(next: Document, entry: ConcreteEntry, isInsert: boolean, pulls: Map<UpdateEntry, ElementPredicate>): boolean {
  const { operator, parts, argument } = entry;
  if (parts[0] === '_id') {
    // Setting _id (or part of it) to what it already is is a no-op; anything else would change it.
    const setsSameValue = (operator === '$set' || operator === '$setOnInsert') && isIdenticalValue(readPath(next, parts), argument);
    if (setsSameValue) return false;
    throw immutableId();
  }
  // MongoDB 5+ stores $-prefixed field names below the top level; a top-level one is only
  // accepted when the update inserts a document (upsert), like an insert.
  if (parts[0].startsWith('$') && !isInsert && !SHRINKING_OPERATORS.has(operator)) throw dollarPrefixedField(parts[0], parts[0]);
  const stuck = operator === '$rename' ? undefined : findNonViablePart(next, parts);
  if (stuck) {
    if (operator === '$unset') return false;
    throw SHRINKING_OPERATORS.has(operator) ? cannotTraverse(parts, stuck) : cannotCreateField(parts, stuck);
  }
  const current = readPath(next, parts);
  switch (operator) {
    case '$set':
    case '$setOnInsert':
      if (current !== undefined && isIdenticalValue(current, argument)) return false;
      writePath(next, parts, cloneValue(argument));
      return true;
    case '$unset':
      return current !== undefined && removePath(next, parts);
    case '$inc':
    case '$mul':
      return applyArithmetic(next, entry, current);
    case '$pull': {
      if (current === undefined) return false;
      if (!Array.isArray(current)) throw badValue('Cannot apply $pull to a non-array value');
      let removes = pulls.get(entry.source);
      if (!removes) {
        removes = compilePullCondition(argument);
        pulls.set(entry.source, removes);
      }
      const kept = current.filter((element) => !removes(element));
      if (kept.length === current.length) return false;
      writePath(next, parts, kept);
      return true;
    }
    case '$addToSet':
      return addToSet(next, entry, current);
    default:
      return applyThroughMingo(next, entry, current);
  }
}

function applyArithmetic(next: Document, entry: ConcreteEntry, current: unknown): boolean {
  const { operator, path, parts, argument } = entry;
  if (typeof argument !== 'number') {
    throw new MongoCommandError(ErrorCode.TypeMismatch, `Cannot ${operator === '$inc' ? 'increment' : 'multiply'} with non-numeric argument: {${path}: ${renderValue(argument)}}`);
  }
  if (current !== undefined && typeof current !== 'number') {
    throw new MongoCommandError(
      ErrorCode.TypeMismatch,
      `Cannot apply ${operator} to a value of non-numeric type. {_id: ${renderValue(next._id)}} has the field '${path}' of non-numeric type ${describeType(current)}`,
    );
  }
  // A missing field counts as 0 ($mul then stores 0, never -0).
  const base = current ?? 0;
  const value = operator === '$inc' ? base + argument : current === undefined ? 0 : base * argument;
  if (current !== undefined && Object.is(value, current)) return false;
  writePath(next, parts, value);
  return true;
}

/** `$addToSet` with MongoDB's equality (type- and field-order-aware, so a Binary's subtype counts). */
function addToSet(next: Document, entry: ConcreteEntry, current: unknown): boolean {
  const { path, parts, argument } = entry;
  assertArrayOrMissing(next, path, current);
  let values: unknown[] = [argument];
  if (isPlainObject(argument) && Object.keys(argument)[0] === '$each') {
    const each = argument.$each;
    if (!Array.isArray(each)) throw badValue(`The argument to $each in $addToSet must be an array but it was of type ${describeType(each)}`);
    if (Object.keys(argument).length > 1) throw badValue(`Found unexpected fields after $each in $addToSet: ${renderValue(argument)}`);
    values = each;
  }
  const target = Array.isArray(current) ? current : [];
  const before = target.length;
  for (const value of values) {
    if (!target.some((element) => compareBsonValues(element, value) === 0)) target.push(cloneValue(value));
  }
  if (current !== undefined && target.length === before) return false;
  if (current === undefined) writePath(next, parts, target);
  return true;
}

function assertArrayOrMissing(next: Document, path: string, current: unknown): void {
  if (current !== undefined && !Array.isArray(current)) {
    throw badValue(`The field '${path}' must be an array but is of type ${describeType(current)} in document {_id: ${renderValue(next._id)}}`);
  }
}

/** $push, $pop, $pullAll, $min, $max, $rename, $currentDate and $bit, one concrete path at a time. */
function applyThroughMingo(next: Document, entry: ConcreteEntry, current: unknown): boolean {
  const { operator, path, parts, argument } = entry;
  if (parts[0].startsWith('$')) throw notImplemented(`${operator} on the top-level $-prefixed field '${parts[0]}'`);
  if (operator === '$push') assertArrayOrMissing(next, path, current);
  if ((operator === '$pullAll' || operator === '$pop') && current !== undefined && !Array.isArray(current)) {
    if (operator === '$pop') throw new MongoCommandError(ErrorCode.TypeMismatch, `Path '${path}' contains an element of non-array type '${describeType(current)}'`);
    throw badValue('Cannot apply $pull to a non-array value');
  }
  if (operator === '$rename' && typeof argument === 'string') {
    const targetParts = argument.split('.');
    const stuck = findNonViablePart(next, targetParts);
    if (stuck) throw cannotCreateField(targetParts, stuck);
  }
  const changed = applyMingoUpdate(next, { [operator]: { [path]: argument } } as never, [], {}, { cloneMode: 'deep' });
  return changed.length > 0;
}

function applyReplacement(doc: Document, replacement: Document): UpdateOutcome {
  for (const key of Object.keys(replacement)) {
    if (key.startsWith('$')) throw dollarPrefixedField(key, key);
  }
  if ('_id' in replacement && doc._id !== undefined && compareBsonValues(replacement._id, doc._id) !== 0) throw immutableId();
  const { _id: replacementId, ...rest } = replacement;
  const next: Document = { _id: doc._id ?? replacementId, ...cloneValue(rest) };
  return { doc: next, modified: !isIdenticalValue(next, doc) };
}

function applyPipelineUpdate(doc: Document, pipeline: Document[]): UpdateOutcome {
  for (const stage of pipeline) {
    const name = Object.keys(stage)[0];
    if (!PIPELINE_UPDATE_STAGES.has(name)) {
      throw new MongoCommandError(ErrorCode.InvalidOptions, `${name} is not allowed to be used within an update`);
    }
  }
  const [result] = new Aggregator(pipeline).run([cloneDocument(doc)]);
  if (!result) throw badValue('pipeline update produced no document');
  const next = result as Document;
  if (doc._id !== undefined) {
    if (next._id === undefined) next._id = doc._id;
    assertIdUnchanged(doc, next);
  }
  const ordered = next._id !== undefined ? { _id: next._id, ...next } : next;
  return { doc: ordered, modified: !isIdenticalValue(ordered, doc) };
}

function assertIdUnchanged(before: Document, after: Document): void {
  if (before._id !== undefined && compareBsonValues(before._id, after._id) !== 0) throw immutableId();
}

function immutableId(): MongoCommandError {
  return new MongoCommandError(ErrorCode.ImmutableField, "Performing an update on the path '_id' would modify the immutable field '_id'");
}

function dollarPrefixedField(field: string, path: string): MongoCommandError {
  return new MongoCommandError(
    ErrorCode.DollarPrefixedFieldName,
    `The dollar ($) prefixed field '${field}' in '${path}' is not allowed in the context of an update's replacement document. Consider using an aggregation pipeline with $replaceWith.`,
  );
}

/**
 * The document an upsert inserts: equality fields of the filter, then the update applied
 * with `$setOnInsert`. `_id` is seeded here (mingo refuses `$set: {_id}`): from the filter,
 * the update, or a new ObjectId.
 */
export function buildUpsertDocument(filter: Document, update: UpdateSpec, arrayFilters?: Document[]): Document {
  const seed = seedFromFilter(filter);
  // `_id: null` in the filter is a value like any other: the inserted document gets it.
  const id = '_id' in seed ? seed._id : (idFromUpdate(update) ?? { value: new ObjectId() }).value;
  delete seed._id;
  const base: Document = { _id: id, ...seed };
  if (Array.isArray(update)) return applyPipelineUpdate(base, update).doc;
  if (!isOperatorUpdate(update)) {
    const { _id: _ignored, ...rest } = update;
    return { _id: id, ...cloneValue(rest) };
  }
  const withoutId: Document = {};
  for (const [operator, fields] of Object.entries(update)) {
    if ((operator === '$set' || operator === '$setOnInsert') && isPlainObject(fields) && '_id' in fields) {
      const { _id: _dropped, ...rest } = fields;
      withoutId[operator] = rest;
    } else {
      withoutId[operator] = fields;
    }
  }
  return applyUpdate(base, withoutId, { arrayFilters, isInsert: true }).doc;
}

/** The `_id` an upsert's update names (`$set`, then `$setOnInsert`, or the replacement), if any. */
function idFromUpdate(update: UpdateSpec): { value: unknown } | undefined {
  if (Array.isArray(update)) return undefined;
  const sources = isOperatorUpdate(update) ? [update.$set, update.$setOnInsert] : [update];
  for (const source of sources) if (isPlainObject(source) && '_id' in source) return { value: source._id };
  return undefined;
}

function seedFromFilter(filter: Document): Document {
  const seed: Document = {};
  forEachRequiredCondition(filter, (field, condition) => {
    let value: unknown = condition;
    if (isPlainObject(condition) && Object.keys(condition).some((key) => key.startsWith('$'))) {
      if (!('$eq' in condition)) return;
      value = condition.$eq;
    }
    if (value instanceof RegExp) return;
    setPath(seed, field, cloneValue(value));
  });
  return seed;
}

function setPath(target: Document, path: string, value: unknown): void {
  const parts = path.split('.');
  let cursor: Document = target;
  for (const part of parts.slice(0, -1)) {
    if (!isPlainObject(cursor[part])) cursor[part] = {};
    cursor = cursor[part] as Document;
  }
  cursor[parts[parts.length - 1]] = value;
}

export function rejectUnsupportedUpdateOptions(statement: Document): void {
  rejectCollation(statement.collation);
}
