import type { Document } from 'bson';
import type { Collection } from './collection.js';
import { forEachRequiredCondition, isPlainObject } from './document-values.js';
import { encodeKey } from './key-encoding.js';
import { composeKey, type SecondaryIndex } from './secondary-index.js';

const MAX_KEY_COMBINATIONS = 1000;

/**
 * Picks the documents a filter can possibly match without scanning: an `_id` equality,
 * else the complete index covering the longest run of leading fields with equalities
 * (unique indexes win ties), else the union over `$or` branches when every branch is
 * plannable. Returns `undefined` when only a scan will do. The result is a superset; the
 * caller still applies the full filter.
 */
export function planCandidateIds(collection: Collection, filter: Document): Set<string> | undefined {
  const equalities = extractEqualities(filter);
  if (equalities.size > 0) {
    const planned = planEqualities(collection, equalities);
    if (planned) return planned;
  }
  if (Array.isArray(filter.$or) && filter.$or.length > 0 && filter.$or.every(isPlainObject)) {
    const branches = (filter.$or as Document[]).map((branch) => planCandidateIds(collection, branch));
    if (branches.every((branch) => branch !== undefined)) return unionOf(branches);
  }
  return undefined;
}

/** True when the filter pins `_id` to given values: the plan then names every document it can match. */
export function plansById(filter: Document): boolean {
  return extractEqualities(filter).has('_id');
}

function planEqualities(collection: Collection, equalities: Map<string, unknown[]>): Set<string> | undefined {
  const ids = equalities.get('_id');
  if (ids) return new Set(ids.map(encodeKey));
  const best = chooseEqualityIndex(collection, equalities);
  if (!best) return undefined;
  let combos: string[][] = [[]];
  for (const field of best.index.fields.slice(0, best.fieldCount)) {
    const encoded = equalities.get(field)!.map(encodeKey);
    combos = combos.flatMap((prefix) => encoded.map((value) => [...prefix, value]));
  }
  const map = best.index.mapFor(best.fieldCount);
  return unionOf(combos.map((parts) => map.get(composeKey(parts))));
}

function unionOf(sets: Array<Set<string> | undefined>): Set<string> {
  const present = sets.filter((set): set is Set<string> => set !== undefined);
  if (present.length === 1) return present[0];
  const union = new Set<string>();
  for (const set of present) for (const id of set) union.add(id);
  return union;
}

/** Field -> the values it must equal one of, from top-level and `$and` equality conditions. */
export function extractEqualities(filter: Document): Map<string, unknown[]> {
  const equalities = new Map<string, unknown[]>();
  forEachRequiredCondition(filter, (field, condition) => {
    const values = equalityValues(condition);
    if (values && !equalities.has(field)) equalities.set(field, values);
  });
  return equalities;
}

function equalityValues(condition: unknown): unknown[] | undefined {
  if (isPlainObject(condition)) {
    const keys = Object.keys(condition);
    if (keys.length > 0 && keys.every((key) => !key.startsWith('$'))) return [condition];
    if (keys.length === 0) return [condition];
    if ('$eq' in condition && isIndexable(condition.$eq)) return [condition.$eq];
    if (Array.isArray(condition.$in) && condition.$in.every(isIndexable)) return condition.$in;
    return undefined;
  }
  return isIndexable(condition) ? [condition] : undefined;
}

/** Values whose equality match is exactly "some indexed key equals encodeKey(value)". */
function isIndexable(value: unknown): boolean {
  if (Array.isArray(value) || value instanceof RegExp) return false;
  if (isPlainObject(value)) return Object.keys(value).every((key) => !key.startsWith('$'));
  return true;
}

/** How planCandidateIds reaches a filter's candidates: what explain reports as the winning plan. */
export type AccessPlan =
  | { kind: 'idLookup'; values: unknown[] }
  | { kind: 'indexLookup'; index: SecondaryIndex; fieldCount: number; equalities: Map<string, unknown[]> }
  | { kind: 'union'; branches: AccessPlan[] }
  | { kind: 'scan' };

/** Describes the path planCandidateIds takes for `filter`, mirroring its choices step by step. */
export function describeAccessPlan(collection: Collection, filter: Document): AccessPlan {
  const equalities = extractEqualities(filter);
  if (equalities.size > 0) {
    const ids = equalities.get('_id');
    if (ids) return { kind: 'idLookup', values: ids };
    const choice = chooseEqualityIndex(collection, equalities);
    if (choice) return { kind: 'indexLookup', ...choice, equalities };
  }
  if (Array.isArray(filter.$or) && filter.$or.length > 0 && filter.$or.every(isPlainObject)) {
    const branches = (filter.$or as Document[]).map((branch) => describeAccessPlan(collection, branch));
    if (branches.every((branch) => branch.kind !== 'scan')) return { kind: 'union', branches };
  }
  return { kind: 'scan' };
}

/** The index an equality plan uses (the most leading fields matched; a unique one wins a tie), or undefined for a scan. */
function chooseEqualityIndex(collection: Collection, equalities: Map<string, unknown[]>): { index: SecondaryIndex; fieldCount: number } | undefined {
  let best: { index: SecondaryIndex; fieldCount: number } | undefined;
  for (const index of collection.indexes.values()) {
    if (!index.complete) continue;
    let fieldCount = 0;
    while (fieldCount < index.fields.length && equalities.has(index.fields[fieldCount])) fieldCount++;
    if (fieldCount === 0) continue;
    const better =
      !best ||
      fieldCount > best.fieldCount ||
      (fieldCount === best.fieldCount && index.unique && fieldCount === index.fields.length && !best.index.unique);
    if (better) best = { index, fieldCount };
  }
  if (!best) return undefined;
  let combinations = 1;
  for (const field of best.index.fields.slice(0, best.fieldCount)) {
    combinations *= equalities.get(field)!.length;
    if (combinations > MAX_KEY_COMBINATIONS) return undefined;
  }
  return best;
}
