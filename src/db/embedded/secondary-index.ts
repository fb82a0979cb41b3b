import type { Document } from 'bson';
import { Query } from './mingo-context.js';
import { ErrorCode, MongoCommandError } from './errors.js';
import { collectPathValues, encodeKey, getPathValue } from './key-encoding.js';

export interface IndexSpec extends Document {
  v?: number;
  key: Record<string, number | string>;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Document;
  expireAfterSeconds?: number;
}

interface IndexEntries {
  full: string[];
  /** Keys of each proper prefix of the key pattern: [1 field, 2 fields, ...]. */
  prefixes: string[][];
}

/** The default index name MongoDB derives from a key pattern: `{a: 1, b: -1}` -> `a_1_b_-1`. */
export function nameIndex(key: Record<string, unknown>): string {
  return Object.entries(key).map(([field, direction]) => `${field}_${String(direction)}`).join('_');
}

/** The lookup key for equality values on every field of an index, in key-pattern order. */
export function composeKey(encodedParts: string[]): string {
  return encodedParts.length === 1 ? encodedParts[0] : JSON.stringify(encodedParts);
}

/**
 * A secondary index: a hash map from encoded key to document ids (multikey over arrays),
 * plus, for compound indexes, one map per proper prefix of the key pattern so equality on
 * the leading field(s) never scans. Partial and sparse indexes only hold the documents
 * they cover.
 */
export class SecondaryIndex {
  readonly fields: string[];
  readonly full = new Map<string, Set<string>>();
  /** prefixes[i] maps the composed key of the first i+1 fields (compound indexes only). */
  readonly prefixes: Array<Map<string, Set<string>>>;
  private readonly partial: Query | undefined;

  constructor(readonly spec: IndexSpec) {
    this.fields = Object.keys(spec.key);
    this.prefixes = this.fields.slice(1).map(() => new Map());
    this.partial = spec.partialFilterExpression ? new Query(spec.partialFilterExpression) : undefined;
  }

  get name(): string {
    return this.spec.name;
  }

  get unique(): boolean {
    return this.spec.unique === true;
  }

  /** Only full (non-partial, non-sparse) indexes may answer queries: they hold every document. */
  get complete(): boolean {
    return !this.partial && this.spec.sparse !== true;
  }

  entriesOf(doc: Document): IndexEntries | undefined {
    if (this.partial && !this.partial.test(doc)) return undefined;
    const perField = this.fields.map((field) => [...new Set(collectPathValues(doc, field).map(encodeKey))]);
    if (this.spec.sparse && this.fields.every((field) => collectPathValues(doc, field).every((v) => v === undefined))) {
      return undefined;
    }
    let combos: string[][] = [[]];
    const prefixes: string[][] = [];
    for (const values of perField) {
      combos = combos.flatMap((prefix) => values.map((value) => [...prefix, value]));
      if (prefixes.length < this.prefixes.length) prefixes.push(combos.map(composeKey));
    }
    return { full: combos.map(composeKey), prefixes };
  }

  add(idKey: string, doc: Document): void {
    const entries = this.entriesOf(doc);
    if (!entries) return;
    for (const key of entries.full) addTo(this.full, key, idKey);
    entries.prefixes.forEach((keys, i) => {
      for (const key of keys) addTo(this.prefixes[i], key, idKey);
    });
  }

  remove(idKey: string, doc: Document): void {
    const entries = this.entriesOf(doc);
    if (!entries) return;
    for (const key of entries.full) removeFrom(this.full, key, idKey);
    entries.prefixes.forEach((keys, i) => {
      for (const key of keys) removeFrom(this.prefixes[i], key, idKey);
    });
  }

  /** The map answering equality on the first `fieldCount` fields. */
  mapFor(fieldCount: number): Map<string, Set<string>> {
    return fieldCount === this.fields.length ? this.full : this.prefixes[fieldCount - 1];
  }

  /** Ids of other documents holding one of `doc`'s keys (only meaningful for unique indexes). */
  idsSharingKeys(doc: Document): string[] {
    const entries = this.entriesOf(doc);
    if (!entries) return [];
    const ids: string[] = [];
    for (const key of entries.full) {
      const holders = this.full.get(key);
      if (holders) ids.push(...holders);
    }
    return ids;
  }

  /** True when both documents are covered by this index and share a key. */
  keysCollide(a: Document, b: Document): boolean {
    const entriesA = this.entriesOf(a);
    const entriesB = this.entriesOf(b);
    if (!entriesA || !entriesB) return false;
    const keysB = new Set(entriesB.full);
    return entriesA.full.some((key) => keysB.has(key));
  }

  duplicateKeyError(ns: string, doc: Document): MongoCommandError {
    return buildDuplicateKeyError(ns, this.name, this.spec.key, doc);
  }
}

export function buildDuplicateKeyError(ns: string, indexName: string, keyPattern: Document, doc: Document): MongoCommandError {
  const keyValue: Document = {};
  for (const field of Object.keys(keyPattern)) keyValue[field] = getPathValue(doc, field) ?? null;
  const rendered = Object.entries(keyValue)
    .map(([field, value]) => `${field}: ${typeof value === 'string' ? JSON.stringify(value) : value === null ? 'null' : String(value)}`)
    .join(', ');
  return new MongoCommandError(
    ErrorCode.DuplicateKey,
    `E11000 duplicate key error collection: ${ns} index: ${indexName} dup key: { ${rendered} }`,
    { extra: { keyPattern: { ...keyPattern }, keyValue } },
  );
}

function addTo(map: Map<string, Set<string>>, key: string, idKey: string): void {
  const set = map.get(key);
  if (set) set.add(idKey);
  else map.set(key, new Set([idKey]));
}

function removeFrom(map: Map<string, Set<string>>, key: string, idKey: string): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(idKey);
  if (set.size === 0) map.delete(key);
}
