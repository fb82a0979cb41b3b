import type { Document } from 'bson';
import { ID_INDEX_NAME, type Collection } from './collection.js';
import { isPlainObject, renderValue } from './document-values.js';
import { describeAccessPlan, planCandidateIds, type AccessPlan } from './query-planner.js';
import type { SecondaryIndex } from './secondary-index.js';

/** MongoDB's default memory limit of a blocking SORT stage (100 MB). */
const SORT_MEMORY_LIMIT_BYTES = 100 * 1024 * 1024;

/**
 * The filter in the normalised form explain reports as `parsedQuery`: every condition
 * becomes one `{field: {$op: value}}` clause (equality spelled `$eq`), several clauses
 * are joined by `$and`.
 */
export function parseQueryShape(filter: Document): Document {
  return joinClauses(clausesOf(filter));
}

function clausesOf(filter: Document): Document[] {
  const clauses: Document[] = [];
  for (const [field, condition] of Object.entries(filter)) {
    if (field === '$and' && Array.isArray(condition)) {
      for (const part of condition) if (isPlainObject(part)) clauses.push(...clausesOf(part));
    } else if ((field === '$or' || field === '$nor') && Array.isArray(condition)) {
      clauses.push({ [field]: condition.map((branch) => (isPlainObject(branch) ? parseQueryShape(branch) : branch)) });
    } else if (field.startsWith('$')) {
      clauses.push({ [field]: condition });
    } else if (condition instanceof RegExp) {
      clauses.push({ [field]: { $regex: condition } });
    } else if (isOperatorObject(condition)) {
      for (const [operator, operand] of Object.entries(condition)) {
        if (operator === '$options') continue;
        if (operator === '$regex' && condition.$options !== undefined) clauses.push({ [field]: { $regex: operand, $options: condition.$options } });
        else clauses.push({ [field]: { [operator]: operand } });
      }
    } else {
      clauses.push({ [field]: { $eq: condition } });
    }
  }
  return clauses;
}

function isOperatorObject(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value) && Object.keys(value).length > 0 && Object.keys(value).every((key) => key.startsWith('$'));
}

function joinClauses(clauses: Document[]): Document {
  if (clauses.length === 0) return {};
  return clauses.length === 1 ? clauses[0] : { $and: clauses };
}

/**
 * The stages that read a filter's candidates, as the planner reads them (EOF for a missing
 * collection). `counted` adds each index scan's keys: the planner reads every id of a key.
 */
export function describeAccessStage(collection: Collection | undefined, filter: Document, counted = false): Document {
  if (!collection) return { stage: 'EOF' };
  const parsed = parseQueryShape(filter);
  const plan = describeAccessPlan(collection, filter);
  if (plan.kind === 'scan') return withFilter({ stage: 'COLLSCAN' }, clausesOf(filter), { direction: 'forward' });
  if (plan.kind === 'idLookup' && isSimpleIdQuery(parsed)) return { stage: 'IDHACK' };
  if (plan.kind === 'union') {
    const rest = clausesOf(filter).filter((clause) => !('$or' in clause));
    const union = { stage: 'OR', inputStages: plan.branches.map((branch, i) => branchStage(collection, branch, (filter.$or as Document[])[i], counted)) };
    const fetch = withFilter({ stage: 'FETCH' }, rest, { inputStage: union });
    // A filter that is nothing but an $or is planned branch by branch: MongoDB's SUBPLAN.
    return rest.length === 0 ? { stage: 'SUBPLAN', inputStage: fetch } : fetch;
  }
  return withFilter({ stage: 'FETCH' }, residualClauses(plan, filter), { inputStage: indexScanStage(collection, plan, counted ? countKeys(collection, plan, filter) : undefined) });
}

/** One `$or` branch under the OR stage: its index scan, fetched when the index leaves conditions over. */
function branchStage(collection: Collection, plan: AccessPlan, branch: Document, counted: boolean): Document {
  if (plan.kind === 'union') return describeAccessStage(collection, branch, counted);
  const scan = indexScanStage(collection, plan, counted ? countKeys(collection, plan, branch) : undefined);
  const residual = residualClauses(plan, branch);
  return residual.length === 0 ? scan : withFilter({ stage: 'FETCH' }, residual, { inputStage: scan });
}

function withFilter(stage: Document, clauses: Document[], rest: Document): Document {
  return clauses.length > 0 ? { ...stage, filter: joinClauses(clauses), ...rest } : { ...stage, ...rest };
}

function isSimpleIdQuery(parsed: Document): boolean {
  const keys = Object.keys(parsed);
  return keys.length === 1 && keys[0] === '_id' && isPlainObject(parsed._id) && Object.keys(parsed._id).join() === '$eq';
}

/** Conditions the index does not answer, left for the FETCH stage. */
function residualClauses(plan: AccessPlan, filter: Document): Document[] {
  const answered = new Set(plan.kind === 'idLookup' ? ['_id'] : plan.kind === 'indexLookup' ? plan.index.fields.slice(0, plan.fieldCount) : []);
  return clausesOf(filter).filter((clause) => {
    const [field] = Object.keys(clause);
    if (!answered.has(field)) return true;
    const operators = Object.keys(clause[field] as Document);
    return !(operators.length === 1 && (operators[0] === '$eq' || operators[0] === '$in'));
  });
}

