import { Long, ObjectId, type Document } from 'bson';
import { Aggregator } from '../mingo-context.js';
import { Collection, encodeId } from '../collection.js';
import { namespaceOf, readCount, type CommandContext } from '../command-context.js';
import { cloneDocument, isPlainObject } from '../document-values.js';
import { badValue, ErrorCode, MongoCommandError, notImplemented } from '../errors.js';
import { findDocuments, rejectCollation } from '../find-documents.js';
import { normalizeFilter } from '../normalize-filter.js';
import { hintedCandidates, resolveHint } from '../query-hint.js';
import { sortDocuments } from '../sort-documents.js';

/** Every stage name MongoDB 7.0 knows; one outside this list is error 40324, as in MongoDB. */
const MONGODB_STAGES = new Set([
  '$addFields', '$bucket', '$bucketAuto', '$changeStream', '$changeStreamSplitLargeEvent', '$collStats', '$count',
  '$currentOp', '$densify', '$documents', '$facet', '$fill', '$geoNear', '$graphLookup', '$group', '$indexStats',
  '$limit', '$listCatalog', '$listLocalSessions', '$listSampledQueries', '$listSearchIndexes', '$listSessions',
  '$lookup', '$match', '$merge', '$out', '$planCacheStats', '$project', '$redact', '$replaceRoot', '$replaceWith',
  '$sample', '$search', '$searchMeta', '$set', '$setWindowFields', '$shardedDataDistribution', '$skip', '$sort',
  '$sortByCount', '$unionWith', '$unset', '$unwind', '$vectorSearch',
]);
/** The stages the embedded server runs (through mingo); the other MongoDB stages are NotImplemented (238). */
const SUPPORTED_STAGES = new Set([
  '$match', '$project', '$addFields', '$set', '$unset', '$group', '$sort', '$skip', '$limit', '$unwind', '$lookup',
  '$facet', '$count', '$replaceRoot', '$replaceWith', '$sortByCount', '$bucket', '$bucketAuto', '$sample', '$redact',
  '$graphLookup', '$unionWith', '$setWindowFields', '$densify', '$fill', '$documents', '$out', '$merge',
]);
/** Stages that never mutate their input documents, so the stored ones need no copy. */
const READ_ONLY_STAGES = new Set(['$match', '$count', '$group', '$sort', '$skip', '$limit', '$project', '$sortByCount']);

