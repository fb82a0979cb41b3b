import { BSON, type Document } from 'bson';
import { computeCrc32c } from './crc32c.js';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_MSG = 2013;

const FLAG_CHECKSUM_PRESENT = 1;
const FLAG_MORE_TO_COME = 2;
const HEADER_SIZE = 16;
export const MAX_MESSAGE_SIZE = 48_000_000;

/** Numbers stay JS numbers: int64 values that fit in 53 bits become numbers (mingo compares Long wrongly). */
const DESERIALIZE_OPTIONS = { promoteLongs: true, promoteValues: true, promoteBuffers: false, useBigInt64: false } as const;

export interface CommandRequest {
  kind: 'msg' | 'query';
  requestId: number;
  /** The command with document-sequence sections folded in as arrays. */
  command: Document;
  /** OP_MSG moreToCome: the client expects no reply. */
  moreToCome: boolean;
}

export function deserializeDocument(bytes: Uint8Array): Document {
  return BSON.deserialize(bytes, DESERIALIZE_OPTIONS);
}

export class ProtocolError extends Error {}

/** Splits a byte stream into whole messages. Chunks are joined once a message is complete
 *  (not on every chunk), so a large insert arriving in many chunks is copied once. */
export class MessageReader {
  private chunks: Buffer[] = [];
  private buffered = 0;

  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const messages: Buffer[] = [];
    while (this.buffered >= 4) {
      const length = this.peekLength();
      if (length < HEADER_SIZE || length > MAX_MESSAGE_SIZE) throw new ProtocolError(`invalid message length ${length}`);
      if (this.buffered < length) break;
      const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.buffered);
      messages.push(all.subarray(0, length));
      const rest = all.subarray(length);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.buffered = rest.length;
    }
    return messages;
  }

  private peekLength(): number {
    const first = this.chunks[0];
    if (first.length >= 4) return first.readInt32LE(0);
    return Buffer.concat(this.chunks, this.buffered).readInt32LE(0);
  }
}

/** Parses one OP_MSG or OP_QUERY message into a command. */
export function parseMessage(message: Buffer): CommandRequest {
  const requestId = message.readInt32LE(4);
  const opCode = message.readInt32LE(12);
  if (opCode === OP_MSG) return parseOpMsg(message, requestId);
  if (opCode === OP_QUERY) return parseOpQuery(message, requestId);
  throw new ProtocolError(`unsupported opCode ${opCode}`);
}

function parseOpMsg(message: Buffer, requestId: number): CommandRequest {
  const flags = message.readUInt32LE(HEADER_SIZE);
  let end = message.length;
  if (flags & FLAG_CHECKSUM_PRESENT) {
    end -= 4;
    const expected = message.readUInt32LE(end);
    if (computeCrc32c(message.subarray(0, end)) !== expected) throw new ProtocolError('OP_MSG checksum mismatch');
  }
  let pos = HEADER_SIZE + 4;
  let body: Document | undefined;
  const sequences: Array<[string, Document[]]> = [];
  while (pos < end) {
    const kind = message[pos++];
    const size = message.readInt32LE(pos);
    if (kind === 0) {
      body = deserializeDocument(message.subarray(pos, pos + size));
      pos += size;
    } else if (kind === 1) {
      const sectionEnd = pos + size;
      let cursor = pos + 4;
      const nameEnd = message.indexOf(0, cursor);
      const identifier = message.toString('utf8', cursor, nameEnd);
      cursor = nameEnd + 1;
      const docs: Document[] = [];
      while (cursor < sectionEnd) {
        const docSize = message.readInt32LE(cursor);
        docs.push(deserializeDocument(message.subarray(cursor, cursor + docSize)));
        cursor += docSize;
      }
      sequences.push([identifier, docs]);
      pos = sectionEnd;
    } else {
      throw new ProtocolError(`unknown OP_MSG section kind ${kind}`);
    }
  }
  if (!body) throw new ProtocolError('OP_MSG without a body section');
  for (const [identifier, docs] of sequences) body[identifier] = docs;
  return { kind: 'msg', requestId, command: body, moreToCome: (flags & FLAG_MORE_TO_COME) !== 0 };
}

function parseOpQuery(message: Buffer, requestId: number): CommandRequest {
  let pos = HEADER_SIZE + 4; // flags
  const nameEnd = message.indexOf(0, pos);
  const fullCollectionName = message.toString('utf8', pos, nameEnd);
  pos = nameEnd + 1 + 8; // numberToSkip, numberToReturn
  const size = message.readInt32LE(pos);
  let query = deserializeDocument(message.subarray(pos, pos + size));
  // Legacy drivers wrap the command as {$query: {...}, $readPreference: ...}.
  if (query.$query && typeof query.$query === 'object') query = query.$query as Document;
  const dbName = fullCollectionName.split('.')[0];
  if (!fullCollectionName.endsWith('.$cmd')) throw new ProtocolError('legacy OP_QUERY is only supported for commands');
  return { kind: 'query', requestId, command: { ...query, $db: dbName }, moreToCome: false };
}

function writeHeader(buffer: Buffer, requestId: number, responseTo: number, opCode: number): void {
  buffer.writeInt32LE(buffer.length, 0);
  buffer.writeInt32LE(requestId, 4);
  buffer.writeInt32LE(responseTo, 8);
  buffer.writeInt32LE(opCode, 12);
}

function serializeReply(reply: Document): Uint8Array {
  return BSON.serialize(reply, { ignoreUndefined: true });
}

export function encodeOpMsg(requestId: number, responseTo: number, reply: Document): Buffer {
  const body = serializeReply(reply);
  const buffer = Buffer.allocUnsafe(HEADER_SIZE + 4 + 1 + body.length);
  writeHeader(buffer, requestId, responseTo, OP_MSG);
  buffer.writeUInt32LE(0, HEADER_SIZE);
  buffer[HEADER_SIZE + 4] = 0;
  buffer.set(body, HEADER_SIZE + 5);
  return buffer;
}

export function encodeOpReply(requestId: number, responseTo: number, reply: Document): Buffer {
  const body = serializeReply(reply);
  const buffer = Buffer.allocUnsafe(HEADER_SIZE + 20 + body.length);
  writeHeader(buffer, requestId, responseTo, OP_REPLY);
  buffer.writeInt32LE(0, HEADER_SIZE); // responseFlags
  buffer.writeBigInt64LE(0n, HEADER_SIZE + 4); // cursorID
  buffer.writeInt32LE(0, HEADER_SIZE + 12); // startingFrom
  buffer.writeInt32LE(1, HEADER_SIZE + 16); // numberReturned
  buffer.set(body, HEADER_SIZE + 20);
  return buffer;
}
