import { ObjectId, type Document } from 'bson';
import { encodeId } from '../collection.js';
import { targetName, type CommandContext } from '../command-context.js';
import { isPlainObject } from '../document-values.js';
import { badValue, ErrorCode, toCommandError } from '../errors.js';

/** `_id` first, as MongoDB stores it; a missing `_id` gets a new ObjectId. */
export function prepareInsertDocument(raw: Document): Document {
  if (!isPlainObject(raw)) throw badValue('document to insert must be an object');
  if (raw._id === undefined) return { _id: new ObjectId(), ...raw };
  if (Array.isArray(raw._id)) throw badValue("can't use an array for _id");
  if (raw._id instanceof RegExp) throw badValue("can't use a regex for _id");
  return Object.keys(raw)[0] === '_id' ? raw : { _id: raw._id, ...raw };
}

export function runInsert(ctx: CommandContext, command: Document): Document {
  const name = targetName(command, 'insert');
  const documents = command.documents;
  if (!Array.isArray(documents) || documents.length === 0) throw badValue('Write batch sizes must be between 1 and 100000');
  const ordered = command.ordered !== false;
  const collection = ctx.view.ensureCollection(ctx.db, name);
  const writeErrors: Document[] = [];
  let n = 0;
  for (let index = 0; index < documents.length; index++) {
    try {
      const doc = prepareInsertDocument(documents[index] as Document);
      ctx.view.insert(collection, encodeId(doc._id), doc);
      n++;
    } catch (error) {
      const failure = toCommandError(error);
      // In a transaction a conflict fails the whole command so the driver can retry it.
      if (failure.code === ErrorCode.WriteConflict) throw failure;
      writeErrors.push(failure.toWriteError(index));
      if (ordered) break;
    }
  }
  return writeErrors.length > 0 ? { n, writeErrors } : { n };
}
