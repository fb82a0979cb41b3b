import { ObjectId, type Document } from 'bson';
import { aggregate, update as applyMingoUpdate } from 'mingo';
import { isEqual } from 'mingo/util';
import { cloneDocument, cloneValue, describeType, forEachRequiredCondition, isPlainObject, renderValue } from './document-values.js';
import { badValue, ErrorCode, MongoCommandError } from './errors.js';
import { rejectCollation } from './find-documents.js';
import { getPathValue } from './key-encoding.js';

const UPDATE_OPERATORS = new Set([
  '$set', '$unset', '$inc', '$mul', '$min', '$max', '$push', '$addToSet', '$pull', '$pullAll', '$pop',
  '$rename', '$currentDate', '$setOnInsert', '$bit',
]);
const PIPELINE_UPDATE_STAGES = new Set(['$addFields', '$set', '$project', '$unset', '$replaceRoot', '$replaceWith']);
const NUMERIC_OPERATORS = new Set(['$inc', '$mul']);
const ARRAY_OPERATORS = new Set(['$push', '$addToSet', '$pull', '$pullAll', '$pop']);

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
  const modifier = prepareModifier(update, options.isInsert === true);
  validateModifier(doc, modifier);
  // An unchanged `_id` in $set is a no-op; mingo would refuse it.
  if (isPlainObject(modifier.$set) && '_id' in modifier.$set) {
    const { _id: _same, ...rest } = modifier.$set;
    modifier.$set = rest;
  }
  const simple = applySimpleOperators(doc, modifier);
  if (simple) return simple;
  const next = cloneDocument(doc);
  const changed = applyMingoUpdate(next, modifier as never, options.arrayFilters, options.query as never, { cloneMode: 'deep' });
  if (changed.length === 0) return { doc, modified: false };
  assertIdUnchanged(doc, next);
  return { doc: next, modified: true };
}

const SIMPLE_OPERATORS = new Set(['$set', '$unset', '$inc', '$mul']);

/**
 * The hot path for `$set`/`$unset`/`$inc`/`$mul` on plain field paths (no positional or
 * array-index parts, only objects along the way): applied directly, since building mingo's
 * update context costs more than the update itself. Returns undefined to defer to mingo.
 */
function applySimpleOperators(doc: Document, modifier: Document): UpdateOutcome | undefined {
  const steps: Array<[string, string[], unknown]> = [];
  for (const [operator, fields] of Object.entries(modifier)) {
    if (!SIMPLE_OPERATORS.has(operator)) return undefined;
    for (const [path, argument] of Object.entries(fields as Document)) {
      const parts = path.split('.');
      if (parts.some((part) => part === '' || part.startsWith('$') || /^\d+$/.test(part))) return undefined;
      steps.push([operator, parts, argument]);
    }
  }
  const next = cloneDocument(doc);
  let modified = false;
  for (const [operator, parts, argument] of steps) {
    let container: Document = next;
    for (const part of parts.slice(0, -1)) {
      const child = container[part];
      if (child === undefined && operator !== '$unset') {
        container[part] = {};
      } else if (!isPlainObject(child)) {
        if (operator === '$unset' && (child === undefined || child === null || typeof child !== 'object')) {
          container = undefined as never;
          break;
        }
        return undefined;
      }
      container = container[part] as Document;
    }
    if (!container) continue;
    const key = parts[parts.length - 1];
    const current = container[key];
    switch (operator) {
      case '$set':
        if (current === undefined || !isEqual(current, argument)) {
          container[key] = cloneValue(argument);
          modified = true;
        }
        break;
      case '$unset':
        if (key in container) {
          delete container[key];
          modified = true;
        }
        break;
      case '$inc':
      case '$mul': {
        const base = typeof current === 'number' ? current : 0;
        const value = operator === '$inc' ? base + (argument as number) : base * (argument as number);
        if (current === undefined || value !== current) {
          container[key] = value;
          modified = true;
        }
        break;
      }
    }
  }
  return modified ? { doc: next, modified } : { doc, modified: false };
}

function prepareModifier(update: Document, isInsert: boolean): Document {
  const modifier: Document = {};
  for (const [operator, fields] of Object.entries(update)) {
    if (!UPDATE_OPERATORS.has(operator)) {
      throw new MongoCommandError(ErrorCode.FailedToParse, `Unknown modifier: ${operator}. Expected a valid update modifier or pipeline-style update specified as an array`);
    }
    if (!isPlainObject(fields)) {
      throw new MongoCommandError(ErrorCode.FailedToParse, `Modifiers operate on fields but we found type ${describeType(fields)} instead.`);
    }
    if (operator === '$setOnInsert') {
      if (isInsert) modifier.$set = { ...(modifier.$set as Document | undefined), ...fields };
      continue;
    }
    if (Object.keys(fields).length === 0) continue;
    modifier[operator] = operator === '$set' ? { ...(modifier.$set as Document | undefined), ...fields } : fields;
  }
  assertNoConflictingPaths(modifier);
  return modifier;
}

