import type { Document } from 'bson';
import { readCount, targetName, type CommandContext } from '../command-context.js';
import { collectPathValues, encodeKey } from '../key-encoding.js';
import { findDocuments, rejectCollation } from '../find-documents.js';

export function runCount(ctx: CommandContext, command: Document): Document {
  const name = targetName(command, 'count');
  rejectCollation(command.collation);
  const collection = ctx.view.collection(ctx.db, name);
  const query = (command.query as Document) ?? {};
  const skip = readCount(command.skip, 'skip') ?? 0;
  const limit = Math.abs(readCount(command.limit, 'limit') ?? 0);
  // A hinted count visits what the hinted index holds (a sparse index leaves documents out).
  if (collection && Object.keys(query).length === 0 && !ctx.txn && command.hint === undefined) {
    const total = Math.max(0, collection.docs.size - skip);
    return { n: limit ? Math.min(limit, total) : total };
  }
  const n = findDocuments(ctx.view, collection, query, { skip, limit: limit || undefined, hint: command.hint }).length;
  return { n };
}

export function runDistinct(ctx: CommandContext, command: Document): Document {
  const name = targetName(command, 'distinct');
  rejectCollation(command.collation);
  const key = String(command.key);
  // A hint (MongoDB 7.1+) picks the index visited: a sparse one leaves documents out, an unknown one is BadValue.
  const docs = findDocuments(ctx.view, ctx.view.collection(ctx.db, name), (command.query as Document) ?? {}, { hint: command.hint });
  const seen = new Map<string, unknown>();
  for (const doc of docs) {
    for (const value of collectPathValues(doc, key)) {
      if (value === undefined) continue;
      const encoded = encodeKey(value);
      if (!seen.has(encoded)) seen.set(encoded, value);
    }
  }
  return { values: [...seen.values()] };
}
