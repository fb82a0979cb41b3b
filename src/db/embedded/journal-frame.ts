import { crc32 } from 'node:zlib';

/*
 * On-disk framing shared by journal segments and snapshots.
 *
 * Every frame: [u32 LE body length][u32 LE crc32][u8 type][body]. The checksum covers the
 * length field, the type byte and the body, so a damaged length is caught too.
 *
 * A journal segment is a run of batches. A batch is what one group-commit write puts on
 * disk: RECORD frames (one BSON record each) closed by a COMMIT frame that names how many
 * records and bytes it closes. Records count only once their batch's COMMIT is intact, so
 * a batch (and every append() unit inside it) is all-or-nothing after a crash.
 *
 * A snapshot is the same run of batches followed by one END frame carrying the total
 * record count: a snapshot without its END frame is incomplete.
 */

export const FRAME_HEADER_BYTES = 9;
const TYPE_RECORD = 1;
const TYPE_COMMIT = 2;
const TYPE_END = 3;
const COMMIT_BODY_BYTES = 8;
const END_BODY_BYTES = 8;
/** Largest batch the u32 length field of a COMMIT frame can describe. */
export const MAX_BATCH_BYTES = 0xffff_ffff;

function frameChecksum(buf: Uint8Array, frameStart: number, bodyLength: number): number {
  // Length field (4 bytes), then type byte + body; the stored crc field is skipped.
  const head = crc32(buf.subarray(frameStart, frameStart + 4));
  return crc32(buf.subarray(frameStart + 8, frameStart + FRAME_HEADER_BYTES + bodyLength), head);
}

function encodeFrame(type: number, body: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + body.length);
  frame.writeUInt32LE(body.length, 0);
  frame.writeUInt8(type, 8);
  frame.set(body, FRAME_HEADER_BYTES);
  frame.writeUInt32LE(frameChecksum(frame, 0, body.length), 4);
  return frame;
}

/** Frames one serialized BSON record. */
export function encodeRecordFrame(bson: Uint8Array): Buffer {
  return encodeFrame(TYPE_RECORD, bson);
}

/**
 * Builds one batch of RECORD frames in a reusable buffer, serializing each record straight
 * into place: a snapshot of a million documents then allocates a handful of buffers, not
 * two per document, and garbage collection does not stall the server while it is written.
 */
export class RecordBatchBuilder {
  private readonly buffer: Buffer;
  private used = 0;
  private records = 0;

  constructor(capacity: number, private readonly serializeInto: (record: object, target: Buffer, index: number) => number) {
    this.buffer = Buffer.allocUnsafe(capacity + FRAME_HEADER_BYTES + COMMIT_BODY_BYTES);
  }

  get count(): number {
    return this.records;
  }

  get bytes(): number {
    return this.used;
  }

  /** Adds the record's frame; false (and nothing added) when it does not fit in what is left. */
  tryAdd(record: object): boolean {
    const start = this.used;
    const capacity = this.buffer.length - FRAME_HEADER_BYTES - COMMIT_BODY_BYTES;
    if (capacity - start <= FRAME_HEADER_BYTES) return false;
    let end: number;
    try {
      end = this.serializeInto(record, this.buffer, start + FRAME_HEADER_BYTES) + 1;
    } catch (error) {
      if (error instanceof RangeError) return false;
      throw error;
    }
    // Bytes that spilled into the room kept for the COMMIT frame are simply overwritten later.
    if (end > capacity) return false;
    const bodyLength = end - start - FRAME_HEADER_BYTES;
    this.buffer.writeUInt32LE(bodyLength, start);
    this.buffer.writeUInt8(TYPE_RECORD, start + 8);
    this.buffer.writeUInt32LE(frameChecksum(this.buffer, start, bodyLength), start + 4);
    this.used = end;
    this.records++;
    return true;
  }

  /** The batch with its COMMIT frame, as a view of the builder's buffer (valid until reset()). */
  finish(): Buffer {
    const commit = encodeCommitFrame(this.records, this.used);
    commit.copy(this.buffer, this.used);
    return this.buffer.subarray(0, this.used + commit.length);
  }

  reset(): void {
    this.used = 0;
    this.records = 0;
  }
}

/** Closes a batch of `recordCount` records whose RECORD frames take `batchBytes` bytes. */
export function encodeCommitFrame(recordCount: number, batchBytes: number): Buffer {
  const body = Buffer.alloc(COMMIT_BODY_BYTES);
  body.writeUInt32LE(recordCount, 0);
  body.writeUInt32LE(batchBytes, 4);
  return encodeFrame(TYPE_COMMIT, body);
}

/** Marks a snapshot complete; `recordCount` is the total across all its batches. */
export function encodeEndFrame(recordCount: number): Buffer {
  const body = Buffer.alloc(END_BODY_BYTES);
  body.writeUInt32LE(recordCount, 0);
  return encodeFrame(TYPE_END, body);
}

