import type { Binary, Document } from 'bson';
import * as comparisonOperators from 'mingo/operators/query/comparison';
import { isEqual } from 'mingo/util';
import { compareBsonValues, isPlainObject } from './document-values.js';
import { badValue } from './errors.js';

/*
 * Query operators mingo evaluates by JavaScript types where MongoDB means BSON types:
 * `$type` (mingo calls every number a double and a long), ranges over BinData, the `$bits…`
 * operators (mingo reads only numbers, MongoDB also BinData), and the DBRef fields `$ref`, `$id` and `$db`
 * inside `$elemMatch` (mingo takes them for unknown operators). Used by query-matcher's
 * mingo context in place of mingo's own.
 */

type Predicate = (doc: Document) => boolean;
type QueryOperator = (selector: string, value: unknown, options: unknown) => Predicate;

/** MongoDB's type numbers and aliases. */
const TYPE_ALIASES: Record<string, number> = {
  double: 1, string: 2, object: 3, array: 4, binData: 5, undefined: 6, objectId: 7, bool: 8, date: 9, null: 10,
  regex: 11, dbPointer: 12, javascript: 13, symbol: 14, javascriptWithScope: 15, int: 16, timestamp: 17, long: 18,
  decimal: 19, minKey: -1, maxKey: 127,
};
const KNOWN_TYPE_NUMBERS = new Set(Object.values(TYPE_ALIASES));
/** "number" matches any of the four numeric types. */
const NUMBER_TYPES = [1, 16, 18, 19];
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

const CLASS_TYPES: Record<string, number> = {
  Double: 1, Int32: 16, Long: 18, Decimal128: 19, Binary: 5, ObjectId: 7, Timestamp: 17, BSONRegExp: 11, BSONSymbol: 14,
  MinKey: -1, MaxKey: 127, DBRef: 3,
};

/** The BSON type number a value is stored as (numbers as the serializer writes them). */
export function bsonTypeNumber(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (value === null) return 10;
  if (typeof value === 'number') return Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX ? 16 : 1;
  if (typeof value === 'bigint') return 18;
  if (typeof value === 'string') return 2;
  if (typeof value === 'boolean') return 8;
  if (Array.isArray(value)) return 4;
  if (value instanceof Date) return 9;
  if (value instanceof RegExp) return 11;
  const bsonType = (value as { _bsontype?: string })._bsontype;
  if (bsonType === 'Code') return (value as { scope?: unknown }).scope ? 15 : 13;
  if (bsonType !== undefined) return CLASS_TYPES[bsonType] ?? 3;
  return 3;
}

function parseTypeSpec(spec: unknown): Set<number> {
  const list = Array.isArray(spec) ? spec : [spec];
  if (list.length === 0) throw badValue('$type must match at least one type');
  const wanted = new Set<number>();
  for (const entry of list) {
    if (typeof entry === 'string') {
      if (entry === 'number') NUMBER_TYPES.forEach((type) => wanted.add(type));
      else if (entry in TYPE_ALIASES) wanted.add(TYPE_ALIASES[entry]);
      else throw badValue(`Unknown type name alias: ${entry}`);
      continue;
    }
    const code = Number(typeof entry === 'object' && entry !== null ? (entry as { valueOf(): unknown }).valueOf() : entry);
    if (!Number.isInteger(code) || !KNOWN_TYPE_NUMBERS.has(code)) throw badValue(`Invalid numerical type code: ${String(entry)}`);
    wanted.add(code);
  }
  return wanted;
}

/**
 * The values a dotted path reaches, arrays along the way traversed and an array at the end
 * kept whole (the operators decide whether its elements count).
 */
function leafValues(doc: unknown, parts: readonly string[], i = 0, out: unknown[] = []): unknown[] {
  if (i === parts.length) {
    out.push(doc);
    return out;
  }
  if (doc === null || typeof doc !== 'object') return out;
  if (Array.isArray(doc)) {
    if (/^\d+$/.test(parts[i])) leafValues(doc[Number(parts[i])], parts, i + 1, out);
    for (const element of doc) if (element !== null && typeof element === 'object' && !Array.isArray(element)) leafValues(element, parts, i, out);
    return out;
  }
  const record = doc as Record<string, unknown>;
  if (Object.prototype.hasOwnProperty.call(record, parts[i])) leafValues(record[parts[i]], parts, i + 1, out);
  return out;
}

/** Each value at the path, and the elements of an array there (as MongoDB's field matching reads them). */
function fieldValues(doc: Document, selector: string): { whole: unknown[]; each: unknown[] } {
  const whole = leafValues(doc, selector.split('.'));
  const each = whole.flatMap((value) => (Array.isArray(value) ? value : [value]));
  return { whole, each };
}

const $type: QueryOperator = (selector, spec) => {
  const wanted = parseTypeSpec(spec);
  return (doc) => {
    const { whole, each } = fieldValues(doc, selector);
    if (wanted.has(4) && whole.some(Array.isArray)) return true;
    return each.some((value) => {
      const type = bsonTypeNumber(value);
      return type !== undefined && wanted.has(type);
    });
  };
};

