import type { Document } from 'bson';
import { Aggregator } from '../mingo-context.js';
import type { Collection } from '../collection.js';
import { namespaceOf, readCount, targetName, type CommandContext } from '../command-context.js';
import { cloneDocument, isPlainObject } from '../document-values.js';
import { badValue, ErrorCode, MongoCommandError, notImplemented } from '../errors.js';
import { annotateStages, describeAccessStage, parseQueryShape, sumKeysExamined, wrapFindStages } from '../explain-plan.js';
import { compileMatcher, findDocuments, rejectCollation, type FindOptions } from '../find-documents.js';
import { applyUpdate, type UpdateSpec } from '../update-document.js';
import { GIT_VERSION, SERVER_VERSION } from './handshake-commands.js';

type Verbosity = 'queryPlanner' | 'executionStats' | 'allPlansExecution';
const VERBOSITIES: readonly string[] = ['queryPlanner', 'executionStats', 'allPlansExecution'];

/** Builds the plan part of the reply: `queryPlanner` (+ `executionStats`), or `stages` for a pipeline. */
type Explainer = (ctx: CommandContext, command: Document, verbosity: Verbosity) => Document;

const EXPLAINERS = new Map<string, Explainer>([
  ['find', explainFind],
  ['aggregate', explainAggregate],
  ['count', explainCount],
  ['update', explainUpdate],
  ['delete', explainDelete],
  ['findAndModify', explainFindAndModify],
  ['findandmodify', explainFindAndModify],
]);

/**
 * explain: how the embedded planner runs a find, aggregate, count, update, delete or
 * findAndModify, in MongoDB's reply shape. Writes are planned and counted, never applied.
 * The planner considers one plan per query, so `rejectedPlans` is always empty.
 */
export function runExplain(ctx: CommandContext, command: Document): Document {
  const verbosity = command.verbosity ?? 'allPlansExecution';
  if (typeof verbosity !== 'string' || !VERBOSITIES.includes(verbosity)) {
    throw new MongoCommandError(ErrorCode.FailedToParse, "verbosity string must be one of {'queryPlanner', 'executionStats', 'allPlansExecution'}");
  }
  const explained = command.explain;
  if (!isPlainObject(explained) || Object.keys(explained).length === 0) {
    throw new MongoCommandError(ErrorCode.FailedToParse, 'explain command requires a nested object');
  }
  const name = Object.keys(explained)[0];
  const explainer = EXPLAINERS.get(name);
  if (!explainer) throw notImplemented(`explain of ${name}`);
  return {
    explainVersion: '1',
    ...explainer(ctx, explained, verbosity as Verbosity),
    command: { ...explained, $db: ctx.db },
    serverInfo: { host: ctx.server.host, port: ctx.server.port, version: SERVER_VERSION, gitVersion: GIT_VERSION },
  };
}

function explainFind(ctx: CommandContext, command: Document, verbosity: Verbosity): Document {
  const name = targetName(command, 'find');
  rejectCollation(command.collation);
  let limit = readCount(command.limit, 'limit');
  if (limit !== undefined && limit < 0) limit = -limit;
  return explainQuery(ctx, name, (command.filter as Document) ?? {}, {
    sort: command.sort as Document | undefined,
    skip: readCount(command.skip, 'skip'),
    limit: limit || undefined,
    projection: command.projection as Document | undefined,
  }, verbosity);
}

/** A find, or a pipeline the query layer absorbs whole: one plan, reported at the top level. */
function explainQuery(ctx: CommandContext, name: string, filter: Document, options: FindOptions, verbosity: Verbosity): Document {
  const collection = ctx.view.collection(ctx.db, name);
  const wrap = (access: Document): Document => wrapFindStages(access, options);
  const queryPlanner = queryPlannerOf(ctx, name, filter, wrap(describeAccessStage(collection, filter)));
  if (verbosity === 'queryPlanner') return { queryPlanner };
  const sorted = options.sort !== undefined && Object.keys(options.sort).length > 0;
  const stopAfter = !sorted && options.limit ? (options.skip ?? 0) + options.limit : Infinity;
  const stats = measure(ctx, collection, filter, stopAfter, wrap, verbosity, (matches) => {
    const returned = findDocuments(ctx.view, collection, filter, options).length;
    return { returned, planReturned: returned, matches };
  });
  return { queryPlanner, executionStats: stats };
}

