import { isPlainObject, renderValue } from './document-values.js';
import { ErrorCode, MongoCommandError } from './errors.js';

/*
 * Reading and writing one concrete dotted path (no `$` parts) the way MongoDB's update
 * walks a document: a numeric part indexes an array, a missing part is created (objects
 * for fields, null padding for array indexes), and a path that would have to go through
 * anything else (a scalar, null, or an array with a field name) is not viable.
 */

type Container = Record<string, unknown> | unknown[];

/** MongoDB refuses to pad an array by more than this many nulls. */
const MAX_ARRAY_PADDING = 1_500_000;

const isIndex = (part: string): boolean => /^\d+$/.test(part);

export interface NonViablePath {
  /** Index of the part that cannot be reached or created. */
  index: number;
  /** The value the walk stopped at, and the name it has in its parent. */
  blocker: unknown;
  blockerName: string;
}

/** Where the walk along `parts` gets stuck, or undefined when the path can be reached or created. */
export function findNonViablePart(doc: Record<string, unknown>, parts: string[]): NonViablePath | undefined {
  let value: unknown = doc;
  for (let i = 0; i < parts.length; i++) {
    if (Array.isArray(value)) {
      if (!isIndex(parts[i])) return { index: i, blocker: value, blockerName: parts[i - 1] };
      value = value[Number(parts[i])];
    } else if (isPlainObject(value)) {
      value = value[parts[i]];
    } else {
      return { index: i, blocker: value, blockerName: parts[i - 1] };
    }
    if (value === undefined) return undefined;
  }
  return undefined;
}

/** PathNotViable (28) for an operator that would create the path ($set, $inc, $push…). */
export function cannotCreateField(parts: string[], stuck: NonViablePath): MongoCommandError {
  return new MongoCommandError(
    ErrorCode.PathNotViable,
    `Cannot create field '${parts[stuck.index]}' in element {${stuck.blockerName}: ${renderValue(stuck.blocker)}}`,
  );
}

/** PathNotViable (28) for an operator that only changes an existing array ($pull, $pop, $pullAll). */
export function cannotTraverse(parts: string[], stuck: NonViablePath): MongoCommandError {
  return new MongoCommandError(
    ErrorCode.PathNotViable,
    `Cannot use the part (${parts[stuck.index]}) of (${parts.join('.')}) to traverse the element ({${stuck.blockerName}: ${renderValue(stuck.blocker)}})`,
  );
}

/** The value at a viable path, or undefined when some part is missing. */
export function readPath(doc: Record<string, unknown>, parts: string[]): unknown {
  let value: unknown = doc;
  for (const part of parts) {
    if (Array.isArray(value)) value = isIndex(part) ? value[Number(part)] : undefined;
    else if (isPlainObject(value)) value = value[part];
    else return undefined;
    if (value === undefined) return undefined;
  }
  return value;
}

/** Sets the value at a viable path, creating what is missing on the way. */
export function writePath(doc: Record<string, unknown>, parts: string[], value: unknown): void {
  let container: Container = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    let child = getChild(container, parts[i]);
    if (child === undefined) {
      child = {};
      setChild(container, parts[i], child);
    }
    container = child as Container;
  }
  setChild(container, parts[parts.length - 1], value);
}

/**
 * `$unset` of a viable, existing path: a field is removed, an array element becomes null
 * (removing it would shift the others). Returns whether anything changed.
 */
export function removePath(doc: Record<string, unknown>, parts: string[]): boolean {
  const parent = readPath(doc, parts.slice(0, -1));
  const last = parts[parts.length - 1];
  if (Array.isArray(parent)) {
    if (!isIndex(last) || Number(last) >= parent.length || parent[Number(last)] === null) return false;
    parent[Number(last)] = null;
    return true;
  }
  if (!isPlainObject(parent) || !Object.prototype.hasOwnProperty.call(parent, last)) return false;
  delete parent[last];
  return true;
}

function getChild(container: Container, part: string): unknown {
  return Array.isArray(container) ? container[Number(part)] : container[part];
}

function setChild(container: Container, part: string, value: unknown): void {
  if (!Array.isArray(container)) {
    container[part] = value;
    return;
  }
  const index = Number(part);
  if (index - container.length > MAX_ARRAY_PADDING) {
    throw new MongoCommandError(ErrorCode.CannotBackfillArray, `can't backfill more than ${MAX_ARRAY_PADDING} elements`);
  }
  while (container.length < index) container.push(null);
  container[index] = value;
}
