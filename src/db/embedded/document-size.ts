import { BSON, type Document } from 'bson';
import { ErrorCode, MongoCommandError } from './errors.js';

/** MongoDB's BSON document limit (16 MiB): no stored document, and no reply batch, is bigger. */
export const MAX_BSON_OBJECT_BYTES = 16 * 1024 * 1024;

/**
 * Refuses a document MongoDB would refuse to store: an insert over the limit is
 * BSONObjectTooLarge, an update whose result outgrows it is 17419, as in MongoDB.
 */
export function assertDocumentFits(doc: Document, cause: 'insert' | 'update'): void {
  const bytes = BSON.calculateObjectSize(doc);
  if (bytes <= MAX_BSON_OBJECT_BYTES) return;
  if (cause === 'insert') {
    throw new MongoCommandError(ErrorCode.BSONObjectTooLarge, `object to insert too large. size in bytes: ${bytes}, max size: ${MAX_BSON_OBJECT_BYTES}`);
  }
  throw new MongoCommandError(ErrorCode.Location17419, `Resulting document after update is larger than ${MAX_BSON_OBJECT_BYTES}`);
}
