import type { Document } from 'bson';
import { ID_INDEX_NAME, type Collection } from './collection.js';
import { buildDuplicateKeyError, type SecondaryIndex } from './secondary-index.js';
import type { DataView } from './data-view.js';
import { assertDocumentFits } from './document-size.js';
import { ErrorCode, MongoCommandError, writeConflict } from './errors.js';
import { encodeKey } from './key-encoding.js';
import { planCandidateIds, plansById } from './query-planner.js';
import { readConcernLevel } from './read-concern.js';
import type { IndexSpec } from './secondary-index.js';
import type { JournalRecord, Storage } from './storage.js';

/** MongoDB's transactionLifetimeLimitSeconds default: an older transaction loses its locks. */
const TRANSACTION_LIFETIME_MS = 60_000;

type TransactionState = 'active' | 'committed' | 'aborted';

/**
 * A multi-document transaction with snapshot isolation. Committed documents changed after
 * the transaction started are remembered in `before` (their snapshot version), so reads
 * see the snapshot; the transaction's own writes stay in `writes` until commit.
 */
export class Transaction {
  state: TransactionState = 'active';
  readonly startedAt = Date.now();
  readonly before = new Map<string, Map<string, Document | undefined>>();
  readonly writes = new Map<string, { collection: Collection; docs: Map<string, Document | undefined> }>();
  /**
   * Collections this transaction created (explicitly or by a write), by namespace. They
   * stay out of the catalog, so other sessions see them only after the commit.
   */
  readonly createdCollections = new Map<string, Collection>();
  /** Per namespace, the ids whose visible version changed, in order (an id repeats per change). */
  private readonly changeLog = new Map<string, string[]>();
  /** Per unique index, the keys of the changed ids' visible versions, indexed up to a point of the log. */
  private readonly overlayKeys = new Map<SecondaryIndex, { holders: Map<string, Set<string>>; indexedUpTo: number }>();

  constructor(
    readonly sessionKey: string,
    readonly txnNumber: number,
    /** The read concern level the first statement asked for. */
    readonly readConcernLevel = 'local',
  ) {}

  visible(collection: Collection, idKey: string): Document | undefined {
    const written = this.writes.get(collection.ns)?.docs;
    if (written?.has(idKey)) return written.get(idKey);
    const snapshot = this.before.get(collection.ns);
    if (snapshot?.has(idKey)) return snapshot.get(idKey);
    return collection.docs.get(idKey);
  }

  /** Ids whose visible version differs from the committed one. */
  overlayIds(ns: string): string[] {
    return [...(this.writes.get(ns)?.docs.keys() ?? []), ...(this.before.get(ns)?.keys() ?? [])];
  }

  /** Records that `idKey`'s visible version changed (a write of ours or a snapshot image). */
  noteChange(ns: string, idKey: string): void {
    const log = this.changeLog.get(ns);
    if (log) log.push(idKey);
    else this.changeLog.set(ns, [idKey]);
  }

  /**
   * Ids among the changed documents that may share one of `doc`'s keys on `index` (a
   * superset: callers check the visible version). Kept incrementally, so checking every
   * write of a large transaction stays linear instead of comparing each pair.
   */
  changedIdsSharingKeys(collection: Collection, index: SecondaryIndex, doc: Document): string[] {
    let overlay = this.overlayKeys.get(index);
    if (!overlay) {
      overlay = { holders: new Map(), indexedUpTo: 0 };
      this.overlayKeys.set(index, overlay);
    }
    const log = this.changeLog.get(collection.ns) ?? [];
    for (; overlay.indexedUpTo < log.length; overlay.indexedUpTo++) {
      const id = log[overlay.indexedUpTo];
      const visible = this.visible(collection, id);
      for (const key of (visible && index.entriesOf(visible)?.full) || []) {
        const ids = overlay.holders.get(key);
        if (ids) ids.add(id);
        else overlay.holders.set(key, new Set([id]));
      }
    }
    return (index.entriesOf(doc)?.full ?? []).flatMap((key) => [...(overlay.holders.get(key) ?? [])]);
  }
}

