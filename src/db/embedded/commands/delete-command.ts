import type { Document } from 'bson';
import { rejectUnsupportedOptions } from './unsupported-commands.js';
import { encodeId } from '../collection.js';
import { targetName, type CommandContext } from '../command-context.js';
import { badValue, ErrorCode, toCommandError } from '../errors.js';
import { findDocuments, rejectCollation } from '../find-documents.js';

export function runDelete(ctx: CommandContext, command: Document): Document {
  rejectUnsupportedOptions(command, ['let']);
  const name = targetName(command, 'delete');
  const statements = command.deletes;
  if (!Array.isArray(statements) || statements.length === 0) throw badValue('Write batch sizes must be between 1 and 100000');
  const ordered = command.ordered !== false;
  const collection = ctx.view.collection(ctx.db, name);
  const writeErrors: Document[] = [];
  let n = 0;
  for (let index = 0; index < statements.length; index++) {
    try {
      const statement = statements[index] as Document;
      rejectCollation(statement.collation);
      const limit = Number(statement.limit ?? 0);
      if (limit !== 0 && limit !== 1) throw badValue('The limit field in delete objects must be 0 or 1');
      if (!collection) continue;
      const matches = findDocuments(ctx.view, collection, (statement.q as Document) ?? {}, { limit: limit || undefined });
      for (const doc of matches) ctx.view.remove(collection, encodeId(doc._id));
      n += matches.length;
    } catch (error) {
      const failure = toCommandError(error);
      if (failure.code === ErrorCode.WriteConflict) throw failure;
      writeErrors.push(failure.toWriteError(index));
      if (ordered) break;
    }
  }
  return writeErrors.length > 0 ? { n, writeErrors } : { n };
}
