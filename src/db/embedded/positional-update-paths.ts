import type { Document } from 'bson';
import { forEachRequiredCondition, isPlainObject, renderValue } from './document-values.js';
import { ErrorCode, MongoCommandError, badValue, notImplemented } from './errors.js';
import { compileMatcher, type Matcher } from './query-matcher.js';
import { arrayFilterName, comparePaths, isArrayFilterPart, isPositionalPart, type UpdateEntry } from './update-path-tree.js';

/** An update entry whose path names actual fields and array indexes, no `$` parts. */
export interface ConcreteEntry extends UpdateEntry {
  parts: string[];
  /** The entry as written, shared by every path it expanded to. */
  source: UpdateEntry;
}

export type ArrayFilters = Map<string, (element: unknown) => boolean>;

const LOGICAL_OPERATORS = new Set(['$and', '$or', '$nor']);

/**
 * Parses `arrayFilters`: each filter names one identifier (the first part of its field
 * names) and is matched against an array element as `{identifier: element}`.
 */
export function parseArrayFilters(raw: unknown): ArrayFilters {
  const filters: ArrayFilters = new Map();
  if (raw === undefined || raw === null) return filters;
  if (!Array.isArray(raw)) throw new MongoCommandError(ErrorCode.TypeMismatch, 'arrayFilters must be an array');
  for (const filter of raw) {
    if (!isPlainObject(filter)) throw new MongoCommandError(ErrorCode.TypeMismatch, 'Each array filter must be an object');
    const names = new Set<string>();
    collectTopLevelNames(filter, names);
    if (names.size === 0) throw parseError('Cannot use an expression without a top-level field name in arrayFilters');
    if (names.size > 1) {
      const [first, second] = [...names];
      throw parseError(`Error parsing array filter :: caused by :: Expected a single top-level field name, found '${first}' and '${second}'`);
    }
    const [name] = names;
    if (!/^[a-z][a-zA-Z0-9]*$/.test(name)) {
      throw parseError(`Error parsing array filter :: caused by :: The top-level field name must be an alphanumeric string beginning with a lowercase letter, found '${name}'`);
    }
    if (filters.has(name)) throw parseError(`Found multiple array filters with the same top-level field name ${name}`);
    const matches = compileMatcher(filter);
    filters.set(name, (element) => matches({ [name]: element }));
  }
  return filters;
}

function collectTopLevelNames(filter: Document, names: Set<string>): void {
  for (const [key, value] of Object.entries(filter)) {
    if (LOGICAL_OPERATORS.has(key) && Array.isArray(value)) {
      for (const part of value) if (isPlainObject(part)) collectTopLevelNames(part, names);
    } else if (!key.startsWith('$')) {
      names.add(key.split('.')[0]);
    }
  }
}

function parseError(message: string): MongoCommandError {
  return new MongoCommandError(ErrorCode.FailedToParse, message);
}

/** Refuses array filters no path uses and paths naming a filter that was not given. */
export function checkArrayFilterUse(entries: UpdateEntry[], used: Set<string>, filters: ArrayFilters): void {
  for (const name of used) {
    if (filters.has(name)) continue;
    const entry = entries.find((candidate) => candidate.path.split('.').some((part) => isArrayFilterPart(part) && arrayFilterName(part) === name));
    throw badValue(`No array filter found for identifier '${name}' in path '${entry?.path ?? ''}'`);
  }
  for (const name of filters.keys()) {
    if (!used.has(name)) {
      const update = entries.map((entry) => `${entry.operator}: { ${entry.path}: ${renderValue(entry.argument)} }`).join(', ');
      throw parseError(`The array filter for identifier '${name}' was not used in the update { ${update} }`);
    }
  }
}

export interface ExpansionContext {
  filters: ArrayFilters;
  query: Document | undefined;
  isInsert: boolean;
}

/**
 * Replaces every `$`, `$[]` and `$[name]` part with the array indexes it stands for in
 * the document as it was before the update (MongoDB evaluates array filters against the
 * original elements), then refuses two resulting paths that touch the same field, as
 * MongoDB does when it merges the branches for one element ("Update created a conflict").
 * Returned entries are in the order MongoDB applies them.
 */
export function expandUpdatePaths(doc: Document, entries: UpdateEntry[], context: ExpansionContext): ConcreteEntry[] {
  let matchedIndex: string | undefined;
  const positionalIndex = (): string => {
    matchedIndex ??= findMatchedIndex(doc, context);
    return matchedIndex;
  };
  const concrete: ConcreteEntry[] = [];
  let expanded = false;
  for (const entry of entries) {
    const parts = entry.path.split('.');
    if (!parts.some(isPositionalPart)) {
      concrete.push({ operator: entry.operator, path: entry.path, argument: entry.argument, parts, source: entry });
      continue;
    }
    expanded = true;
    for (const resolved of resolveParts(doc, parts, 0, [], context.filters, positionalIndex)) {
      concrete.push({ operator: entry.operator, path: resolved.join('.'), argument: entry.argument, parts: resolved, source: entry });
    }
  }
  // Written out rather than spread above: this is the hot path of every update.
  const ordered = concrete.length > 1 ? concrete.sort((a, b) => comparePaths(a.parts, b.parts)) : concrete;
  if (expanded) assertNoOverlap(ordered);
  return ordered;
}

