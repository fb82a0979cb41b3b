import type { Document } from 'bson';
import { Query } from '../mingo-context.js';
import { namespaceOf, targetName, type CommandContext } from '../command-context.js';
import { ErrorCode, MongoCommandError, notImplemented } from '../errors.js';
import { rejectCollation } from '../find-documents.js';

const UNSUPPORTED_CREATE_OPTIONS = ['capped', 'viewOn', 'pipeline', 'timeseries', 'clusteredIndex', 'validator', 'changeStreamPreAndPostImages', 'expireAfterSeconds'];
const PASSIVE_CREATE_OPTIONS = new Set(['create', '$db', 'lsid', '$clusterTime', 'writeConcern', 'comment', 'txnNumber', 'autocommit', 'startTransaction', 'readConcern', '$readPreference', 'apiVersion', 'apiStrict', 'apiDeprecationErrors']);

export function runCreate(ctx: CommandContext, command: Document): Document {
  const name = targetName(command, 'create');
  for (const option of UNSUPPORTED_CREATE_OPTIONS) {
    if (command[option] !== undefined && command[option] !== false) throw notImplemented(`create option ${option}`);
  }
  // A default collation would be stored and then ignored by every sort and comparison.
  rejectCollation(command.collation);
  if (ctx.view.collection(ctx.db, name)) {
    throw new MongoCommandError(ErrorCode.NamespaceExists, `Collection ${namespaceOf(ctx, name)} already exists.`);
  }
  const options: Document = {};
  for (const [key, value] of Object.entries(command)) if (!PASSIVE_CREATE_OPTIONS.has(key)) options[key] = value;
  ctx.view.createCollection(ctx.db, name, options);
  return {};
}

export function runDrop(ctx: CommandContext, command: Document): Document {
  const name = targetName(command, 'drop');
  const dropped = ctx.storage.dropCollection(ctx.db, name, ctx.records);
  return dropped ? { nIndexesWas: dropped.indexes.size + 1, ns: namespaceOf(ctx, name) } : {};
}

export function runListCollections(ctx: CommandContext, command: Document): Document {
  let infos: Document[] = ctx.storage.listCollections(ctx.db).map((collection) =>
    command.nameOnly === true
      ? { name: collection.name, type: 'collection' }
      : {
          name: collection.name,
          type: 'collection',
          options: collection.options,
          info: { readOnly: false, uuid: collection.uuid },
          idIndex: { v: 2, key: { _id: 1 }, name: '_id_' },
        },
  );
  const filter = command.filter as Document | undefined;
  if (filter && Object.keys(filter).length > 0) infos = new Query(filter).find(infos).all() as Document[];
  const ns = `${ctx.db}.$cmd.listCollections`;
  const cursor = ctx.cursors.open(ns, infos, (command.cursor as Document | undefined)?.batchSize as number | undefined);
  return { cursor: { firstBatch: cursor.batch, id: cursor.id, ns } };
}

/** renameCollection runs on admin with full namespaces: {renameCollection: 'db.a', to: 'db.b'}. */
export function runRenameCollection(ctx: CommandContext, command: Document): Document {
  const [fromDb, fromColl] = splitNamespace(command.renameCollection);
  const [toDb, toColl] = splitNamespace(command.to);
  if (!ctx.storage.getCollection(fromDb, fromColl)) {
    throw new MongoCommandError(ErrorCode.NamespaceNotFound, 'source namespace does not exist');
  }
  if (ctx.storage.getCollection(toDb, toColl)) {
    if (command.dropTarget !== true) throw new MongoCommandError(ErrorCode.NamespaceExists, 'target namespace exists');
    ctx.storage.dropCollection(toDb, toColl, ctx.records);
  }
  ctx.storage.renameCollection(fromDb, fromColl, toDb, toColl, ctx.records);
  return {};
}

function splitNamespace(value: unknown): [string, string] {
  const ns = String(value ?? '');
  const dot = ns.indexOf('.');
  if (dot <= 0 || dot === ns.length - 1) throw new MongoCommandError(ErrorCode.InvalidNamespace, `Invalid namespace specified '${ns}'`);
  return [ns.slice(0, dot), ns.slice(dot + 1)];
}

export function runListDatabases(ctx: CommandContext, command: Document): Document {
  let databases: Document[] = [...ctx.storage.databases.entries()].map(([name, collections]) => {
    let documents = 0;
    for (const collection of collections.values()) documents += collection.docs.size;
    return command.nameOnly === true ? { name } : { name, sizeOnDisk: documents * 256 + 4096, empty: documents === 0 };
  });
  const filter = command.filter as Document | undefined;
  if (filter && Object.keys(filter).length > 0) databases = new Query(filter).find(databases).all() as Document[];
  if (command.nameOnly === true) return { databases };
  const totalSize = databases.reduce((sum, db) => sum + Number(db.sizeOnDisk ?? 0), 0);
  return { databases, totalSize, totalSizeMb: Math.round(totalSize / 1024 / 1024) };
}

export function runDropDatabase(ctx: CommandContext): Document {
  ctx.storage.dropDatabase(ctx.db, ctx.records);
  return { dropped: ctx.db };
}
