import { UUID, type Document } from 'bson';
import { ErrorCode, MongoCommandError } from './errors.js';
import { encodeKey } from './key-encoding.js';
import { buildDuplicateKeyError, SecondaryIndex, type IndexSpec } from './secondary-index.js';

export const ID_INDEX_NAME = '_id_';

/**
 * One collection's committed state: immutable documents keyed by encoded `_id` (insertion
 * order is the natural order) and its secondary indexes. Writes replace whole documents.
 */
export class Collection {
  readonly docs = new Map<string, Document>();
  readonly indexes = new Map<string, SecondaryIndex>();
  readonly uuid = new UUID();

  constructor(
    readonly db: string,
    public name: string,
    readonly options: Document = {},
  ) {}

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  /** The error a write of `doc` would hit on a unique index, ignoring the document itself. */
  findDuplicate(doc: Document, idKey: string, isInsert: boolean): MongoCommandError | undefined {
    if (isInsert && this.docs.has(idKey)) return buildDuplicateKeyError(this.ns, ID_INDEX_NAME, { _id: 1 }, doc);
    for (const index of this.indexes.values()) {
      if (!index.unique) continue;
      if (index.idsSharingKeys(doc).some((other) => other !== idKey)) return index.duplicateKeyError(this.ns, doc);
    }
    return undefined;
  }

  /** Stores `doc` (already checked for duplicates), replacing any previous version. */
  put(idKey: string, doc: Document): Document | undefined {
    const previous = this.docs.get(idKey);
    if (previous) for (const index of this.indexes.values()) index.remove(idKey, previous);
    this.docs.set(idKey, doc);
    for (const index of this.indexes.values()) index.add(idKey, doc);
    return previous;
  }

  remove(idKey: string): Document | undefined {
    const previous = this.docs.get(idKey);
    if (!previous) return undefined;
    for (const index of this.indexes.values()) index.remove(idKey, previous);
    this.docs.delete(idKey);
    return previous;
  }

  /** Builds an index over the existing documents; a unique index over duplicates fails with 11000. */
  addIndex(spec: IndexSpec): void {
    const index = new SecondaryIndex(spec);
    for (const [idKey, doc] of this.docs) {
      if (index.unique && index.idsSharingKeys(doc).some((other) => other !== idKey)) {
        throw index.duplicateKeyError(this.ns, doc);
      }
      index.add(idKey, doc);
    }
    this.indexes.set(spec.name, index);
  }

  dropIndex(name: string): void {
    if (!this.indexes.delete(name)) {
      throw new MongoCommandError(ErrorCode.IndexNotFound, `index not found with name [${name}]`);
    }
  }

  /** The listIndexes view: the `_id` index first, then the secondary ones. */
  listIndexSpecs(): Document[] {
    return [{ v: 2, key: { _id: 1 }, name: ID_INDEX_NAME }, ...[...this.indexes.values()].map((index) => ({ ...index.spec }))];
  }
}

export function encodeId(id: unknown): string {
  return encodeKey(id);
}
