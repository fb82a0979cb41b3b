import { ErrorCode, MongoCommandError, badValue } from './errors.js';

/** One `{operator: {path: argument}}` pair of an operator-style update. */
export interface UpdateEntry {
  operator: string;
  path: string;
  argument: unknown;
}

type NodeKind = 'object' | 'array' | 'leaf';

interface PathNode {
  kind: NodeKind;
  children: Map<string, PathNode>;
}

const IDENTIFIER = /^[a-z][a-zA-Z0-9]*$/;
const ARRAY_INDEX = /^\d+$/;

/** `$[]` (every element) or `$[name]` (elements matching the array filter `name`). */
export function isArrayFilterPart(part: string): boolean {
  return part.startsWith('$[') && part.endsWith(']');
}

/** The array filter name of a `$[name]` part; '' for `$[]`. */
export function arrayFilterName(part: string): string {
  return part.slice(2, -1);
}

/** Parts that stand for array elements chosen at run time rather than a field name. */
export function isPositionalPart(part: string): boolean {
  return part === '$' || isArrayFilterPart(part);
}

/**
 * Checks an update's paths the way MongoDB builds its update tree: every path becomes a
 * branch, a part followed by `$[]`/`$[name]` is an array node, any other part an object node,
 * and the last part a leaf. Sibling branches may share their prefix (`x.$[].a` with
 * `x.$[].b`); a path that needs a node to be of another kind than an earlier path made it
 * (`x` then `x.$[].a`, `x.$[].a` then `x.$[].a.b`, `x.0` then `x.$[]`) or lands on an
 * existing node is a ConflictingUpdateOperators (40) error, reported for the first clash
 * in update order. Returns the array filter names the paths use.
 */
export function checkUpdatePaths(entries: UpdateEntry[]): Set<string> {
  const root: PathNode = { kind: 'object', children: new Map() };
  const usedFilters = new Set<string>();
  for (const entry of entries) {
    if (entry.operator === '$rename') {
      // A rename occupies both its source and its destination.
      const target = entry.argument;
      if (typeof target !== 'string') throw badValue(`The 'to' field for $rename must be a string: ${entry.path}: ${String(target)}`);
      for (const [path, role] of [[entry.path, 'source'], [target, 'destination']] as const) {
        if (path.split('.').some(isPositionalPart)) throw badValue(`The ${role} field for $rename may not be dynamic: ${path}`);
        addBranch(root, parsePath(path), usedFilters);
      }
      continue;
    }
    addBranch(root, parsePath(entry.path), usedFilters);
  }
  return usedFilters;
}

/** Splits a dotted update path, refusing the shapes MongoDB refuses before looking at data. */
export function parsePath(path: string): string[] {
  if (path === '') throw new MongoCommandError(ErrorCode.EmptyFieldName, 'An empty update path is not valid.');
  const parts = path.split('.');
  if (parts.some((part) => part === '')) {
    throw new MongoCommandError(ErrorCode.EmptyFieldName, `The update path '${path}' contains an empty field name, which is not allowed.`);
  }
  const positionalCount = parts.filter((part) => part === '$').length;
  if (positionalCount > 1) throw badValue(`Too many positional (i.e. '$') elements found in path '${path}'`);
  if (parts[0] === '$') throw badValue(`Cannot have positional (i.e. '$') element in the first position in path '${path}'`);
  if (isArrayFilterPart(parts[0])) {
    throw badValue(`Cannot have array filter identifier (i.e. '$[<id>]') element in the first position in path '${path}'`);
  }
  return parts;
}

function addBranch(root: PathNode, parts: string[], usedFilters: Set<string>): void {
  const path = parts.join('.');
  let current = root;
  for (let i = 0; i < parts.length; i++) {
    const name = childName(parts[i], usedFilters);
    const existing = current.children.get(name);
    if (i === parts.length - 1) {
      if (existing) throw conflict(path, path);
      current.children.set(name, { kind: 'leaf', children: new Map() });
      return;
    }
    const kind: NodeKind = isArrayFilterPart(parts[i + 1]) ? 'array' : 'object';
    if (existing && existing.kind !== kind) throw conflict(path, parts.slice(0, i + 1).join('.'));
    const next = existing ?? { kind, children: new Map() };
    current.children.set(name, next);
    current = next;
  }
}

function childName(part: string, usedFilters: Set<string>): string {
  if (!isArrayFilterPart(part)) return part;
  const name = arrayFilterName(part);
  if (name !== '' && !IDENTIFIER.test(name)) {
    throw badValue(`The array filter identifier '${name}' must begin with a lowercase letter and contain only letters and digits`);
  }
  if (name !== '') usedFilters.add(name);
  // `$[]` and `$[name]` children of one array node are distinct branches.
  return part;
}

function conflict(path: string, at: string): MongoCommandError {
  return new MongoCommandError(ErrorCode.ConflictingUpdateOperators, `Updating the path '${path}' would create a conflict at '${at}'`);
}

/**
 * Orders concrete paths the way MongoDB walks its update tree (field names compared as
 * strings, array indexes as numbers), which is also the order new fields are created in.
 */
export function comparePaths(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    if (ARRAY_INDEX.test(a[i]) && ARRAY_INDEX.test(b[i])) return Number(a[i]) - Number(b[i]) || (a[i] < b[i] ? -1 : 1);
    return a[i] < b[i] ? -1 : 1;
  }
  return a.length - b.length;
}