function assertNoConflictingPaths(modifier: Document): void {
  const paths: string[] = [];
  for (const [operator, fields] of Object.entries(modifier)) {
    paths.push(...Object.keys(fields as Document));
    if (operator === '$rename') paths.push(...Object.values(fields as Document).map(String));
  }
  const sorted = [...paths].sort();
  for (let i = 1; i < sorted.length; i++) {
    const [a, b] = [sorted[i - 1], sorted[i]];
    if (a === b || b.startsWith(`${a}.`)) {
      throw new MongoCommandError(ErrorCode.ConflictingUpdateOperators, `Updating the path '${b}' would create a conflict at '${a}'`);
    }
  }
}

function validateModifier(doc: Document, modifier: Document): void {
  for (const [operator, fields] of Object.entries(modifier)) {
    for (const [path, argument] of Object.entries(fields as Document)) {
      if (path === '_id' || path.startsWith('_id.')) {
        if (operator !== '$set' || !isEqual(argument, doc._id)) throw immutableId();
      }
      if (path.includes('$')) continue;
      const current = getPathValue(doc, path);
      if (NUMERIC_OPERATORS.has(operator)) {
        if (typeof argument !== 'number') {
          throw new MongoCommandError(ErrorCode.TypeMismatch, `Cannot ${operator === '$inc' ? 'increment' : 'multiply'} with non-numeric argument: {${path}: ${renderValue(argument)}}`);
        }
        if (current !== undefined && typeof current !== 'number') {
          throw new MongoCommandError(
            ErrorCode.TypeMismatch,
            `Cannot apply ${operator} to a value of non-numeric type. {_id: ${renderValue(doc._id)}} has the field '${path}' of non-numeric type ${describeType(current)}`,
          );
        }
      }
      if (ARRAY_OPERATORS.has(operator) && current !== undefined && current !== null && !Array.isArray(current)) {
        throw badValue(`The field '${path}' must be an array but is of type ${describeType(current)} in document {_id: ${renderValue(doc._id)}}`);
      }
    }
  }
}

function applyReplacement(doc: Document, replacement: Document): UpdateOutcome {
  for (const key of Object.keys(replacement)) {
    if (key.startsWith('$')) throw badValue(`The dollar ($) prefixed field '${key}' in '${key}' is not allowed in the context of an update's replacement document.`);
  }
  if ('_id' in replacement && doc._id !== undefined && !isEqual(replacement._id, doc._id)) throw immutableId();
  const { _id: replacementId, ...rest } = replacement;
  const next: Document = { _id: doc._id ?? replacementId, ...cloneValue(rest) };
  return { doc: next, modified: !isEqual(next, doc) };
}

function applyPipelineUpdate(doc: Document, pipeline: Document[]): UpdateOutcome {
  for (const stage of pipeline) {
    const name = Object.keys(stage)[0];
    if (!PIPELINE_UPDATE_STAGES.has(name)) {
      throw new MongoCommandError(ErrorCode.InvalidOptions, `${name} is not allowed to be used within an update`);
    }
  }
  const [result] = aggregate([cloneDocument(doc)], pipeline);
  if (!result) throw badValue('pipeline update produced no document');
  const next = result as Document;
  if (doc._id !== undefined) {
    if (next._id === undefined) next._id = doc._id;
    assertIdUnchanged(doc, next);
  }
  const ordered = next._id !== undefined ? { _id: next._id, ...next } : next;
  return { doc: ordered, modified: !isEqual(ordered, doc) };
}

function assertIdUnchanged(before: Document, after: Document): void {
  if (before._id !== undefined && !isEqual(before._id, after._id)) throw immutableId();
}

function immutableId(): MongoCommandError {
  return new MongoCommandError(ErrorCode.ImmutableField, "Performing an update on the path '_id' would modify the immutable field '_id'");
}

/**
 * The document an upsert inserts: equality fields of the filter, then the update applied
 * with `$setOnInsert`. `_id` is seeded here (mingo refuses `$set: {_id}`): from the filter,
 * the update, or a new ObjectId.
 */
export function buildUpsertDocument(filter: Document, update: UpdateSpec, arrayFilters?: Document[]): Document {
  const seed = seedFromFilter(filter);
  let id = seed._id;
  if (!Array.isArray(update)) {
    if (isOperatorUpdate(update)) {
      id ??= (update.$set as Document | undefined)?._id ?? (update.$setOnInsert as Document | undefined)?._id;
    } else {
      id ??= update._id;
    }
  }
  id ??= new ObjectId();
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