function resolveParts(value: unknown, parts: string[], i: number, taken: string[], filters: ArrayFilters, positionalIndex: () => string): string[][] {
  if (i === parts.length) return [taken];
  const part = parts[i];
  if (part === '$') {
    const index = positionalIndex();
    return resolveParts(childOf(value, index), parts, i + 1, [...taken, index], filters, positionalIndex);
  }
  if (!isArrayFilterPart(part)) return resolveParts(childOf(value, part), parts, i + 1, [...taken, part], filters, positionalIndex);
  if (value === undefined) throw badValue(`The path '${taken.join('.')}' must exist in the document in order to apply array updates.`);
  if (!Array.isArray(value)) {
    throw badValue(`Cannot apply array updates to non-array element ${taken[taken.length - 1]}: ${renderValue(value)}`);
  }
  const name = arrayFilterName(part);
  const matches = name === '' ? undefined : filters.get(name);
  const results: string[][] = [];
  value.forEach((element, index) => {
    if (matches && !matches(element)) return;
    results.push(...resolveParts(element, parts, i + 1, [...taken, String(index)], filters, positionalIndex));
  });
  return results;
}

function childOf(value: unknown, part: string): unknown {
  if (Array.isArray(value)) return /^\d+$/.test(part) ? value[Number(part)] : undefined;
  return isPlainObject(value) ? value[part] : undefined;
}

function assertNoOverlap(ordered: ConcreteEntry[]): void {
  for (let i = 1; i < ordered.length; i++) {
    const [shorter, longer] = [ordered[i - 1].parts, ordered[i].parts];
    if (shorter.length <= longer.length && shorter.every((part, j) => part === longer[j])) {
      throw new MongoCommandError(ErrorCode.ConflictingUpdateOperators, `Update created a conflict at '${shorter.join('.')}'`);
    }
  }
}

const NO_MATCH = 'The positional operator did not find the match needed from the query.';

/**
 * The array index the positional `$` stands for: the element through which the query
 * matched the document. Each condition on an array names its first matching element; when
 * the conditions name different elements MongoDB's answer depends on its evaluation order,
 * so that case is refused rather than guessed.
 */
function findMatchedIndex(doc: Document, context: ExpansionContext): string {
  if (context.isInsert || !context.query) throw badValue(NO_MATCH);
  const index = matchedIndexOf(doc, context.query);
  if (index === undefined) throw badValue(NO_MATCH);
  return String(index);
}

function matchedIndexOf(doc: Document, filter: Document): number | undefined {
  const found = new Set<number>();
  forEachRequiredCondition(filter, (field, condition) => {
    const index = firstMatchingElement(doc, field, condition);
    if (index !== undefined) found.add(index);
  });
  if (found.size > 1) throw notImplemented('the positional $ operator when query conditions match different array elements');
  if (found.size === 1) return [...found][0];
  // Otherwise the first $or branch that matches names the element, as MongoDB evaluates $or in order.
  const branches = Array.isArray(filter.$or) ? (filter.$or as unknown[]) : [];
  for (const branch of branches) {
    if (isPlainObject(branch) && compileMatcher(branch)(doc)) return matchedIndexOf(doc, branch);
  }
  return undefined;
}

/** The index of the first element of the array a condition's path goes through that satisfies it. */
function firstMatchingElement(doc: Document, field: string, condition: unknown): number | undefined {
  const parts = field.split('.');
  let value: unknown = doc;
  let arrayDepth: number | undefined;
  for (let i = 0; i < parts.length; i++) {
    if (Array.isArray(value)) {
      if (!/^\d+$/.test(parts[i])) {
        arrayDepth = i;
        break;
      }
      value = value[Number(parts[i])];
      continue;
    }
    if (!isPlainObject(value)) return undefined;
    value = value[parts[i]];
  }
  if (arrayDepth === undefined) {
    if (!Array.isArray(value)) return undefined;
    arrayDepth = parts.length;
  }
  const array = value as unknown[];
  const matches: Matcher = compileMatcher({ [field]: condition });
  for (let index = 0; index < array.length; index++) {
    if (matches(withArrayNarrowed(doc, parts.slice(0, arrayDepth), array[index]))) return index;
  }
  return undefined;
}

/** A shallow copy of `doc` in which the array at `path` holds only `element`. */
function withArrayNarrowed(doc: Document, path: string[], element: unknown): Document {
  const copy: Document = { ...doc };
  let container: Record<string, unknown> | unknown[] = copy;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i];
    const child: unknown = Array.isArray(container) ? container[Number(key)] : container[key];
    const cloned: Record<string, unknown> | unknown[] = Array.isArray(child) ? [...child] : { ...(child as Record<string, unknown>) };
    if (Array.isArray(container)) container[Number(key)] = cloned;
    else container[key] = cloned;
    container = cloned;
  }
  const last = path[path.length - 1];
  if (Array.isArray(container)) container[Number(last)] = [element];
  else container[last] = [element];
  return copy;
}
