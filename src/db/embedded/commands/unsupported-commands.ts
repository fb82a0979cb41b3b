import type { Document } from 'bson';
import { notImplemented } from '../errors.js';

/** Real MongoDB commands the embedded server does not offer: NotImplemented (238), not 59. */
export const UNSUPPORTED_COMMANDS = [
  'collMod', 'dbStats', 'collStats', 'validate', 'mapReduce', 'geoNear', 'currentOp', 'killOp', 'compact',
  'fsync', 'reIndex', 'shutdown', 'bulkWrite', 'createUser', 'dropUser', 'usersInfo', 'createRole', 'saslStart',
  'authenticate', 'listSearchIndexes', 'createSearchIndexes', 'dropSearchIndex', 'replSetGetStatus', 'replSetInitiate',
  'setParameter', 'cloneCollectionAsCapped', 'convertToCapped', 'createView',
];

export function runUnsupported(_ctx: unknown, command: Document): Document {
  throw notImplemented(`the ${Object.keys(command)[0]} command`);
}

/** Options whose effect the embedded server cannot honour; ignoring them could give wrong results. */
export function rejectUnsupportedOptions(command: Document, options: string[]): void {
  for (const option of options) if (command[option] !== undefined) throw notImplemented(`the ${option} option of ${Object.keys(command)[0]}`);
}