interface SessionState {
  txnNumber: number;
  txn: Transaction | undefined;
}

export class TransactionManager {
  private readonly sessions = new Map<string, SessionState>();
  private readonly active = new Set<Transaction>();
  private readonly writers = new Map<string, Transaction>();

  constructor(private readonly storage: Storage) {
    storage.beforeWrite = (ns, idKey, previous) => {
      const now = Date.now();
      for (const txn of this.active) {
        // An abandoned transaction must not keep collecting snapshot images forever.
        if (now - txn.startedAt > TRANSACTION_LIFETIME_MS) {
          this.abort(txn);
          continue;
        }
        let images = txn.before.get(ns);
        if (!images) {
          images = new Map();
          txn.before.set(ns, images);
        }
        if (!images.has(idKey)) {
          images.set(idKey, previous);
          txn.noteChange(ns, idKey);
        }
      }
    };
  }

  /** The transaction a command with `autocommit: false` belongs to (starting it if asked). */
  resolve(lsid: unknown, txnNumber: number, startTransaction: boolean, readConcern?: unknown): Transaction {
    const sessionKey = keyOfSession(lsid);
    let session = this.sessions.get(sessionKey);
    if (!session) {
      session = { txnNumber: -1, txn: undefined };
      this.sessions.set(sessionKey, session);
    }
    if (startTransaction) {
      if (txnNumber < session.txnNumber) {
        throw new MongoCommandError(ErrorCode.TransactionTooOld, `Cannot start transaction ${txnNumber} on session because a newer transaction ${session.txnNumber} has already started`);
      }
      if (txnNumber === session.txnNumber && session.txn) {
        throw noSuchTransaction(txnNumber, 'has already been started');
      }
      if (session.txn?.state === 'active') this.abort(session.txn);
      session.txnNumber = txnNumber;
      session.txn = new Transaction(sessionKey, txnNumber, readConcernLevel(readConcern));
      this.active.add(session.txn);
      return session.txn;
    }
    const txn = session.txnNumber === txnNumber ? session.txn : undefined;
    if (!txn || txn.state === 'aborted') throw noSuchTransaction(txnNumber, 'is not in progress');
    if (txn.state === 'committed') {
      throw new MongoCommandError(ErrorCode.TransactionCommitted, `Transaction ${txnNumber} has been committed.`);
    }
    return txn;
  }

  /** commitTransaction: applies the writes to the committed state, all or nothing. */
  commit(lsid: unknown, txnNumber: number, records: JournalRecord[]): void {
    const session = this.sessions.get(keyOfSession(lsid));
    const txn = session?.txnNumber === txnNumber ? session.txn : undefined;
    if (!txn || txn.state === 'aborted') throw noSuchTransaction(txnNumber, 'is not in progress');
    if (txn.state === 'committed') return; // a retried commit
    this.active.delete(txn);
    const applied: Array<{ collection: Collection; idKey: string; previous: Document | undefined }> = [];
    const adopted: Collection[] = [];
    const commitRecords: JournalRecord[] = [];
    try {
      for (const created of txn.createdCollections.values()) {
        // Another session created the same name meanwhile: MongoDB would have made one of them wait.
        if (this.storage.getCollection(created.db, created.name)) throw writeConflict();
        this.storage.adoptCollection(created, commitRecords);
        adopted.push(created);
      }
      for (const [ns, { collection, docs }] of txn.writes) {
        const snapshot = txn.before.get(ns);
        if (this.storage.getCollection(collection.db, collection.name) !== collection) throw writeConflict();
        for (const [idKey, doc] of docs) {
          if (snapshot?.has(idKey)) throw writeConflict();
          const previous = collection.docs.get(idKey);
          if (doc) {
            if (collection.findDuplicate(doc, idKey, previous === undefined)) throw writeConflict();
            this.storage.putDocument(collection, idKey, doc, commitRecords);
          } else if (previous) {
            this.storage.deleteDocument(collection, idKey, commitRecords);
          }
          applied.push({ collection, idKey, previous });
        }
      }
    } catch (error) {
      for (const { collection, idKey, previous } of applied.reverse()) {
        if (previous) collection.put(idKey, previous);
        else collection.remove(idKey);
      }
      for (const collection of adopted) this.storage.forgetCollection(collection);
      this.finish(txn, 'aborted');
      throw error;
    }
    records.push(...commitRecords);
    this.finish(txn, 'committed');
  }

