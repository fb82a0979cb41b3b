import type { Document } from 'bson';

/** True for `{...}` literals (not ObjectId, Date, arrays or other class instances). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Deep copy of plain objects, arrays and dates. BSON value classes (ObjectId, Binary…) are
 * shared: the server never mutates them. Stored documents are immutable; anything that
 * may be mutated (mingo updates, aggregation stages) gets a copy.
 */
export function cloneValue<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(cloneValue) as T;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (!isPlainObject(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = cloneValue(value[key]);
  return copy as T;
}

export function cloneDocument(doc: Document): Document {
  return cloneValue(doc);
}

/** MongoDB's type name for error messages ("string", "array", "object"…). */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Date) return 'date';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'double';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'string') return 'string';
  const bsonType = (value as { _bsontype?: string })._bsontype;
  if (bsonType) return bsonType === 'ObjectId' ? 'objectId' : bsonType.toLowerCase();
  return 'object';
}

/** A short, MongoDB-like rendering of a value for error messages. */
export function renderValue(value: unknown): string {
  if (value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  const bsonType = (value as { _bsontype?: string } | null)?._bsontype;
  if (bsonType === 'ObjectId') return `ObjectId('${String(value)}')`;
  if (Array.isArray(value)) return `[ ${value.map(renderValue).join(', ')} ]`;
  if (isPlainObject(value)) {
    return `{ ${Object.entries(value).map(([k, v]) => `${k}: ${renderValue(v)}`).join(', ')} }`;
  }
  return String(value);
}

/**
 * Calls `visit` for each field condition of a filter that must hold for every match: the
 * top-level fields and those inside `$and` (not `$or`/`$nor`, which promise nothing alone).
 */
export function forEachRequiredCondition(filter: Document, visit: (field: string, condition: unknown) => void): void {
  for (const [field, condition] of Object.entries(filter)) {
    if (field === '$and' && Array.isArray(condition)) {
      for (const part of condition) if (isPlainObject(part)) forEachRequiredCondition(part, visit);
      continue;
    }
    if (!field.startsWith('$')) visit(field, condition);
  }
}
