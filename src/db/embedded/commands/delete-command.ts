import type { Document } from 'bson';
import { rejectUnsupportedOptions } from './unsupported-commands.js';
import { encodeId } from '../collection.js';
import { targetName, type CommandContext } from '../command-context.js';
import { badValue } from '../errors.js';
import { findDocuments, rejectCollation } from '../find-documents.js';
import { runWriteBatch } from './write-batch.js';

export function runDelete(ctx: CommandContext, command: Document): Document {
  rejectUnsupportedOptions(command, ['let']);
  const name = targetName(command, 'delete');
  const collection = ctx.view.collection(ctx.db, name);
  let n = 0;
  const writeErrors = runWriteBatch(command.deletes, command.ordered !== false, (statement) => {
    rejectCollation(statement.collation);
    const limit = Number(statement.limit ?? 0);
    if (limit !== 0 && limit !== 1) throw badValue('The limit field in delete objects must be 0 or 1');
    if (!collection) return;
    const matches = findDocuments(ctx.view, collection, (statement.q as Document) ?? {}, { limit: limit || undefined, hint: statement.hint });
    for (const doc of matches) ctx.view.remove(collection, encodeId(doc._id));
    n += matches.length;
  });
  return writeErrors.length > 0 ? { n, writeErrors } : { n };
}
