import type { Document } from 'bson';
import { Collection, encodeId } from './collection.js';
import { ErrorCode, MongoCommandError } from './errors.js';
import type { IndexSpec } from './secondary-index.js';

export type JournalRecord = Document;

/** Called before a committed document changes, so open transactions keep their snapshot. */
export type BeforeWriteListener = (ns: string, idKey: string, previous: Document | undefined) => void;

/**
 * All committed data: databases -> collections. Every mutation appends the journal
 * record(s) describing it to `records`; replaying those records through `applyRecord`
 * rebuilds the same state.
 */
export class Storage {
  readonly databases = new Map<string, Map<string, Collection>>();
  beforeWrite: BeforeWriteListener | undefined;

  getCollection(db: string, name: string): Collection | undefined {
    return this.databases.get(db)?.get(name);
  }

  listCollections(db: string): Collection[] {
    return [...(this.databases.get(db)?.values() ?? [])];
  }

  createCollection(db: string, name: string, options: Document, records: JournalRecord[]): Collection {
    return this.adoptCollection(this.prepareCollection(db, name, options), records);
  }

  /** A collection that is not in the catalog yet (a transaction's, until it commits). */
  prepareCollection(db: string, name: string, options: Document): Collection {
    validateCollectionName(db, name);
    return new Collection(db, name, options);
  }

  /** Puts a prepared collection, with the indexes it already has, into the catalog. */
  adoptCollection(collection: Collection, records: JournalRecord[]): Collection {
    const { db, name } = collection;
    let collections = this.databases.get(db);
    if (!collections) {
      collections = new Map();
      this.databases.set(db, collections);
    }
    collections.set(name, collection);
    records.push({ op: 'create', db, coll: name, options: collection.options });
    for (const index of collection.indexes.values()) records.push({ op: 'createIndex', db, coll: name, spec: index.spec });
    return collection;
  }

  /** Takes an adopted collection back out of the catalog when its commit fails (nothing was journaled). */
  forgetCollection(collection: Collection): void {
    const collections = this.databases.get(collection.db);
    if (collections?.get(collection.name) !== collection) return;
    collections.delete(collection.name);
    if (collections.size === 0) this.databases.delete(collection.db);
  }

  ensureCollection(db: string, name: string, records: JournalRecord[]): Collection {
    return this.getCollection(db, name) ?? this.createCollection(db, name, {}, records);
  }

  dropCollection(db: string, name: string, records: JournalRecord[]): Collection | undefined {
    const collection = this.getCollection(db, name);
    if (!collection) return undefined;
    for (const [idKey, doc] of collection.docs) this.beforeWrite?.(collection.ns, idKey, doc);
    this.databases.get(db)?.delete(name);
    if (this.databases.get(db)?.size === 0) this.databases.delete(db);
    records.push({ op: 'drop', db, coll: name });
    return collection;
  }

  dropDatabase(db: string, records: JournalRecord[]): void {
    for (const collection of this.listCollections(db)) this.dropCollection(db, collection.name, records);
  }

  renameCollection(db: string, name: string, toDb: string, toName: string, records: JournalRecord[]): void {
    const collection = this.getCollection(db, name);
    if (!collection) throw new MongoCommandError(ErrorCode.NamespaceNotFound, 'source namespace does not exist');
    validateCollectionName(toDb, toName);
    for (const [idKey, doc] of collection.docs) this.beforeWrite?.(collection.ns, idKey, doc);
    this.databases.get(db)?.delete(name);
    if (this.databases.get(db)?.size === 0) this.databases.delete(db);
    const renamed = new Collection(toDb, toName, collection.options);
    for (const [idKey, doc] of collection.docs) renamed.docs.set(idKey, doc);
    for (const index of collection.indexes.values()) renamed.addIndex(index.spec);
    let target = this.databases.get(toDb);
    if (!target) {
      target = new Map();
      this.databases.set(toDb, target);
    }
    target.set(toName, renamed);
    records.push({ op: 'rename', db, coll: name, toDb, toColl: toName });
  }