function explainCount(ctx: CommandContext, command: Document, verbosity: Verbosity): Document {
  const name = targetName(command, 'count');
  rejectCollation(command.collation);
  const collection = ctx.view.collection(ctx.db, name);
  const filter = (command.query as Document) ?? {};
  const skip = readCount(command.skip, 'skip') ?? 0;
  const limit = Math.abs(readCount(command.limit, 'limit') ?? 0);
  // An empty query counts from the collection's size without reading a document.
  const fastCount = collection !== undefined && Object.keys(filter).length === 0;
  const wrap = (access: Document): Document => (fastCount ? { stage: 'RECORD_STORE_FAST_COUNT' } : { stage: 'COUNT', inputStage: access });
  const queryPlanner = queryPlannerOf(ctx, name, filter, wrap(describeAccessStage(collection, filter)));
  if (verbosity === 'queryPlanner') return { queryPlanner };
  const stopAfter = fastCount ? 0 : limit ? skip + limit : Infinity;
  const stats = measure(ctx, collection, filter, stopAfter, wrap, verbosity, (matches) => {
    const total = fastCount ? (collection?.docs.size ?? 0) : matches.length;
    const nCounted = Math.max(0, limit ? Math.min(limit, total - skip) : total - skip);
    return { returned: 0, planReturned: 0, matches, topStage: { nCounted, nSkipped: Math.min(skip, total) } };
  });
  return { queryPlanner, executionStats: stats };
}

function explainUpdate(ctx: CommandContext, command: Document, verbosity: Verbosity): Document {
  const name = targetName(command, 'update');
  const statement = singleStatement(command.updates);
  const multi = statement.multi === true;
  return explainUpdateOf(ctx, name, {
    filter: (statement.q as Document) ?? {},
    update: statement.u as UpdateSpec,
    sort: statement.sort as Document | undefined,
    arrayFilters: statement.arrayFilters as Document[] | undefined,
    upsert: statement.upsert === true,
    limit: multi ? undefined : 1,
  }, verbosity);
}

function explainDelete(ctx: CommandContext, command: Document, verbosity: Verbosity): Document {
  const name = targetName(command, 'delete');
  const statement = singleStatement(command.deletes);
  rejectCollation(statement.collation);
  const limit = Number(statement.limit ?? 0);
  if (limit !== 0 && limit !== 1) throw badValue('The limit field in delete objects must be 0 or 1');
  return explainDeleteOf(ctx, name, (statement.q as Document) ?? {}, undefined, limit || undefined, verbosity);
}

function explainFindAndModify(ctx: CommandContext, command: Document, verbosity: Verbosity): Document {
  const name = targetName(command, Object.keys(command)[0]);
  rejectCollation(command.collation);
  const filter = (command.query as Document) ?? {};
  const sort = command.sort as Document | undefined;
  if (command.remove === true) return explainDeleteOf(ctx, name, filter, sort, 1, verbosity);
  if (command.update === undefined) throw badValue('Either an update or remove=true must be specified');
  return explainUpdateOf(ctx, name, {
    filter,
    update: command.update as UpdateSpec,
    sort,
    arrayFilters: command.arrayFilters as Document[] | undefined,
    upsert: command.upsert === true,
    limit: 1,
  }, verbosity);
}

interface PlannedUpdate {
  filter: Document;
  update: UpdateSpec;
  sort: Document | undefined;
  arrayFilters: Document[] | undefined;
  upsert: boolean;
  limit: number | undefined;
}

