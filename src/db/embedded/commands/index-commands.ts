import type { Document } from 'bson';
import { isEqual } from 'mingo/util';
import { ID_INDEX_NAME, type Collection } from '../collection.js';
import { namespaceOf, requireCollection, targetName, type CommandContext } from '../command-context.js';
import { isPlainObject } from '../document-values.js';
import { badValue, ErrorCode, MongoCommandError, notImplemented } from '../errors.js';
import { nameIndex, type IndexSpec } from '../secondary-index.js';

const OPTION_FIELDS = ['unique', 'sparse', 'partialFilterExpression', 'expireAfterSeconds'] as const;
const IGNORED_FIELDS = new Set(['key', 'name', 'v', 'background', 'ns']);

/** Validates a requested index and reduces it to the spec stored and listed. */
function normalizeIndexSpec(raw: Document): IndexSpec {
  if (!isPlainObject(raw.key) || Object.keys(raw.key).length === 0) {
    throw new MongoCommandError(ErrorCode.CannotCreateIndex, 'Index keys cannot be an empty field.');
  }
  for (const [field, direction] of Object.entries(raw.key)) {
    if (direction === 1 || direction === -1 || direction === 'hashed') continue;
    if (typeof direction === 'string') throw notImplemented(`${direction} index on ${field}`);
    throw new MongoCommandError(ErrorCode.CannotCreateIndex, `Values in the index key pattern can only be 1, -1 or a string. Got ${String(direction)}`);
  }
  for (const field of Object.keys(raw)) {
    if (IGNORED_FIELDS.has(field) || (OPTION_FIELDS as readonly string[]).includes(field)) continue;
    throw notImplemented(`index option ${field}`);
  }
  const spec: IndexSpec = { v: 2, key: raw.key as IndexSpec['key'], name: typeof raw.name === 'string' ? raw.name : nameIndex(raw.key) };
  if (raw.unique === true) spec.unique = true;
  if (raw.sparse === true) spec.sparse = true;
  if (raw.partialFilterExpression !== undefined) {
    if (!isPlainObject(raw.partialFilterExpression)) throw badValue('partialFilterExpression must be an object');
    spec.partialFilterExpression = raw.partialFilterExpression;
  }
  if (raw.expireAfterSeconds !== undefined) {
    const seconds = Number(raw.expireAfterSeconds);
    if (!Number.isFinite(seconds) || seconds < 0) throw badValue('expireAfterSeconds must be a non-negative number');
    if (Object.keys(spec.key).length !== 1) throw new MongoCommandError(ErrorCode.CannotCreateIndex, 'TTL indexes are single-field indexes, compound indexes do not support TTL.');
    spec.expireAfterSeconds = seconds;
  }
  return spec;
}

function sameOptions(a: Document, b: Document): boolean {
  return OPTION_FIELDS.every((field) => isEqual(a[field] ?? null, b[field] ?? null));
}

export function runCreateIndexes(ctx: CommandContext, command: Document): Document {
  const name = targetName(command, 'createIndexes');
  if (!Array.isArray(command.indexes) || command.indexes.length === 0) throw badValue('Must specify at least one index to create');
  const specs = command.indexes.map((raw: Document) => normalizeIndexSpec(raw));
  const createdCollectionAutomatically = !ctx.view.collection(ctx.db, name);
  const collection = ctx.view.ensureCollection(ctx.db, name);
  const numIndexesBefore = collection.indexes.size + 1;
  for (const spec of specs) {
    if (isIdIndex(spec)) continue;
    const sameName = collection.indexes.get(spec.name);
    if (sameName) {
      if (isEqual(sameName.spec.key, spec.key) && sameOptions(sameName.spec, spec)) continue;
      throw new MongoCommandError(ErrorCode.IndexKeySpecsConflict, `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(sameName.spec)}`);
    }
    const sameKey = [...collection.indexes.values()].find((index) => isEqual(index.spec.key, spec.key) && isEqual(index.spec.partialFilterExpression ?? null, spec.partialFilterExpression ?? null));
    if (sameKey) {
      if (sameOptions(sameKey.spec, spec)) continue;
      throw new MongoCommandError(ErrorCode.IndexOptionsConflict, `An equivalent index already exists with a different name and options. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(sameKey.spec)}`);
    }
    ctx.view.createIndex(collection, spec);
  }
  const numIndexesAfter = collection.indexes.size + 1;
  const reply: Document = { createdCollectionAutomatically, numIndexesBefore, numIndexesAfter };
  if (numIndexesAfter === numIndexesBefore) reply.note = 'all indexes already exist';
  return reply;
}

function isIdIndex(spec: IndexSpec): boolean {
  return spec.name === ID_INDEX_NAME || (Object.keys(spec.key).length === 1 && spec.key._id !== undefined);
}

export function runListIndexes(ctx: CommandContext, command: Document): Document {
  const name = targetName(command, 'listIndexes');
  const collection = requireCollection(ctx, name);
  const ns = namespaceOf(ctx, name);
  const cursor = ctx.cursors.open(ns, collection.listIndexSpecs(), (command.cursor as Document | undefined)?.batchSize as number | undefined);
  return { cursor: { firstBatch: cursor.batch, id: cursor.id, ns } };
}

export function runDropIndexes(ctx: CommandContext, command: Document): Document {
  const name = targetName(command, Object.keys(command)[0]);
  const collection = requireCollection(ctx, name);
  const nIndexesWas = collection.indexes.size + 1;
  for (const indexName of resolveIndexNames(collection, command.index)) {
    if (indexName === ID_INDEX_NAME) throw new MongoCommandError(ErrorCode.InvalidOptions, 'cannot drop _id index');
    if (!collection.indexes.has(indexName)) {
      throw new MongoCommandError(ErrorCode.IndexNotFound, `index not found with name [${indexName}]`);
    }
    ctx.storage.dropIndex(collection, indexName, ctx.records);
  }
  return { nIndexesWas };
}

function resolveIndexNames(collection: Collection, index: unknown): string[] {
  if (index === '*') return [...collection.indexes.keys()];
  if (typeof index === 'string') return [index];
  if (Array.isArray(index)) return index.map(String);
  if (isPlainObject(index)) {
    const match = [...collection.indexes.values()].find((candidate) => isEqual(candidate.spec.key, index));
    if (!match) throw new MongoCommandError(ErrorCode.IndexNotFound, `can't find index with key: ${JSON.stringify(index)}`);
    return [match.name];
  }
  throw badValue('invalid index name spec');
}
