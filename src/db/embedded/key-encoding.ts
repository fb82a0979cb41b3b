import type { ObjectId } from 'bson';

/**
 * Encodes a value as a string so values MongoDB considers equal get the same key:
 * the key of the `_id` map and of every index entry.
 */
export function encodeKey(value: unknown): string {
  if (value === undefined || value === null) return 'n';
  switch (typeof value) {
    case 'number':
      return Object.is(value, -0) ? 'f0' : `f${value}`;
    case 'string':
      return `s${value}`;
    case 'boolean':
      return value ? 'T' : 'F';
    case 'bigint':
      return `f${value}`;
  }
  if (value instanceof Date) return `d${value.getTime()}`;
  if (Array.isArray(value)) return `a${JSON.stringify(value.map(encodeKey))}`;
  if (value instanceof RegExp) return `r${String(value)}`;
  const bsonType = (value as { _bsontype?: string })._bsontype;
  if (bsonType) {
    switch (bsonType) {
      case 'ObjectId':
        return `o${(value as ObjectId).toHexString()}`;
      case 'Long':
      case 'Int32':
      case 'Double':
      case 'Decimal128':
        return `f${String(value)}`;
      case 'Binary': {
        const binary = value as { sub_type: number; toString(encoding: 'base64'): string };
        return `x${binary.sub_type}:${binary.toString('base64')}`;
      }
      default:
        return `b${bsonType}:${String(value)}`;
    }
  }
  const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, encodeKey(v)]);
  return `O${JSON.stringify(entries)}`;
}

/**
 * The values a dotted path reaches in a document, MongoDB style: arrays on the way are
 * traversed, an array at the end contributes its elements (multikey), a missing field is
 * `undefined` (indexed like null).
 */
export function collectPathValues(doc: unknown, path: string): unknown[] {
  const out: unknown[] = [];
  collect(doc, path.split('.'), 0, out);
  return out;
}

function collect(value: unknown, parts: string[], i: number, out: unknown[]): void {
  if (i === parts.length) {
    if (Array.isArray(value)) {
      if (value.length === 0) out.push(undefined);
      else out.push(...value);
    } else {
      out.push(value);
    }
    return;
  }
  if (value === null || typeof value !== 'object') {
    out.push(undefined);
    return;
  }
  if (Array.isArray(value)) {
    if (/^\d+$/.test(parts[i])) {
      collect(value[Number(parts[i])], parts, i + 1, out);
      return;
    }
    if (value.length === 0) out.push(undefined);
    for (const element of value) collect(element, parts, i, out);
    return;
  }
  collect((value as Record<string, unknown>)[parts[i]], parts, i + 1, out);
}

/** The first value at a dotted path without array traversal (for error messages). */
export function getPathValue(doc: unknown, path: string): unknown {
  let value: unknown = doc;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}