interface Frame {
  type: number;
  bodyStart: number;
  bodyEnd: number;
}

/** Reads the frame at `offset`, or returns a reason why there is no intact frame there. */
function readFrame(buf: Buffer, offset: number): Frame | string {
  if (buf.length - offset < FRAME_HEADER_BYTES) return 'incomplete frame header';
  const bodyLength = buf.readUInt32LE(offset);
  const bodyEnd = offset + FRAME_HEADER_BYTES + bodyLength;
  if (bodyEnd > buf.length) return 'frame runs past end of file';
  if (frameChecksum(buf, offset, bodyLength) !== buf.readUInt32LE(offset + 4)) return 'checksum mismatch';
  const type = buf[offset + 8];
  if (type === TYPE_COMMIT && bodyLength !== COMMIT_BODY_BYTES) return 'malformed commit frame';
  if (type === TYPE_END && bodyLength !== END_BODY_BYTES) return 'malformed end frame';
  if (type !== TYPE_RECORD && type !== TYPE_COMMIT && type !== TYPE_END) return `unknown frame type ${type}`;
  return { type, bodyStart: offset + FRAME_HEADER_BYTES, bodyEnd };
}

export interface Damage {
  /** Where the first batch that does not check out begins. */
  offset: number;
  reason: string;
  /**
   * True when an intact batch exists beyond the damaged one: the damage is not a torn
   * final write but corruption in the middle, and dropping it would lose good data.
   */
  goodDataAfter: boolean;
}

export interface ParsedBatches {
  /** BSON bodies of every record in an intact batch, in file order. */
  records: Buffer[];
  /** Length of the prefix made of intact batches. */
  goodLength: number;
  /** Set when the content stops at an END frame (snapshots). */
  end?: { offset: number; recordCount: number };
  damage?: Damage;
}

/**
 * Parses intact batches from the start of `buf` until the end of the buffer, an END frame,
 * or the first damaged batch.
 */
export function parseBatches(buf: Buffer): ParsedBatches {
  const records: Buffer[] = [];
  let batchStart = 0;
  let offset = 0;
  let pending: Buffer[] = [];
  while (offset < buf.length) {
    const frame = readFrame(buf, offset);
    if (typeof frame === 'string') return damaged(buf, records, batchStart, frame);
    if (frame.type === TYPE_RECORD) {
      pending.push(buf.subarray(frame.bodyStart, frame.bodyEnd));
    } else if (frame.type === TYPE_COMMIT) {
      const count = buf.readUInt32LE(frame.bodyStart);
      const bytes = buf.readUInt32LE(frame.bodyStart + 4);
      if (count !== pending.length || bytes !== offset - batchStart) {
        return damaged(buf, records, batchStart, 'commit frame does not match its batch');
      }
      for (const record of pending) records.push(record);
      pending = [];
      batchStart = frame.bodyEnd;
    } else {
      if (pending.length > 0) return damaged(buf, records, batchStart, 'end frame inside a batch');
      return { records, goodLength: batchStart, end: { offset, recordCount: buf.readUInt32LE(frame.bodyStart) } };
    }
    offset = frame.bodyEnd;
  }
  if (batchStart < buf.length) return damaged(buf, records, batchStart, 'batch without commit frame');
  return { records, goodLength: batchStart };
}

function damaged(buf: Buffer, records: Buffer[], batchStart: number, reason: string): ParsedBatches {
  return {
    records,
    goodLength: batchStart,
    damage: { offset: batchStart, reason, goodDataAfter: hasIntactBatchAfter(buf, batchStart) },
  };
}

/**
 * Looks past damage at `damageStart` for evidence of later committed data: any intact
 * COMMIT or END frame, except the COMMIT that closes exactly the damaged batch at the very
 * end of the file. That one exception is a torn final write (the disk may persist the end
 * of an unsynced write before its middle); anything else means a later batch was written
 * after the damaged one, so the damage is not a torn tail.
 */
function hasIntactBatchAfter(buf: Buffer, damageStart: number): boolean {
  const last = buf.length - FRAME_HEADER_BYTES - COMMIT_BODY_BYTES;
  for (let offset = damageStart; offset <= last; offset++) {
    // Cheap filter before the checksum: both marker frames have an 8-byte body.
    if (buf.readUInt32LE(offset) !== COMMIT_BODY_BYTES) continue;
    const type = buf[offset + 8];
    if (type !== TYPE_COMMIT && type !== TYPE_END) continue;
    const frame = readFrame(buf, offset);
    if (typeof frame === 'string') continue;
    const closesDamagedBatchAtEof =
      type === TYPE_COMMIT &&
      frame.bodyEnd === buf.length &&
      offset - buf.readUInt32LE(frame.bodyStart + 4) === damageStart;
    if (!closesDamagedBatchAtEof) return true;
  }
  return false;
}