function explainUpdateOf(ctx: CommandContext, name: string, planned: PlannedUpdate, verbosity: Verbosity): Document {
  if (!Array.isArray(planned.update) && !isPlainObject(planned.update)) throw badValue('update must be an object or a pipeline');
  const collection = ctx.view.collection(ctx.db, name);
  const { filter, sort, limit } = planned;
  const wrap = (access: Document): Document => ({ stage: 'UPDATE', inputStage: wrapWriteInput(access, sort, limit) });
  const queryPlanner = queryPlannerOf(ctx, name, filter, wrap(describeAccessStage(collection, filter)));
  if (verbosity === 'queryPlanner') return { queryPlanner };
  const stats = measure(ctx, collection, filter, stopAfterFor(sort, limit), wrap, verbosity, () => {
    const matches = findDocuments(ctx.view, collection, filter, { sort, limit });
    const nWouldModify = matches.filter((doc) => applyUpdate(doc, planned.update, { arrayFilters: planned.arrayFilters, query: filter }).modified).length;
    const nWouldUpsert = planned.upsert && matches.length === 0 ? 1 : 0;
    return { returned: 0, planReturned: matches.length, matches, topStage: { nMatched: matches.length, nWouldModify, nWouldUpsert } };
  });
  return { queryPlanner, executionStats: stats };
}

function explainDeleteOf(ctx: CommandContext, name: string, filter: Document, sort: Document | undefined, limit: number | undefined, verbosity: Verbosity): Document {
  const collection = ctx.view.collection(ctx.db, name);
  const wrap = (access: Document): Document => ({ stage: 'DELETE', inputStage: wrapWriteInput(access, sort, limit) });
  const queryPlanner = queryPlannerOf(ctx, name, filter, wrap(describeAccessStage(collection, filter)));
  if (verbosity === 'queryPlanner') return { queryPlanner };
  const stats = measure(ctx, collection, filter, stopAfterFor(sort, limit), wrap, verbosity, () => {
    const matches = findDocuments(ctx.view, collection, filter, { sort, limit });
    return { returned: 0, planReturned: matches.length, matches, topStage: { nWouldDelete: matches.length } };
  });
  return { queryPlanner, executionStats: stats };
}

/** A sorted single-document write sorts its candidates first and keeps the top one. */
function wrapWriteInput(access: Document, sort: Document | undefined, limit: number | undefined): Document {
  if (!sort || Object.keys(sort).length === 0) return access;
  return wrapFindStages(access, { sort, limit });
}

function stopAfterFor(sort: Document | undefined, limit: number | undefined): number {
  return limit && (!sort || Object.keys(sort).length === 0) ? limit : Infinity;
}

function singleStatement(statements: unknown): Document {
  if (!Array.isArray(statements) || statements.length !== 1 || !isPlainObject(statements[0])) {
    throw badValue('explained write batches must be of size 1');
  }
  return statements[0];
}

/**
 * aggregate: a pipeline of $match, $sort, $skip, $limit and a plain $project (in that
 * order) is a query and explains like a find; any other pipeline reads through a $cursor
 * stage (its leading $match planned by the query layer) and lists the stages after it.
 */
function explainAggregate(ctx: CommandContext, command: Document, verbosity: Verbosity): Document {
  const pipeline = command.pipeline;
  if (!Array.isArray(pipeline)) throw badValue("'pipeline' option must be specified as an array");
  if (typeof command.aggregate !== 'string') throw notImplemented('explain of a database-level aggregate');
  rejectCollation(command.collation);
  for (const stage of pipeline) {
    if (!isPlainObject(stage) || Object.keys(stage).length !== 1) throw badValue('A pipeline stage specification object must contain exactly one field.');
  }
  const name = command.aggregate;
  const stages = pipeline as Document[];
  const asQuery = absorbIntoQuery(stages);
  if (asQuery) return explainQuery(ctx, name, asQuery.filter, asQuery.options, verbosity);

  const collection = ctx.view.collection(ctx.db, name);
  const leadingMatch = stages[0]?.$match as Document | undefined;
  const filter = leadingMatch ?? {};
  const rest = leadingMatch ? stages.slice(1) : stages;
  const cursor: Document = { queryPlanner: queryPlannerOf(ctx, name, filter, describeAccessStage(collection, filter)) };
  if (verbosity === 'queryPlanner') return { stages: [{ $cursor: cursor }, ...rest] };

  let docs: Document[] = [];
  cursor.executionStats = measure(ctx, collection, filter, Infinity, (access) => access, verbosity, (matches) => {
    docs = matches.map(cloneDocument);
    return { returned: matches.length, planReturned: matches.length, matches };
  });
  const collectionResolver = (other: string): Document[] => findDocuments(ctx.view, ctx.view.collection(ctx.db, other), {}).map(cloneDocument);
  const explainedRest = rest.map((stage) => {
    // $out and $merge are planned, never run: explain does not write.
    if ('$out' in stage || '$merge' in stage) return { ...stage };
    const started = performance.now();
    docs = new Aggregator([stage], { collectionResolver, variables: command.let as never }).run(docs) as Document[];
    return { ...stage, nReturned: docs.length, executionTimeMillisEstimate: Math.round(performance.now() - started) };
  });
  return { stages: [{ $cursor: cursor }, ...explainedRest] };
}

