import type { Document } from 'bson';
import { rejectUnsupportedOptions } from './unsupported-commands.js';
import { encodeId } from '../collection.js';
import { targetName, type CommandContext } from '../command-context.js';
import { badValue } from '../errors.js';
import { findDocuments } from '../find-documents.js';
import { compileProjection } from '../find-projection.js';
import { applyUpdate, buildUpsertDocument, rejectUnsupportedUpdateOptions, type UpdateSpec } from '../update-document.js';

/** findAndModify: errors (e.g. 11000) are top-level, not writeErrors. */
export function runFindAndModify(ctx: CommandContext, command: Document): Document {
  rejectUnsupportedOptions(command, ['let']);
  const name = targetName(command, Object.keys(command)[0]);
  rejectUnsupportedUpdateOptions(command);
  const filter = (command.query as Document) ?? {};
  const remove = command.remove === true;
  const update = command.update as UpdateSpec | undefined;
  if (remove === (update !== undefined)) throw badValue('Either an update or remove=true must be specified');
  const projection = command.fields as Document | undefined;
  const collection = ctx.view.collection(ctx.db, name);
  const [match] = findDocuments(ctx.view, collection, filter, { sort: command.sort as Document | undefined, limit: 1, hint: command.hint });

  if (remove) {
    if (match && collection) ctx.view.remove(collection, encodeId(match._id));
    return { lastErrorObject: { n: match ? 1 : 0 }, value: project(match, projection, filter) };
  }
  const arrayFilters = command.arrayFilters as Document[] | undefined;
  if (!match) {
    if (command.upsert !== true) return { lastErrorObject: { n: 0, updatedExisting: false }, value: null };
    const doc = buildUpsertDocument(filter, update!, arrayFilters);
    const target = ctx.view.ensureCollection(ctx.db, name);
    ctx.view.insert(target, encodeId(doc._id), doc);
    return {
      lastErrorObject: { n: 1, updatedExisting: false, upserted: doc._id },
      value: command.new === true ? project(doc, projection, filter) : null,
    };
  }
  const outcome = applyUpdate(match, update!, { arrayFilters, query: filter });
  if (outcome.modified) ctx.view.replace(collection!, encodeId(match._id), outcome.doc);
  return {
    lastErrorObject: { n: 1, updatedExisting: true },
    value: project(command.new === true ? outcome.doc : match, projection, filter),
  };
}

function project(doc: Document | undefined, projection: Document | undefined, filter: Document): Document | null {
  if (!doc) return null;
  const projector = compileProjection(projection, filter);
  return projector ? projector(doc) : doc;
}