export function runAggregate(ctx: CommandContext, command: Document): Document {
  const pipeline = command.pipeline;
  if (!Array.isArray(pipeline)) throw badValue("'pipeline' option must be specified as an array");
  if (command.explain) throw notImplemented('aggregate explain');
  rejectCollation(command.collation);
  if (!isPlainObject(command.cursor) && !command.explain) {
    throw new MongoCommandError(ErrorCode.FailedToParse, "The 'cursor' option is required, except for aggregate with the explain argument");
  }
  const stageNames = checkStages(pipeline);
  stageNames.forEach((name, i) => {
    if ((name === '$out' || name === '$merge') && i !== pipeline.length - 1) {
      throw new MongoCommandError(ErrorCode.Location40601, `${name} can only be the final stage in the pipeline`);
    }
  });
  const last = pipeline[pipeline.length - 1] as Document | undefined;
  const writeStage = last && ('$out' in last || '$merge' in last) ? last : undefined;
  if (writeStage && ctx.txn) {
    throw new MongoCommandError(ErrorCode.OperationNotSupportedInTransaction, `${Object.keys(writeStage)[0]} cannot be used in a transaction`);
  }
  const stages = (writeStage ? pipeline.slice(0, -1) : pipeline).map(normalizeStage);
  const collectionName = command.aggregate;
  const needsCopies = stageNames.some((name) => !READ_ONLY_STAGES.has(name));

  let source: Document[] = [];
  if (typeof collectionName === 'string') {
    const collection = ctx.view.collection(ctx.db, collectionName);
    const firstMatch = (stages[0] as Document | undefined)?.$match as Document | undefined;
    // A hint picks the documents and their order; otherwise a leading $match narrows the source through indexes.
    const hint = collection ? resolveHint(collection, command.hint, firstMatch ?? {}) : undefined;
    if (collection && hint) source = hintedCandidates(ctx.view, collection, hint);
    else source = collection ? [...ctx.view.candidates(collection, firstMatch ?? {})] : [];
    if (needsCopies) source = source.map(cloneDocument);
  } else if (collectionName !== 1 || stageNames[0] !== '$documents') {
    throw notImplemented('database-level aggregate other than $documents');
  }

  const resolved = new Map<string, Document[]>();
  const collectionResolver = (name: string): Document[] => {
    let docs = resolved.get(name);
    if (!docs) {
      const collection = ctx.view.collection(ctx.db, name);
      docs = collection ? findDocuments(ctx.view, collection, {}).map(cloneDocument) : [];
      resolved.set(name, docs);
    }
    return docs;
  };
  // Top-level $sort stages sort by MongoDB's rules (arrays by their least or greatest element);
  // mingo runs the stages between them.
  let results = source;
  let pending: Document[] = [];
  const runPending = (): void => {
    if (pending.length > 0) results = new Aggregator(pending, { collectionResolver, variables: command.let as never }).run(results) as Document[];
    pending = [];
  };
  for (const stage of stages as Document[]) {
    if (!('$sort' in stage)) {
      pending.push(stage);
      continue;
    }
    runPending();
    if (!isPlainObject(stage.$sort) || Object.keys(stage.$sort).length === 0) throw new MongoCommandError(ErrorCode.Location15976, '$sort stage must have at least one sort key');
    results = sortDocuments(results, stage.$sort);
  }
  runPending();

  if (writeStage) {
    if ('$out' in writeStage) writeOut(ctx, writeStage.$out, results);
    else writeMerge(ctx, writeStage.$merge, results);
    return { cursor: { firstBatch: [], id: Long.ZERO, ns: namespaceOf(ctx, String(collectionName)) } };
  }
  const ns = namespaceOf(ctx, typeof collectionName === 'string' ? collectionName : '$cmd.aggregate');
  const cursor = ctx.cursors.open(ns, results, readCount((command.cursor as Document)?.batchSize, 'batchSize'));
  return { cursor: { firstBatch: cursor.batch, id: cursor.id, ns } };
}

/**
 * Checks every stage, nested pipelines ($facet, $lookup, $unionWith) included: an unknown
 * name is 40324 like MongoDB, a MongoDB stage the server does not run is NotImplemented.
 * Returns the top-level stage names.
 */
function checkStages(pipeline: unknown[]): string[] {
  return pipeline.map((stage) => {
    if (!isPlainObject(stage)) throw new MongoCommandError(ErrorCode.TypeMismatch, "Each element of the 'pipeline' array must be an object");
    const keys = Object.keys(stage);
    if (keys.length !== 1) throw new MongoCommandError(ErrorCode.Location40323, 'A pipeline stage specification object must contain exactly one field.');
    const name = keys[0];
    if (!MONGODB_STAGES.has(name)) throw new MongoCommandError(ErrorCode.Location40324, `Unrecognized pipeline stage name: '${name}'`);
    if (!SUPPORTED_STAGES.has(name)) throw notImplemented(`aggregation stage ${name}`);
    for (const nested of nestedPipelines(name, stage[name])) checkStages(nested);
    return name;
  });
}

function nestedPipelines(name: string, spec: unknown): unknown[][] {
  if (!isPlainObject(spec)) return [];
  if (name === '$facet') return Object.values(spec).filter((value): value is unknown[] => Array.isArray(value));
  if ((name === '$lookup' || name === '$unionWith') && Array.isArray(spec.pipeline)) return [spec.pipeline];
  return [];
}

/** $match filters get the same rewrites as find filters (see normalize-filter.ts), nested pipelines too. */
function normalizeStage(stage: Document): Document {
  const [name] = Object.keys(stage);
  const spec = stage[name];
  if (name === '$match' && isPlainObject(spec)) return { $match: normalizeFilter(spec) };
  if (name === '$facet' && isPlainObject(spec)) {
    const facets: Document = {};
    for (const [facet, pipeline] of Object.entries(spec)) facets[facet] = Array.isArray(pipeline) ? pipeline.map(normalizeStage) : pipeline;
    return { $facet: facets };
  }
  if ((name === '$lookup' || name === '$unionWith') && isPlainObject(spec) && Array.isArray(spec.pipeline)) {
    return { [name]: { ...spec, pipeline: spec.pipeline.map(normalizeStage) } };
  }
  return stage;
}

