import type { Document } from 'bson';
import { rejectUnsupportedOptions } from './unsupported-commands.js';
import { namespaceOf, readCount, targetName, type CommandContext } from '../command-context.js';
import { notImplemented } from '../errors.js';
import { findDocuments, rejectCollation } from '../find-documents.js';

const UNSUPPORTED_FIND_OPTIONS = ['tailable', 'awaitData', 'min', 'max', 'returnKey', 'showRecordId', 'oplogReplay'];

export function runFind(ctx: CommandContext, command: Document): Document {
  rejectUnsupportedOptions(command, ['let']);
  const name = targetName(command, 'find');
  for (const option of UNSUPPORTED_FIND_OPTIONS) if (command[option]) throw notImplemented(`find option ${option}`);
  rejectCollation(command.collation);
  let limit = readCount(command.limit, 'limit');
  let singleBatch = command.singleBatch === true;
  if (limit !== undefined && limit < 0) {
    limit = -limit;
    singleBatch = true;
  }
  const docs = findDocuments(ctx.view, ctx.view.collection(ctx.db, name), (command.filter as Document) ?? {}, {
    sort: command.sort as Document | undefined,
    skip: readCount(command.skip, 'skip'),
    limit: limit || undefined,
    projection: command.projection as Document | undefined,
    hint: command.hint,
  });
  const ns = namespaceOf(ctx, name);
  const cursor = ctx.cursors.open(ns, docs, readCount(command.batchSize, 'batchSize'), singleBatch);
  return { cursor: { firstBatch: cursor.batch, id: cursor.id, ns } };
}

export function runGetMore(ctx: CommandContext, command: Document): Document {
  const name = targetName(command, 'collection');
  const ns = namespaceOf(ctx, name);
  const cursor = ctx.cursors.getMore(command.getMore, ns, readCount(command.batchSize, 'batchSize'));
  return { cursor: { nextBatch: cursor.batch, id: cursor.id, ns } };
}

export function runKillCursors(ctx: CommandContext, command: Document): Document {
  const ids = Array.isArray(command.cursors) ? command.cursors : [];
  const { killed, notFound } = ctx.cursors.kill(ids);
  return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [] };
}
