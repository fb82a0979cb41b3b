import { serialize, type Binary, type Document } from 'bson';

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
  for (const key of Object.keys(value)) {
    // A field named "__proto__" is data (MongoDB allows it); assigning it would set the prototype.
    if (key === '__proto__') Object.defineProperty(copy, key, { value: cloneValue(value[key]), enumerable: true, writable: true, configurable: true });
    else copy[key] = cloneValue(value[key]);
  }
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

/**
 * True when two values would be stored as the same BSON bytes: same types (a Binary's
 * subtype included) and the same field order. MongoDB counts an update that leaves the
 * bytes as they were as a no-op and any other as a change, so equality shortcuts in
 * updates use this rather than query equality (which ignores field order and subtypes).
 */
export function isIdenticalValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' || typeof b === 'number') return Object.is(a, b);
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((value, i) => isIdenticalValue(value, b[i]));
  }
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && Object.is(a.getTime(), b.getTime());
  if (a instanceof RegExp || b instanceof RegExp) {
    return a instanceof RegExp && b instanceof RegExp && a.source === b.source && a.flags === b.flags;
  }
  if (isPlainObject(a) || isPlainObject(b)) {
    if (!isPlainObject(a) || !isPlainObject(b)) return false;
    const keysA = Object.keys(a);
    const keysB = Object.keys(b);
    return keysA.length === keysB.length && keysA.every((key, i) => key === keysB[i] && isIdenticalValue(a[key], b[key]));
  }
  const typeA = (a as { _bsontype?: string })._bsontype;
  if (typeA !== (b as { _bsontype?: string })._bsontype) return false;
  if (typeA === 'Binary') {
    const [binA, binB] = [a as Binary, b as Binary];
    return binA.sub_type === binB.sub_type && binA.position === binB.position && Buffer.compare(binA.value(), binB.value()) === 0;
  }
  // Other BSON value classes (ObjectId, Long, Timestamp…) are identical when their bytes are.
  return Buffer.compare(serialize({ v: a }), serialize({ v: b })) === 0;
}

const CANONICAL_TYPE_RANK: Record<string, number> = {
  MinKey: 1, Int32: 3, Double: 3, Long: 3, Decimal128: 3, BSONSymbol: 4, Binary: 7, ObjectId: 8, Timestamp: 11,
  BSONRegExp: 12, Code: 13, MaxKey: 100,
};

/** MongoDB's canonical type order (null < numbers < strings < objects < arrays < binData < …). */
function typeRank(value: unknown): number {
  if (value === undefined || value === null) return 2;
  if (typeof value === 'number' || typeof value === 'bigint') return 3;
  if (typeof value === 'string') return 4;
  if (typeof value === 'boolean') return 9;
  if (Array.isArray(value)) return 6;
  if (value instanceof Date) return 10;
  if (value instanceof RegExp) return 12;
  if (isPlainObject(value)) return 5;
  return CANONICAL_TYPE_RANK[(value as { _bsontype?: string })._bsontype ?? ''] ?? 50;
}

function sign(difference: number): number {
  return difference < 0 ? -1 : difference > 0 ? 1 : 0;
}

/** Orders two values the way MongoDB orders index keys and sort keys (missing as null). */
export function compareBsonValues(a: unknown, b: unknown): number {
  const rankA = typeRank(a);
  const rankB = typeRank(b);
  if (rankA !== rankB) return sign(rankA - rankB);
  switch (rankA) {
    case 2:
      return 0;
    case 3:
      return sign(Number(a) - Number(b));
    case 4: {
      const [textA, textB] = [String(a), String(b)];
      return textA < textB ? -1 : textA > textB ? 1 : 0;
    }
    case 5: {
      const entriesA = Object.entries(a as Document);
      const entriesB = Object.entries(b as Document);
      for (let i = 0; i < Math.min(entriesA.length, entriesB.length); i++) {
        const byType = sign(typeRank(entriesA[i][1]) - typeRank(entriesB[i][1]));
        if (byType !== 0) return byType;
        if (entriesA[i][0] !== entriesB[i][0]) return entriesA[i][0] < entriesB[i][0] ? -1 : 1;
        const byValue = compareBsonValues(entriesA[i][1], entriesB[i][1]);
        if (byValue !== 0) return byValue;
      }
      return sign(entriesA.length - entriesB.length);
    }
    case 6: {
      const [listA, listB] = [a as unknown[], b as unknown[]];
      for (let i = 0; i < Math.min(listA.length, listB.length); i++) {
        const byValue = compareBsonValues(listA[i], listB[i]);
        if (byValue !== 0) return byValue;
      }
      return sign(listA.length - listB.length);
    }
    case 7: {
      const [binA, binB] = [a as Binary, b as Binary];
      return sign(binA.position - binB.position) || sign(binA.sub_type - binB.sub_type) || sign(Buffer.compare(binA.value(), binB.value()));
    }
    case 9:
      return sign(Number(a) - Number(b));
    case 10:
      return sign((a as Date).getTime() - (b as Date).getTime());
    default: {
      const [textA, textB] = [String(a), String(b)];
      return textA < textB ? -1 : textA > textB ? 1 : 0;
    }
  }
}