/** The bit positions a `$bits…` operand names: a list of positions, a number mask, or BinData bytes. */
function parseBitPositions(operator: string, operand: unknown): number[] {
  if (Array.isArray(operand)) {
    for (const position of operand) {
      if (!Number.isInteger(position) || (position as number) < 0) throw badValue(`bit positions must be >= 0 but got: ${String(position)}`);
    }
    return operand as number[];
  }
  if (typeof operand === 'number') {
    if (!Number.isInteger(operand) || operand < 0) throw badValue(`${operator} takes a non-negative integer mask, a list of bit positions or BinData`);
    const positions: number[] = [];
    for (let bit = 0; bit < 64 && 2 ** bit <= operand; bit++) if (Math.floor(operand / 2 ** bit) % 2 === 1) positions.push(bit);
    return positions;
  }
  if ((operand as { _bsontype?: string } | null)?._bsontype === 'Binary') return bytePositions((operand as Binary).value());
  throw badValue(`${operator} takes a non-negative integer mask, a list of bit positions or BinData`);
}

function bytePositions(bytes: Uint8Array): number[] {
  const positions: number[] = [];
  bytes.forEach((byte, index) => {
    for (let bit = 0; bit < 8; bit++) if ((byte >> bit) & 1) positions.push(index * 8 + bit);
  });
  return positions;
}

/**
 * Whether bit `position` is set in a value, or undefined when the value cannot take bit
 * tests: numbers must be integral (two's complement, sign-extended), BinData is read
 * little-endian by byte, anything else never matches.
 */
function bitReader(value: unknown): ((position: number) => boolean) | undefined {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || !Number.isSafeInteger(value)) return undefined;
    const big = BigInt.asUintN(64, BigInt(value));
    return (position) => position < 64 ? ((big >> BigInt(position)) & 1n) === 1n : value < 0;
  }
  const bsonType = (value as { _bsontype?: string } | null)?._bsontype;
  if (bsonType === 'Long') {
    const big = BigInt.asUintN(64, BigInt((value as { toString(): string }).toString()));
    return (position) => position < 64 ? ((big >> BigInt(position)) & 1n) === 1n : (value as { isNegative(): boolean }).isNegative();
  }
  if (bsonType === 'Binary') {
    const bytes = (value as Binary).value();
    return (position) => Math.floor(position / 8) < bytes.length && ((bytes[Math.floor(position / 8)] >> (position % 8)) & 1) === 1;
  }
  return undefined;
}

function bitOperator(operator: string, holds: (positions: number[], isSet: (position: number) => boolean) => boolean): QueryOperator {
  return (selector, operand) => {
    const positions = parseBitPositions(operator, operand);
    return (doc) =>
      fieldValues(doc, selector).whole.some((value) => {
        const isSet = bitReader(value);
        return isSet !== undefined && holds(positions, isSet);
      });
  };
}

/** `{$elemMatch: {$ref: 'users', $id: id}}`: the DBRef fields are fields here, not operators. */
function dbRefField(field: '$ref' | '$id' | '$db'): QueryOperator {
  // The BSON reader turns {$ref, $id, $db} into a DBRef (collection, oid, db).
  const property = { $ref: 'collection', $id: 'oid', $db: 'db' }[field];
  const read = (value: unknown): unknown =>
    (value as { _bsontype?: string } | null)?._bsontype === 'DBRef' ? (value as Record<string, unknown>)[property] : isPlainObject(value) ? value[field] : undefined;
  return (selector, expected) => (doc) =>
    leafValues(doc, selector.split('.')).some((value) => {
      const actual = read(value);
      return actual !== undefined && isEqual(actual, expected);
    });
}

/**
 * `$gt`… with a BinData operand: MongoDB orders BinData by length, then subtype, then bytes,
 * and only against other BinData; mingo compares their text. Other operands stay mingo's.
 */
function binaryRange(original: QueryOperator, holds: (order: number) => boolean): QueryOperator {
  return (selector, operand, options) => {
    if ((operand as { _bsontype?: string } | null)?._bsontype !== 'Binary') return original(selector, operand, options);
    return (doc) =>
      fieldValues(doc, selector).each.some((value) => (value as { _bsontype?: string } | null)?._bsontype === 'Binary' && holds(compareBsonValues(value, operand)));
  };
}

export const BSON_QUERY_OPERATORS: Record<string, QueryOperator> = {
  $type,
  $gt: binaryRange(comparisonOperators.$gt as QueryOperator, (order) => order > 0),
  $gte: binaryRange(comparisonOperators.$gte as QueryOperator, (order) => order >= 0),
  $lt: binaryRange(comparisonOperators.$lt as QueryOperator, (order) => order < 0),
  $lte: binaryRange(comparisonOperators.$lte as QueryOperator, (order) => order <= 0),
  $bitsAllSet: bitOperator('$bitsAllSet', (positions, isSet) => positions.every(isSet)),
  $bitsAnySet: bitOperator('$bitsAnySet', (positions, isSet) => positions.some(isSet)),
  $bitsAllClear: bitOperator('$bitsAllClear', (positions, isSet) => positions.every((position) => !isSet(position))),
  $bitsAnyClear: bitOperator('$bitsAnyClear', (positions, isSet) => positions.some((position) => !isSet(position))),
  $ref: dbRefField('$ref'),
  $id: dbRefField('$id'),
  $db: dbRefField('$db'),
};
