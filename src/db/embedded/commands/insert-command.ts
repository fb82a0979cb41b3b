import { ObjectId, type Document } from 'bson';
import { encodeId } from '../collection.js';
import { targetName, type CommandContext } from '../command-context.js';
import { isPlainObject } from '../document-values.js';
import { badValue, ErrorCode, MongoCommandError } from '../errors.js';
import { runWriteBatch } from './write-batch.js';

/** `_id` first, as MongoDB stores it; a missing `_id` gets a new ObjectId. */
export function prepareInsertDocument(raw: Document): Document {
  if (!isPlainObject(raw)) throw badValue('document to insert must be an object');
  if (raw._id === undefined) return { _id: new ObjectId(), ...raw };
  if (Array.isArray(raw._id)) throw badValue("can't use an array for _id");
  if (raw._id instanceof RegExp) throw badValue("can't use a regex for _id");
  rejectDollarPrefixedIdFields(raw._id);
  return Object.keys(raw)[0] === '_id' ? raw : { _id: raw._id, ...raw };
}

/**
 * MongoDB 5+ stores $-prefixed field names anywhere in an inserted document except inside
 * an object `_id` (DBRef fields apart).
 */
function rejectDollarPrefixedIdFields(id: unknown): void {
  if (!isPlainObject(id)) return;
  for (const [field, value] of Object.entries(id)) {
    if (field.startsWith('$') && !DBREF_FIELDS.has(field)) {
      throw new MongoCommandError(ErrorCode.DollarPrefixedFieldName, `_id fields may not contain '$'-prefixed fields: ${field} is not valid for storage.`);
    }
    rejectDollarPrefixedIdFields(value);
  }
}

const DBREF_FIELDS = new Set(['$ref', '$id', '$db']);

export function runInsert(ctx: CommandContext, command: Document): Document {
  const name = targetName(command, 'insert');
  const collection = ctx.view.ensureCollection(ctx.db, name);
  let n = 0;
  const writeErrors = runWriteBatch(command.documents, command.ordered !== false, (raw) => {
    const doc = prepareInsertDocument(raw);
    ctx.view.insert(collection, encodeId(doc._id), doc);
    n++;
  });
  return writeErrors.length > 0 ? { n, writeErrors } : { n };
}