function absorbIntoQuery(stages: Document[]): { filter: Document; options: FindOptions } | undefined {
  const order = ['$match', '$sort', '$skip', '$limit', '$project'];
  let position = 0;
  let filter: Document = {};
  const options: FindOptions = {};
  for (const stage of stages) {
    const [name] = Object.keys(stage);
    const at = order.indexOf(name, position);
    if (at < 0) return undefined;
    position = at + 1;
    const spec = stage[name];
    if (name === '$match') filter = spec as Document;
    else if (name === '$sort') options.sort = spec as Document;
    else if (name === '$skip') options.skip = readCount(spec, '$skip');
    else if (name === '$limit') options.limit = readCount(spec, '$limit');
    else if (isPlainObject(spec) && Object.values(spec).every((value) => value === 0 || value === 1 || typeof value === 'boolean')) options.projection = spec;
    else return undefined;
  }
  return { filter, options };
}

function queryPlannerOf(ctx: CommandContext, name: string, filter: Document, winningPlan: Document): Document {
  return {
    namespace: namespaceOf(ctx, name),
    indexFilterSet: false,
    parsedQuery: parseQueryShape(filter),
    maxIndexedOrSolutionsReached: false,
    maxIndexedAndSolutionsReached: false,
    maxScansToExplodeReached: false,
    winningPlan,
    rejectedPlans: [],
  };
}

interface Outcome {
  /** executionStats.nReturned: documents the command returns (0 for count and writes). */
  returned: number;
  /** What the stages above the access stages hand up (the matches a write would change). */
  planReturned: number;
  matches: Document[];
  /** Counters of the top stage (nCounted, nMatched, nWouldDelete…). */
  topStage?: Document;
}

/**
 * Runs the read part of a plan and reports executionStats. The access stages are run
 * for the examined counts (stopping where a limit without sort stops); `finish` computes
 * what the command would return from the matches.
 */
function measure(
  ctx: CommandContext,
  collection: Collection | undefined,
  filter: Document,
  stopAfter: number,
  wrap: (access: Document) => Document,
  verbosity: Verbosity,
  finish: (matches: Document[]) => Outcome,
): Document {
  const started = performance.now();
  const matches: Document[] = [];
  let docsExamined = 0;
  if (collection && stopAfter > 0) {
    const matcher = compileMatcher(filter);
    for (const doc of ctx.view.candidates(collection, filter)) {
      docsExamined++;
      if (!matcher(doc)) continue;
      matches.push(doc);
      if (matches.length >= stopAfter) break;
    }
  }
  const outcome = finish(matches);
  const millis = Math.round(performance.now() - started);
  const access = stopAfter > 0 ? describeAccessStage(collection, filter, true) : { stage: 'EOF' };
  const executionStages = annotateStages(wrap(access), { matched: matches.length, returned: outcome.planReturned, docsExamined, millis });
  executionStages.nReturned = outcome.returned;
  Object.assign(executionStages, outcome.topStage);
  const stats: Document = {
    executionSuccess: true,
    nReturned: outcome.returned,
    executionTimeMillis: millis,
    totalKeysExamined: sumKeysExamined(executionStages),
    totalDocsExamined: docsExamined,
    executionStages,
  };
  if (verbosity === 'allPlansExecution') stats.allPlansExecution = [];
  return stats;
}
