import type { Document } from 'bson';
import { isPlainObject } from './document-values.js';
import { badValue } from './errors.js';

/** Operators whose argument is a list of clauses, each a filter of its own. */
const LOGICAL_OPERATORS = new Set(['$and', '$or', '$nor']);

/**
 * Rewrites the parts of a filter mingo evaluates differently from MongoDB into equivalent
 * forms it gets right. `$all` is the case today: MongoDB defines `{f: {$all: [a, b]}}` as
 * `{$and: [{f: a}, {f: b}]}`, so it matches a scalar `f` equal to the only value and an
 * array equal to a listed array; mingo only looks inside arrays. Returns the filter itself
 * when nothing needs rewriting.
 */
export function normalizeFilter(filter: Document): Document {
  let changed = false;
  const out: Document = {};
  const addedClauses: Document[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (LOGICAL_OPERATORS.has(key) && Array.isArray(value)) {
      const parts = value.map((part) => (isPlainObject(part) ? normalizeFilter(part) : part));
      if (parts.some((part, i) => part !== value[i])) changed = true;
      out[key] = parts;
      continue;
    }
    if (key.startsWith('$') || !isOperatorObject(value)) {
      out[key] = value;
      continue;
    }
    const rewritten = normalizeFieldCondition(key, value);
    if (!rewritten) {
      out[key] = value;
      continue;
    }
    changed = true;
    if (Object.keys(rewritten.remaining).length > 0) out[key] = rewritten.remaining;
    addedClauses.push(...rewritten.clauses);
  }
  if (!changed) return filter;
  if (addedClauses.length > 0) out.$and = [...((out.$and as Document[] | undefined) ?? []), ...addedClauses];
  return out;
}

function isOperatorObject(value: unknown): value is Document {
  return isPlainObject(value) && Object.keys(value).some((key) => key.startsWith('$'));
}

/** Splits one field's operators into those kept as they are and clauses that replace the rest. */
function normalizeFieldCondition(field: string, condition: Document): { remaining: Document; clauses: Document[] } | undefined {
  let changed = false;
  const remaining: Document = {};
  const clauses: Document[] = [];
  for (const [operator, argument] of Object.entries(condition)) {
    if (operator === '$all') {
      changed = true;
      clauses.push(...allAsClauses(field, argument));
    } else if (operator === '$not' && isOperatorObject(argument) && normalizeFieldCondition(field, argument)) {
      // `{f: {$not: X}}` holds exactly when `{f: X}` does not.
      changed = true;
      clauses.push({ $nor: [normalizeFilter({ [field]: argument })] });
    } else if (operator === '$elemMatch' && (argument as { _bsontype?: string } | null)?._bsontype === 'DBRef') {
      // {$ref, $id} arrives as a DBRef; its fields are what the elements must have.
      const ref = argument as unknown as { collection: string; oid: unknown; db?: string };
      changed = true;
      remaining.$elemMatch = { $ref: ref.collection, $id: ref.oid, ...(ref.db ? { $db: ref.db } : {}) };
    } else if (operator === '$elemMatch' && isPlainObject(argument) && !isOperatorObject(argument)) {
      const inner = normalizeFilter(argument);
      if (inner !== argument) changed = true;
      remaining.$elemMatch = inner;
    } else {
      remaining[operator] = argument;
    }
  }
  return changed ? { remaining, clauses } : undefined;
}

function allAsClauses(field: string, values: unknown): Document[] {
  if (!Array.isArray(values)) throw badValue('$all needs an array');
  // An empty $all matches nothing.
  if (values.length === 0) return [{ [field]: { $in: [] } }];
  return values.map((value) => {
    if (isPlainObject(value) && Object.keys(value)[0] === '$elemMatch') {
      const criteria = value.$elemMatch;
      return { [field]: { $elemMatch: isPlainObject(criteria) && !isOperatorObject(criteria) ? normalizeFilter(criteria) : criteria } };
    }
    // A regex in $all matches strings like an implicit regex condition; anything else is an equality.
    return value instanceof RegExp ? { [field]: value } : { [field]: { $eq: value } };
  });
}