  /** abortTransaction; aborting an unknown or finished transaction answers like MongoDB. */
  abortByCommand(lsid: unknown, txnNumber: number): void {
    const session = this.sessions.get(keyOfSession(lsid));
    const txn = session?.txnNumber === txnNumber ? session.txn : undefined;
    if (!txn || txn.state === 'aborted') throw noSuchTransaction(txnNumber, 'is not in progress');
    if (txn.state === 'committed') {
      throw new MongoCommandError(ErrorCode.TransactionCommitted, `Transaction ${txnNumber} has been committed.`);
    }
    this.abort(txn);
  }

  abort(txn: Transaction): void {
    if (txn.state === 'active') this.finish(txn, 'aborted');
  }

  endSessions(lsids: unknown[]): void {
    for (const lsid of lsids) {
      const key = keyOfSession(lsid);
      const txn = this.sessions.get(key)?.txn;
      if (txn) this.abort(txn);
      this.sessions.delete(key);
    }
  }

  /** Claims a document for `txn`; another live transaction's claim or a newer commit is a WriteConflict. */
  claim(txn: Transaction, collection: Collection, idKey: string): void {
    const key = `${collection.ns}\0${idKey}`;
    const owner = this.writers.get(key);
    if (owner && owner !== txn && owner.state === 'active') {
      if (Date.now() - owner.startedAt > TRANSACTION_LIFETIME_MS) this.abort(owner);
      else throw writeConflict();
    }
    if (txn.before.get(collection.ns)?.has(idKey)) throw writeConflict();
    this.writers.set(key, txn);
  }

  private finish(txn: Transaction, state: TransactionState): void {
    txn.state = state;
    this.active.delete(txn);
    for (const [ns, { docs }] of txn.writes) {
      for (const idKey of docs.keys()) {
        const key = `${ns}\0${idKey}`;
        if (this.writers.get(key) === txn) this.writers.delete(key);
      }
    }
    txn.before.clear();
    txn.createdCollections.clear();
  }
}

function noSuchTransaction(txnNumber: number, reason: string): MongoCommandError {
  return new MongoCommandError(ErrorCode.NoSuchTransaction, `Transaction with { txnNumber: ${txnNumber} } ${reason}`, {
    labels: ['TransientTransactionError'],
  });
}

function keyOfSession(lsid: unknown): string {
  return encodeKey((lsid as { id?: unknown } | undefined)?.id ?? lsid);
}

/** Reads a transaction's snapshot and buffers its writes until commit. */
export class TransactionView implements DataView {
  readonly inTransaction = true;

  constructor(
    readonly storage: Storage,
    readonly records: JournalRecord[],
    private readonly manager: TransactionManager,
    readonly txn: Transaction,
  ) {}

  collection(db: string, name: string): Collection | undefined {
    return this.txn.createdCollections.get(`${db}.${name}`) ?? this.storage.getCollection(db, name);
  }

  ensureCollection(db: string, name: string): Collection {
    return this.collection(db, name) ?? this.prepareCollection(db, name, {});
  }

  createCollection(db: string, name: string, options: Document): Collection {
    this.requireLocalReadConcern('create');
    return this.prepareCollection(db, name, options);
  }