function resolveTarget(ctx: CommandContext, spec: unknown): { db: string; coll: string } {
  if (typeof spec === 'string') return { db: ctx.db, coll: spec };
  if (isPlainObject(spec) && typeof spec.coll === 'string') return { db: typeof spec.db === 'string' ? spec.db : ctx.db, coll: spec.coll };
  throw badValue('invalid $out/$merge target');
}

function withId(doc: Document): Document {
  return doc._id === undefined ? { _id: new ObjectId(), ...doc } : doc;
}

/** $out: replaces the target's documents atomically, keeping its indexes. */
function writeOut(ctx: CommandContext, spec: unknown, results: Document[]): void {
  const { db, coll } = resolveTarget(ctx, spec);
  const storage = ctx.storage;
  const existing = storage.getCollection(db, coll);
  const specs = existing ? [...existing.indexes.values()].map((index) => index.spec) : [];
  // Validate the whole result against the target's unique indexes before touching it.
  const staged = new Collection(db, coll);
  for (const indexSpec of specs) staged.addIndex(indexSpec);
  const docs = results.map(withId);
  for (const doc of docs) {
    const idKey = encodeId(doc._id);
    const duplicate = staged.findDuplicate(doc, idKey, true);
    if (duplicate) throw duplicate;
    staged.put(idKey, doc);
  }
  if (existing) storage.dropCollection(db, coll, ctx.records);
  const target = storage.createCollection(db, coll, existing?.options ?? {}, ctx.records);
  for (const indexSpec of specs) storage.createIndex(target, indexSpec, ctx.records);
  for (const doc of docs) storage.putDocument(target, encodeId(doc._id), doc, ctx.records);
}

/** $merge with whenMatched merge|replace|keepExisting|fail and whenNotMatched insert|discard|fail. */
function writeMerge(ctx: CommandContext, spec: unknown, results: Document[]): void {
  const options: Document = typeof spec === 'string' ? { into: spec } : (spec as Document);
  const { db, coll } = resolveTarget(ctx, options.into);
  const on = options.on === undefined ? ['_id'] : Array.isArray(options.on) ? options.on.map(String) : [String(options.on)];
  const whenMatched = options.whenMatched ?? 'merge';
  const whenNotMatched = options.whenNotMatched ?? 'insert';
  if (typeof whenMatched !== 'string') throw notImplemented('$merge whenMatched pipeline');
  if (options.let) throw notImplemented('$merge let');
  const target = ctx.storage.ensureCollection(db, coll, ctx.records);
  for (const result of results) {
    const filter: Document = {};
    for (const field of on) filter[field] = result[field] ?? null;
    const [match] = findDocuments(ctx.view, target, filter, { limit: 1 });
    if (!match) {
      if (whenNotMatched === 'discard') continue;
      if (whenNotMatched === 'fail') throw new MongoCommandError(ErrorCode.MergeStageNoMatchingDocument, '$merge could not find a matching document in the target collection for at least one document in the source collection');
      const doc = withId(result);
      ctx.view.insert(target, encodeId(doc._id), doc);
      continue;
    }
    const idKey = encodeId(match._id);
    switch (whenMatched) {
      case 'keepExisting':
        break;
      case 'fail':
        throw target.findDuplicate(match, idKey, true) ?? new MongoCommandError(ErrorCode.DuplicateKey, 'E11000 duplicate key error in $merge');
      case 'replace': {
        const { _id: _ignored, ...rest } = result;
        ctx.view.replace(target, idKey, { _id: match._id, ...rest });
        break;
      }
      case 'merge': {
        const { _id: _ignored, ...rest } = result;
        ctx.view.replace(target, idKey, { ...match, ...rest });
        break;
      }
      default:
        throw badValue(`unknown $merge whenMatched mode ${whenMatched}`);
    }
  }
}