function indexScanStage(collection: Collection, plan: AccessPlan, keys: number | undefined): Document {
  const counts = keys === undefined ? {} : { nReturned: keys, keysExamined: keys };
  if (plan.kind === 'idLookup') {
    return {
      stage: 'IXSCAN',
      ...counts,
      keyPattern: { _id: 1 },
      indexName: ID_INDEX_NAME,
      isMultiKey: false,
      isUnique: true,
      isSparse: false,
      isPartial: false,
      indexVersion: 2,
      direction: 'forward',
      indexBounds: { _id: plan.values.map(renderPoint) },
    };
  }
  if (plan.kind !== 'indexLookup') throw new Error(`no index scan for a ${plan.kind} plan`);
  const { index, fieldCount, equalities } = plan;
  const indexBounds: Document = {};
  index.fields.forEach((field, i) => {
    const descending = index.spec.key[field] === -1;
    indexBounds[field] = i < fieldCount ? equalities.get(field)!.map(renderPoint) : [descending ? '[MaxKey, MinKey]' : '[MinKey, MaxKey]'];
  });
  return {
    stage: 'IXSCAN',
    ...counts,
    keyPattern: index.spec.key,
    indexName: index.name,
    isMultiKey: isMultiKey(index),
    isUnique: index.unique,
    isSparse: index.spec.sparse === true,
    isPartial: index.spec.partialFilterExpression !== undefined,
    indexVersion: 2,
    direction: 'forward',
    indexBounds,
  };
}

function renderPoint(value: unknown): string {
  const rendered = renderValue(value);
  return `[${rendered}, ${rendered}]`;
}

/** An index is multikey once some document holds several keys in it (an array value). */
function isMultiKey(index: SecondaryIndex): boolean {
  const ids = new Set<string>();
  let entries = 0;
  for (const holders of index.full.values()) {
    entries += holders.size;
    for (const id of holders) ids.add(id);
  }
  return entries > ids.size;
}

/** Index keys a lookup reads: every id held under the looked-up keys. */
function countKeys(collection: Collection, plan: AccessPlan, filter: Document): number {
  const ids = planCandidateIds(collection, filter) ?? new Set<string>();
  // An _id lookup names ids that may not exist; only existing ones are keys of the _id index.
  return plan.kind === 'idLookup' ? [...ids].filter((id) => collection.docs.has(id)).length : ids.size;
}

/** Wraps an access stage in the stages a find's sort, skip, limit and projection add. */
export function wrapFindStages(access: Document, options: { sort?: Document; skip?: number; limit?: number; projection?: Document }): Document {
  let stage = access;
  const { sort, skip, limit, projection } = options;
  const hasSort = sort !== undefined && Object.keys(sort).length > 0;
  if (access.stage !== 'IDHACK' && access.stage !== 'EOF') {
    if (hasSort) {
      stage = { stage: 'SORT', sortPattern: sort, memLimit: SORT_MEMORY_LIMIT_BYTES, ...(limit ? { limitAmount: (skip ?? 0) + limit } : {}), type: 'simple', inputStage: stage };
    }
    if (skip) stage = { stage: 'SKIP', skipAmount: skip, inputStage: stage };
    if (limit && !hasSort) stage = { stage: 'LIMIT', limitAmount: limit, inputStage: stage };
  }
  if (projection && Object.keys(projection).length > 0) {
    stage = { stage: isSimpleProjection(projection) ? 'PROJECTION_SIMPLE' : 'PROJECTION_DEFAULT', transformBy: projection, inputStage: stage };
  }
  return stage;
}

function isSimpleProjection(projection: Document): boolean {
  return Object.entries(projection).every(([field, value]) => !field.includes('.') && (value === 0 || value === 1 || typeof value === 'boolean'));
}

export interface AccessRun {
  /** Documents the access stages handed up (after their filter). */
  matched: number;
  /** What the plan as a whole returned. */
  returned: number;
  docsExamined: number;
  millis: number;
}

const ACCESS_STAGES = new Set(['COLLSCAN', 'IDHACK', 'FETCH', 'SUBPLAN', 'EOF']);
const STAGES_READING_DOCUMENTS = new Set(['COLLSCAN', 'IDHACK', 'FETCH']);

/** The winning plan with executionStats' per-stage counts (`executionStages`). */
export function annotateStages(stage: Document, run: AccessRun): Document {
  const { stage: name, inputStage, inputStages, ...details } = stage;
  const annotated: Document = { stage: name };
  if (name === 'IXSCAN') {
    const { nReturned, ...scan } = details;
    return Object.assign(annotated, { nReturned, executionTimeMillisEstimate: 0 }, scan);
  }
  annotated.nReturned = name === 'OR' ? run.docsExamined : ACCESS_STAGES.has(name) ? run.matched : run.returned;
  annotated.executionTimeMillisEstimate = run.millis;
  if (STAGES_READING_DOCUMENTS.has(name)) annotated.docsExamined = run.docsExamined;
  if (name === 'IDHACK') annotated.keysExamined = run.docsExamined;
  Object.assign(annotated, details);
  if (inputStage) annotated.inputStage = annotateStages(inputStage as Document, run);
  if (Array.isArray(inputStages)) annotated.inputStages = inputStages.map((child: Document) => annotateStages(child, run));
  return annotated;
}

/** Total index keys read by a (counted) plan. */
export function sumKeysExamined(stage: Document): number {
  const own = typeof stage.keysExamined === 'number' ? stage.keysExamined : 0;
  const children = [stage.inputStage, ...(Array.isArray(stage.inputStages) ? stage.inputStages : [])].filter(isPlainObject) as Document[];
  return own + children.reduce((sum, child) => sum + sumKeysExamined(child), 0);
}