  /** MongoDB (4.4+) builds an index in a transaction only on a new, empty collection of that transaction. */
  createIndex(collection: Collection, spec: IndexSpec): void {
    this.requireLocalReadConcern('createIndexes');
    if (this.txn.createdCollections.get(collection.ns) !== collection) {
      throw new MongoCommandError(ErrorCode.OperationNotSupportedInTransaction, `Cannot create new indexes on existing collection ${collection.ns} in a multi-document transaction.`);
    }
    if ((this.txn.writes.get(collection.ns)?.docs.size ?? 0) > 0) {
      throw new MongoCommandError(ErrorCode.OperationNotSupportedInTransaction, `Cannot create new indexes on non-empty collection ${collection.ns} in a multi-document transaction.`);
    }
    collection.addIndex(spec);
  }

  private prepareCollection(db: string, name: string, options: Document): Collection {
    const collection = this.storage.prepareCollection(db, name, options);
    this.txn.createdCollections.set(collection.ns, collection);
    return collection;
  }

  /** Explicit creation needs read concern "local"; a collection created by a write does not. */
  private requireLocalReadConcern(command: string): void {
    const level = this.txn.readConcernLevel;
    if (level === 'local') return;
    throw new MongoCommandError(
      ErrorCode.InvalidOptions,
      `Command ${command} does not support this transaction's readConcern level "${level}": creating collections and indexes in a transaction needs "local"`,
    );
  }

  candidates(collection: Collection, filter: Document): Iterable<Document> {
    const planned = planCandidateIds(collection, filter);
    const ids = new Set<string>(planned ?? collection.docs.keys());
    // An `_id` plan names every possible match, whatever this transaction changed.
    if (!planned || !plansById(filter)) for (const id of this.txn.overlayIds(collection.ns)) ids.add(id);
    const docs: Document[] = [];
    for (const id of ids) {
      const doc = this.txn.visible(collection, id);
      if (doc) docs.push(doc);
    }
    return docs;
  }

  get(collection: Collection, idKey: string): Document | undefined {
    return this.txn.visible(collection, idKey);
  }

  insert(collection: Collection, idKey: string, doc: Document): void {
    assertDocumentFits(doc, 'insert');
    this.write(collection, idKey, doc, true);
  }

  replace(collection: Collection, idKey: string, doc: Document): void {
    assertDocumentFits(doc, 'update');
    this.write(collection, idKey, doc, false);
  }

  remove(collection: Collection, idKey: string): void {
    this.manager.claim(this.txn, collection, idKey);
    this.writesOf(collection).set(idKey, undefined);
    this.txn.noteChange(collection.ns, idKey);
  }

  private write(collection: Collection, idKey: string, doc: Document, isInsert: boolean): void {
    this.manager.claim(this.txn, collection, idKey);
    if (isInsert && this.txn.visible(collection, idKey)) {
      throw buildDuplicateKeyError(collection.ns, ID_INDEX_NAME, { _id: 1 }, doc);
    }
    for (const index of collection.indexes.values()) {
      if (!index.unique) continue;
      const others = new Set([...index.idsSharingKeys(doc), ...this.txn.changedIdsSharingKeys(collection, index, doc)]);
      others.delete(idKey);
      for (const other of others) {
        const otherDoc = this.txn.visible(collection, other);
        if (otherDoc && index.keysCollide(doc, otherDoc)) throw index.duplicateKeyError(collection.ns, doc);
      }
    }
    this.writesOf(collection).set(idKey, doc);
    this.txn.noteChange(collection.ns, idKey);
  }

  private writesOf(collection: Collection): Map<string, Document | undefined> {
    let entry = this.txn.writes.get(collection.ns);
    if (!entry) {
      entry = { collection, docs: new Map() };
      this.txn.writes.set(collection.ns, entry);
    }
    return entry.docs;
  }
}
