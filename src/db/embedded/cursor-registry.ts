import { BSON, Long, type Document } from 'bson';
import { MAX_BSON_OBJECT_BYTES } from './document-size.js';
import { ErrorCode, MongoCommandError } from './errors.js';

/** Room left in a batch for the reply around it (cursor id, namespace, cluster time). */
const REPLY_ENVELOPE_BYTES = 16 * 1024;
const MAX_BATCH_BYTES = MAX_BSON_OBJECT_BYTES - REPLY_ENVELOPE_BYTES;
const DEFAULT_FIRST_BATCH = 101;
/** MongoDB's cursorTimeoutMillis default. */
const IDLE_TIMEOUT_MS = 10 * 60_000;

interface OpenCursor {
  ns: string;
  docs: Document[];
  position: number;
  lastUsed: number;
}

export interface CursorReply {
  id: Long;
  ns: string;
  batch: Document[];
}

/**
 * Open cursors over materialised results. Ids stay below 2^53 so they round-trip as
 * numbers, but go on the wire as int64 (Long) like MongoDB's.
 */
export class CursorRegistry {
  private readonly cursors = new Map<number, OpenCursor>();
  private nextId = 1 + Math.floor(Math.random() * 1_000_000);

  /** Returns the first batch; registers a cursor only when documents remain. */
  open(ns: string, docs: Document[], batchSize: number | undefined, singleBatch = false): CursorReply {
    const cursor: OpenCursor = { ns, docs, position: 0, lastUsed: Date.now() };
    const batch = takeBatch(cursor, batchSize ?? DEFAULT_FIRST_BATCH);
    if (singleBatch || cursor.position >= docs.length) return { id: Long.ZERO, ns, batch };
    this.sweepIdle();
    const id = this.nextId++;
    this.cursors.set(id, cursor);
    return { id: Long.fromNumber(id), ns, batch };
  }

  getMore(rawId: unknown, ns: string, batchSize: number | undefined): CursorReply {
    const id = Number(rawId);
    const cursor = this.cursors.get(id);
    if (!cursor) throw new MongoCommandError(ErrorCode.CursorNotFound, `cursor id ${id} not found`);
    if (cursor.ns !== ns) throw new MongoCommandError(ErrorCode.Unauthorized, `Requested getMore on namespace '${ns}', but cursor belongs to a different namespace ${cursor.ns}`);
    cursor.lastUsed = Date.now();
    const batch = takeBatch(cursor, batchSize && batchSize > 0 ? batchSize : Infinity);
    if (cursor.position >= cursor.docs.length) {
      this.cursors.delete(id);
      return { id: Long.ZERO, ns, batch };
    }
    return { id: Long.fromNumber(id), ns, batch };
  }

  kill(ids: unknown[]): { killed: Long[]; notFound: Long[] } {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const raw of ids) {
      const id = Number(raw);
      (this.cursors.delete(id) ? killed : notFound).push(Long.fromNumber(id));
    }
    return { killed, notFound };
  }

  private sweepIdle(): void {
    const now = Date.now();
    for (const [id, cursor] of this.cursors) if (now - cursor.lastUsed > IDLE_TIMEOUT_MS) this.cursors.delete(id);
  }
}

/**
 * The next documents up to `size` and the byte cap, sized from the first document as
 * MongoDB does, so every reply can be encoded (a batch always takes at least one
 * document). A result document over 16 MiB (only an aggregation can build one) is an
 * error reply, not a reply that cannot be sent.
 */
function takeBatch(cursor: OpenCursor, size: number): Document[] {
  const batch: Document[] = [];
  let bytes = 0;
  while (cursor.position < cursor.docs.length && batch.length < size) {
    const doc = cursor.docs[cursor.position];
    const docBytes = BSON.calculateObjectSize(doc);
    if (docBytes > MAX_BSON_OBJECT_BYTES) {
      throw new MongoCommandError(ErrorCode.BSONObjectTooLarge, `BSONObj size: ${docBytes} is invalid. Size must be between 0 and ${MAX_BSON_OBJECT_BYTES}(16MB) First element: _id: ${String(doc._id)}`);
    }
    if (batch.length > 0 && bytes + docBytes > MAX_BATCH_BYTES) break;
    bytes += docBytes;
    batch.push(doc);
    cursor.position++;
  }
  return batch;
}