  createIndex(collection: Collection, spec: IndexSpec, records: JournalRecord[]): void {
    collection.addIndex(spec);
    records.push({ op: 'createIndex', db: collection.db, coll: collection.name, spec });
  }

  dropIndex(collection: Collection, name: string, records: JournalRecord[]): void {
    collection.dropIndex(name);
    records.push({ op: 'dropIndex', db: collection.db, coll: collection.name, name });
  }

  /** Stores a document whose uniqueness the caller has checked. */
  putDocument(collection: Collection, idKey: string, doc: Document, records: JournalRecord[]): void {
    this.beforeWrite?.(collection.ns, idKey, collection.docs.get(idKey));
    collection.put(idKey, doc);
    records.push({ op: 'put', db: collection.db, coll: collection.name, doc });
  }

  deleteDocument(collection: Collection, idKey: string, records: JournalRecord[]): Document | undefined {
    const previous = collection.docs.get(idKey);
    if (!previous) return undefined;
    this.beforeWrite?.(collection.ns, idKey, previous);
    collection.remove(idKey);
    records.push({ op: 'del', db: collection.db, coll: collection.name, id: previous._id });
    return previous;
  }

  /** Replays one journal record (recovery). */
  applyRecord(record: JournalRecord): void {
    const sink: JournalRecord[] = [];
    const db = String(record.db);
    const coll = String(record.coll);
    switch (record.op) {
      case 'create':
        if (!this.getCollection(db, coll)) this.createCollection(db, coll, (record.options as Document) ?? {}, sink);
        return;
      case 'drop':
        this.dropCollection(db, coll, sink);
        return;
      case 'rename':
        this.renameCollection(db, coll, String(record.toDb), String(record.toColl), sink);
        return;
      case 'createIndex': {
        const collection = this.ensureCollection(db, coll, sink);
        const spec = record.spec as IndexSpec;
        collection.indexes.delete(spec.name);
        collection.addIndex(spec);
        return;
      }
      case 'dropIndex':
        this.getCollection(db, coll)?.indexes.delete(String(record.name));
        return;
      case 'put': {
        const doc = record.doc as Document;
        this.ensureCollection(db, coll, sink).put(encodeId(doc._id), doc);
        return;
      }
      case 'del':
        this.getCollection(db, coll)?.remove(encodeId(record.id));
        return;
      default:
        throw new Error(`unknown journal record op ${String(record.op)}`);
    }
  }

  /** Records that recreate the whole committed state (the journal's compaction snapshot). */
  captureSnapshot(): Iterable<JournalRecord> {
    // Frozen now, in one step: the collections' document lists are copied (references only;
    // documents are replaced on write, never edited), so the snapshot is this moment's state
    // however long it takes to serialize.
    const frozen = [...this.databases.values()].flatMap((collections) =>
      [...collections.values()].map((collection) => ({
        db: collection.db,
        coll: collection.name,
        options: collection.options,
        specs: [...collection.indexes.values()].map((index) => index.spec),
        docs: Array.from(collection.docs.values()),
      })),
    );
    return (function* () {
      for (const { db, coll, options, specs, docs } of frozen) {
        yield { op: 'create', db, coll, options };
        for (const spec of specs) yield { op: 'createIndex', db, coll, spec };
        for (const doc of docs) yield { op: 'put', db, coll, doc };
      }
    })();
  }
}

function validateCollectionName(db: string, name: string): void {
  if (!db || /[/\\. "$]/.test(db)) throw new MongoCommandError(ErrorCode.InvalidNamespace, `Invalid database name: '${db}'`);
  if (!name || name.includes('$') || name.includes('\0') || name.startsWith('.') || name.startsWith('system.')) {
    throw new MongoCommandError(ErrorCode.InvalidNamespace, `Invalid collection name: '${name}'`);
  }
}
