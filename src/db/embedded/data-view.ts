import type { Document } from 'bson';
import type { Collection } from './collection.js';
import { assertDocumentFits } from './document-size.js';
import { planCandidateIds } from './query-planner.js';
import type { IndexSpec } from './secondary-index.js';
import type { JournalRecord, Storage } from './storage.js';

/**
 * What a command reads and writes through: the committed state directly, or a
 * transaction's snapshot plus its own uncommitted writes. Reads return candidate
 * documents (a superset of the matches); the caller applies the filter.
 */
export interface DataView {
  readonly storage: Storage;
  readonly inTransaction: boolean;
  /** Journal records of the command (DDL, and every write outside a transaction). */
  readonly records: JournalRecord[];
  collection(db: string, name: string): Collection | undefined;
  /** The collection a write goes to, created implicitly when missing. */
  ensureCollection(db: string, name: string): Collection;
  /** The create command (the caller checks that the name is free). */
  createCollection(db: string, name: string, options: Document): Collection;
  /** createIndexes, for an index the collection does not have yet. */
  createIndex(collection: Collection, spec: IndexSpec): void;
  candidates(collection: Collection, filter: Document): Iterable<Document>;
  get(collection: Collection, idKey: string): Document | undefined;
  /** Throws 11000 (or WriteConflict in a transaction). */
  insert(collection: Collection, idKey: string, doc: Document): void;
  replace(collection: Collection, idKey: string, doc: Document): void;
  remove(collection: Collection, idKey: string): void;
}

/** Reads and writes the committed state; every write becomes a journal record of the command. */
export class CommittedView implements DataView {
  readonly inTransaction = false;

  constructor(
    readonly storage: Storage,
    readonly records: JournalRecord[],
  ) {}

  collection(db: string, name: string): Collection | undefined {
    return this.storage.getCollection(db, name);
  }

  ensureCollection(db: string, name: string): Collection {
    return this.storage.ensureCollection(db, name, this.records);
  }

  createCollection(db: string, name: string, options: Document): Collection {
    return this.storage.createCollection(db, name, options, this.records);
  }

  createIndex(collection: Collection, spec: IndexSpec): void {
    this.storage.createIndex(collection, spec, this.records);
  }

  candidates(collection: Collection, filter: Document): Iterable<Document> {
    const ids = planCandidateIds(collection, filter);
    if (!ids) return collection.docs.values();
    const docs: Document[] = [];
    for (const id of ids) {
      const doc = collection.docs.get(id);
      if (doc) docs.push(doc);
    }
    return docs;
  }

  get(collection: Collection, idKey: string): Document | undefined {
    return collection.docs.get(idKey);
  }

  insert(collection: Collection, idKey: string, doc: Document): void {
    assertDocumentFits(doc, 'insert');
    const duplicate = collection.findDuplicate(doc, idKey, true);
    if (duplicate) throw duplicate;
    this.storage.putDocument(collection, idKey, doc, this.records);
  }

  replace(collection: Collection, idKey: string, doc: Document): void {
    assertDocumentFits(doc, 'update');
    const duplicate = collection.findDuplicate(doc, idKey, false);
    if (duplicate) throw duplicate;
    this.storage.putDocument(collection, idKey, doc, this.records);
  }

  remove(collection: Collection, idKey: string): void {
    this.storage.deleteDocument(collection, idKey, this.records);
  }
}
