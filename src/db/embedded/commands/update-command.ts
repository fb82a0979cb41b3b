import type { Document } from 'bson';
import { rejectUnsupportedOptions } from './unsupported-commands.js';
import { encodeId, type Collection } from '../collection.js';
import { targetName, type CommandContext } from '../command-context.js';
import { isPlainObject } from '../document-values.js';
import { badValue, ErrorCode, MongoCommandError } from '../errors.js';
import { findDocuments } from '../find-documents.js';
import { runWriteBatch } from './write-batch.js';
import { applyUpdate, buildUpsertDocument, isOperatorUpdate, rejectUnsupportedUpdateOptions, type UpdateSpec } from '../update-document.js';

export interface UpdateStatementResult {
  n: number;
  nModified: number;
  upsertedId?: unknown;
}

/** One `updates[]` statement: match, then update each match (or insert on upsert). */
export function runUpdateStatement(ctx: CommandContext, name: string, statement: Document): UpdateStatementResult {
  rejectUnsupportedUpdateOptions(statement);
  const filter = (statement.q as Document) ?? {};
  const update = statement.u as UpdateSpec;
  if (!Array.isArray(update) && !isPlainObject(update)) throw badValue('update must be an object or a pipeline');
  const multi = statement.multi === true;
  if (multi && !Array.isArray(update) && !isOperatorUpdate(update)) {
    throw new MongoCommandError(ErrorCode.FailedToParse, 'multi update is not supported for replacement-style update');
  }
  const arrayFilters = statement.arrayFilters as Document[] | undefined;
  const existing = ctx.view.collection(ctx.db, name);
  const matches = findDocuments(ctx.view, existing, filter, {
    limit: multi ? undefined : 1,
    sort: statement.sort as Document | undefined,
    hint: statement.hint,
  });
  if (matches.length === 0) {
    if (statement.upsert !== true) return { n: 0, nModified: 0 };
    const doc = buildUpsertDocument(filter, update, arrayFilters);
    const collection = ctx.view.ensureCollection(ctx.db, name);
    ctx.view.insert(collection, encodeId(doc._id), doc);
    return { n: 1, nModified: 0, upsertedId: doc._id };
  }
  let nModified = 0;
  for (const doc of matches) {
    const outcome = applyUpdate(doc, update, { arrayFilters, query: filter });
    if (!outcome.modified) continue;
    ctx.view.replace(existing as Collection, encodeId(doc._id), outcome.doc);
    nModified++;
  }
  return { n: matches.length, nModified };
}

export function runUpdate(ctx: CommandContext, command: Document): Document {
  rejectUnsupportedOptions(command, ['let']);
  const name = targetName(command, 'update');
  const upserted: Document[] = [];
  let n = 0;
  let nModified = 0;
  const writeErrors = runWriteBatch(command.updates, command.ordered !== false, (statement, index) => {
    const result = runUpdateStatement(ctx, name, statement);
    n += result.n;
    nModified += result.nModified;
    if (result.upsertedId !== undefined) upserted.push({ index, _id: result.upsertedId });
  });
  const reply: Document = { n, nModified };
  if (upserted.length > 0) reply.upserted = upserted;
  if (writeErrors.length > 0) reply.writeErrors = writeErrors;
  return reply;
}
