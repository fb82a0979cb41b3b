import { compareBsonValues, isPlainObject } from './document-values.js';
import { compileMatcher } from './query-matcher.js';

/** Field-level query operators: an object starting with one is a condition on the element itself. */
const FIELD_OPERATORS = new Set([
  '$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$all', '$size', '$exists', '$type', '$mod', '$regex',
  '$options', '$elemMatch', '$near', '$nearSphere', '$geoNear', '$within', '$geoWithin', '$geoIntersects',
  '$bitsAllSet', '$bitsAllClear', '$bitsAnySet', '$bitsAnyClear',
]);

/** The key the element is wrapped under when the condition applies to the element itself. */
const WRAPPED = 'element';

export type ElementPredicate = (element: unknown) => boolean;

/**
 * Which array elements a `$pull` removes, decided as MongoDB decides it:
 * - an object whose first field is not a field-level operator (`{qty: {$gt: 5}}`,
 *   `{$or: [...]}`, `{a: 1, b: 2}`) is a query; only elements that are objects can match,
 *   and extra fields in an element do not prevent the match;
 * - an object starting with a field-level operator (`{$gt: 5}`) or a regex applies to the
 *   element itself, whatever its type;
 * - any other value (scalar, array) removes the elements equal to it.
 */
export function compilePullCondition(condition: unknown): ElementPredicate {
  if (isPlainObject(condition)) {
    const first = Object.keys(condition)[0];
    if (first === undefined || !FIELD_OPERATORS.has(first)) {
      const matches = compileMatcher(condition);
      return (element) => isPlainObject(element) && matches(element);
    }
    return wrapElement(condition);
  }
  if (condition instanceof RegExp) return wrapElement(condition);
  return (element) => compareBsonValues(element, condition) === 0;
}

function wrapElement(condition: unknown): ElementPredicate {
  const matches = compileMatcher({ [WRAPPED]: condition });
  return (element) => matches({ [WRAPPED]: element });
}
